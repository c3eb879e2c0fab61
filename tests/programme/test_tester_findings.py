"""What an outside tester found in the programme's first version: dates outside what they
belong to, sessions on top of each other, names on the notice board, lists out of order."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programme import services
from programme.forms import EnrolmentEndForm
from programme.models import Action, Session, Suggestion
from tests.programme.factories import CohortFactory, MeetingFactory, SessionFactory, SuggestionFactory

TODAY = timezone.localdate()


def _session(cohort, on, starts=time(9, 30), ends=time(12)):
    return Session(cohort=cohort, on=on, starts_at=starts, ends_at=ends, topic="other", delivered_by="cfo_staff")


def test_a_session_outside_the_cohorts_weeks_is_refused(cohort):
    for day in (cohort.starts_on - timedelta(days=1), cohort.ends_on + timedelta(weeks=4, days=1)):
        with pytest.raises(ValidationError) as refused:
            services.session_add(session=_session(cohort, day), catch_up_for=[])
        assert "The date must be in the cohort's weeks" in refused.value.message_dict["on"][0]
    services.session_add(session=_session(cohort, cohort.ends_on + timedelta(weeks=4)), catch_up_for=[])


def test_a_session_on_top_of_another_of_the_cohort_is_refused(cohort):
    SessionFactory(cohort=cohort, on=cohort.starts_on, starts_at=time(9, 30), ends_at=time(12))
    with pytest.raises(ValidationError):
        services.session_add(session=_session(cohort, cohort.starts_on, time(10), time(11)), catch_up_for=[])
    # A weekly plan at overlapping times skips the day that clashes and adds the others.
    added = services.sessions_generate(
        cohort=cohort,
        weekdays=[cohort.starts_on.weekday()],
        starts_at=time(11, 30),
        ends_at=time(13),
        topic="other",
        delivered_by="cfo_staff",
    )
    assert cohort.starts_on not in [session.on for session in added]
    assert len(added) == 7
    services.session_add(session=_session(cohort, cohort.starts_on, time(12), time(13)), catch_up_for=[])


def test_a_suggestion_is_answered_at_a_meeting_after_it_came_in(hamlet_wing):
    suggestion = SuggestionFactory(wing=hamlet_wing, received_on=TODAY - timedelta(days=3))
    suggestion.meeting = MeetingFactory(wing=hamlet_wing, held_on=TODAY - timedelta(days=10))
    suggestion.answer, suggestion.we_did = "adopted", "A rota"
    with pytest.raises(ValidationError) as refused:
        services.suggestion_answer(suggestion=suggestion, version=suggestion.version)
    assert "meeting" in refused.value.message_dict
    assert Suggestion.objects.get().answer == ""


def test_the_notice_board_refuses_a_residents_name(hamlet_wing, resident):
    with pytest.raises(ValidationError) as refused:
        services.suggestion_add(
            suggestion=Suggestion(
                wing=hamlet_wing,
                source="box",
                received_on=TODAY,
                text=f"{resident.pseudonym.lower()} wants a quiet room",
            )
        )
    assert "names a resident of the wing" in refused.value.message_dict["text"][0]
    suggestion = SuggestionFactory(wing=hamlet_wing, received_on=TODAY - timedelta(days=3))
    suggestion.meeting, suggestion.answer = MeetingFactory(wing=hamlet_wing, held_on=TODAY), "adopted"
    suggestion.we_did = f"A quiet room, as {resident.pseudonym} asked"
    with pytest.raises(ValidationError):
        services.suggestion_answer(suggestion=suggestion, version=suggestion.version)


def test_an_action_is_due_on_or_after_its_meeting(meeting):
    with pytest.raises(ValidationError) as refused:
        services.action_add(action=Action(meeting=meeting, description="Seeds", due_on=meeting.held_on - timedelta(1)))
    assert refused.value.message_dict == {"due_on": ["The due date must be on or after the meeting"]}


def test_completing_with_a_reason_for_leaving_is_refused():
    form = EnrolmentEndForm(
        {
            "outcome": "completed",
            "ended_on_0": TODAY.day,
            "ended_on_1": TODAY.month,
            "ended_on_2": TODAY.year,
            "reason": "health",
        }
    )
    assert form.errors["reason"] == ["Leave why they left empty: they completed the phase"]


def test_cohorts_are_listed_latest_first_and_a_cohorts_sessions_in_date_order(client, staff, hamlet_wing):
    older = CohortFactory(wing=hamlet_wing, name="Older", starts_on=TODAY - timedelta(days=100))
    newer = CohortFactory(wing=hamlet_wing, name="Newer", starts_on=TODAY - timedelta(days=10))
    for day in (3, 1, 2):  # made out of order
        SessionFactory(cohort=newer, on=newer.starts_on + timedelta(days=day))
    client.force_login(staff)
    listing = client.get(reverse("programme:index")).content.decode()
    assert listing.index("Newer") < listing.index("Older")
    page = client.get(newer.get_absolute_url())
    assert [session.on for session in page.context["sessions"]] == [
        newer.starts_on + timedelta(days=day) for day in (1, 2, 3)
    ]
    assert older.pk
