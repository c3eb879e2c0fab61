"""Meetings, their actions carried forward, suggestions answered, and the notice board."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programme import services
from programme.models import Meeting, MeetingAttendee, Suggestion
from tests.programme.factories import ActionFactory, MeetingFactory, SuggestionFactory

TODAY = timezone.localdate()


def test_minutes_that_name_a_prison_number_are_refused(hamlet_wing, resident, staff):
    meeting = Meeting(wing=hamlet_wing, kind="community", held_on=TODAY, minutes=f"{resident.prison_number} spoke")
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(meeting=meeting, staff_present=[], attendees=[], peer_mentors=[], by=staff)
    assert refused.value.message_dict == {"minutes": ["Name residents by pseudonym only: take the prison number out"]}
    assert not Meeting.objects.exists()


def test_each_resident_there_is_their_own_row_and_a_mentor_must_be_there(hamlet_wing, resident, mentor, staff):
    meeting = Meeting(wing=hamlet_wing, kind="hig", held_on=TODAY)
    with pytest.raises(ValidationError):
        services.meeting_record(meeting=meeting, staff_present=[staff], attendees=[], peer_mentors=[mentor], by=staff)
    services.meeting_record(meeting=meeting, staff_present=[staff], attendees=[mentor], peer_mentors=[mentor], by=staff)
    assert list(MeetingAttendee.objects.values_list("resident", "as_peer_mentor")) == [(mentor.pk, True)]


def test_open_actions_are_carried_to_the_next_meeting_of_the_same_kind_and_reviewed_there(
    client, staff, hamlet_wing, other_wing
):
    first = MeetingFactory(wing=hamlet_wing, kind="hig", held_on=TODAY - timedelta(days=30))
    open_one = ActionFactory(meeting=first, description="Ask for seeds")
    ActionFactory(meeting=first, description="Paint the landing", status="done", done_on=TODAY - timedelta(days=20))
    ActionFactory(meeting=MeetingFactory(wing=hamlet_wing, kind="community", held_on=first.held_on),
                  description="Another kind of meeting")  # fmt: skip
    ActionFactory(meeting=MeetingFactory(wing=other_wing, kind="hig", held_on=first.held_on), description="Elsewhere")
    later = MeetingFactory(wing=hamlet_wing, kind="hig", held_on=TODAY - timedelta(days=2))
    client.force_login(staff)
    page = client.get(reverse("programme:meeting", args=[later.pk]))
    assert [action.description for action in page.context["carried"]] == ["Ask for seeds"]

    review = reverse("programme:action_review", args=[open_one.pk]) + f"?at={later.pk}"
    form = client.get(review).context["form"]
    done = (TODAY - timedelta(days=1)).timetuple()[:3]
    response = client.post(review, {"status": "done", "done_on_0": done[2], "done_on_1": done[1],
                                    "done_on_2": done[0], "version": form["version"].value()})  # fmt: skip
    assert response["Location"] == later.get_absolute_url()
    open_one.refresh_from_db()
    assert (open_one.status, list(open_one.reviewed_at.all())) == ("done", [later])
    # Done, it still shows at the meeting that reviewed it, and is carried no further.
    assert [a.description for a in client.get(later.get_absolute_url()).context["carried"]] == ["Ask for seeds"]
    next_one = MeetingFactory(wing=hamlet_wing, kind="hig", held_on=TODAY)
    assert client.get(next_one.get_absolute_url()).context["carried"] == []


@pytest.mark.parametrize(
    ("answer", "fields", "error"),
    [
        ("declined", {}, {"reason": ["Say why it was declined"]}),
        ("adopted", {}, {"we_did": ["Say what was done, in words for the notice board"]}),
    ],
)
def test_an_answer_needs_its_words(hamlet_wing, answer, fields, error):
    suggestion = SuggestionFactory(wing=hamlet_wing)
    suggestion.meeting, suggestion.answer = MeetingFactory(wing=hamlet_wing), answer
    with pytest.raises(ValidationError) as refused:
        services.suggestion_answer(suggestion=suggestion, version=suggestion.version)
    assert refused.value.message_dict == error
    assert Suggestion.objects.get().answer == ""


def test_you_said_we_did_lists_adopted_and_adapted_answers_newest_first_and_names_no_one(
    client, staff, hamlet_wing, resident
):
    older = MeetingFactory(wing=hamlet_wing, held_on=TODAY - timedelta(days=40))
    newer = MeetingFactory(wing=hamlet_wing, held_on=TODAY - timedelta(days=5))
    SuggestionFactory(wing=hamlet_wing, text="Plants", meeting=older, answer="adopted", we_did="Herbs on each landing",
                      resident=resident)  # fmt: skip
    SuggestionFactory(wing=hamlet_wing, text="A rota", meeting=newer, answer="adapted", we_did="A laundry rota")
    SuggestionFactory(wing=hamlet_wing, text="Later lock-up", meeting=newer, answer="declined", reason="Regime")
    SuggestionFactory(wing=hamlet_wing, text="Not answered yet")
    client.force_login(staff)
    page = client.get(reverse("programme:you_said_we_did")).content.decode()
    assert page.index("A laundry rota") < page.index("Herbs on each landing")
    for absent in ("Later lock-up", "Not answered yet", resident.pseudonym, resident.prison_number):
        assert absent not in page


def test_two_people_editing_a_meeting_do_not_overwrite_each_other(client, staff, manager, meeting):
    url = reverse("programme:meeting_edit", args=[meeting.pk])
    other = Client()
    client.force_login(staff)
    other.force_login(manager)
    forms = [client.get(url).context["form"], other.get(url).context["form"]]
    held = [str(part) for part in (meeting.held_on.day, meeting.held_on.month, meeting.held_on.year)]

    def data(form, minutes):
        return {"kind": "hig", "held_on_0": held[0], "held_on_1": held[1], "held_on_2": held[2], "minutes": minutes,
                "version": form["version"].value()}  # fmt: skip

    assert client.post(url, data(forms[0], "Seeds agreed")).status_code == 302
    refused = other.post(url, data(forms[1], "Nothing agreed"))
    assert refused.status_code == 200
    assert "Someone else saved this meeting" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Seeds agreed"


def test_the_meeting_page_costs_the_same_for_one_action_or_ten(client, staff, meeting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    url = meeting.get_absolute_url()
    ActionFactory(meeting=meeting, owner_staff=staff)
    client.get(url)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
        for _ in range(9):
            ActionFactory(meeting=meeting, owner_staff=staff)
    assert counts[0] == counts[1]
