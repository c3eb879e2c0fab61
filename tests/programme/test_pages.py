"""The programme's pages: the same number of queries however many rows they show, the
register in one submission with its corrections on the page, and no lost update."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programme.models import Attendance, PhaseSettings
from tests.programme.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
    WaitingListEntryFactory,
)
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()


def _queries(client, url: str) -> int:
    client.get(url)  # the first visit chooses the wing and warms the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _cohort_of(wing, residents: int, sessions: int = 16):
    """A running cohort of ``residents`` over ``sessions`` sessions, every one marked."""
    cohort = CohortFactory(wing=wing, status="running", starts_on=TODAY - timedelta(days=sessions + 1))
    people = [EnrolmentFactory(cohort=cohort).resident for _ in range(residents)]
    for day in range(sessions):
        session = SessionFactory(cohort=cohort, on=cohort.starts_on + timedelta(days=day))
        for person in people:
            AttendanceFactory(session=session, resident=person, mark="attended" if day % 4 else "sick")
    return cohort


def test_the_register_costs_the_same_for_one_resident_or_ten(client, staff, hamlet_wing):
    client.force_login(staff)
    counts = []
    for size in (1, 10):
        cohort = _cohort_of(hamlet_wing, size)
        counts.append(_queries(client, reverse("programme:session", args=[cohort.sessions.last().pk])))
    assert counts[0] == counts[1]


def test_the_cohort_page_costs_the_same_for_one_resident_or_ten(client, staff, hamlet_wing):
    client.force_login(staff)
    counts = [_queries(client, _cohort_of(hamlet_wing, size).get_absolute_url()) for size in (1, 10)]
    assert counts[0] == counts[1]


def test_the_cohort_list_costs_the_same_for_one_cohort_or_ten(client, staff, hamlet_wing):
    client.force_login(staff)
    _cohort_of(hamlet_wing, 2, sessions=2)
    one = _queries(client, reverse("programme:index"))
    for _ in range(9):
        _cohort_of(hamlet_wing, 2, sessions=2)
    assert _queries(client, reverse("programme:index")) == one


def test_the_waiting_list_costs_the_same_for_one_entry_or_twenty(client, staff, hamlet_wing):
    client.force_login(staff)
    WaitingListEntryFactory(resident=ResidentFactory(wing=hamlet_wing))
    one = _queries(client, reverse("programme:waiting_list"))
    for _ in range(19):
        WaitingListEntryFactory(resident=ResidentFactory(wing=hamlet_wing), status="pending")
    assert _queries(client, reverse("programme:waiting_list")) == one


def _register(session, marks: dict, version: str, *, all_attended=False) -> dict:
    data = {"version": version}
    for resident, mark in marks.items():
        data[f"{resident.pk}-mark"] = mark
    if all_attended:
        data["all_attended"] = "Mark everyone"
    return data


def _version(client, session) -> str:
    return client.get(reverse("programme:session", args=[session.pk])).context["form"]["version"].value()


def test_a_cohort_of_ten_is_marked_in_one_submission(client, staff, hamlet_wing):
    cohort = CohortFactory(wing=hamlet_wing, status="running")
    people = [EnrolmentFactory(cohort=cohort).resident for _ in range(10)]
    session = SessionFactory(cohort=cohort)
    client.force_login(staff)
    data = _register(session, {people[0]: "refused"}, _version(client, session), all_attended=True)
    response = client.post(reverse("programme:session", args=[session.pk]), data)
    assert response.status_code == 302
    marks = sorted(Attendance.objects.filter(session=session).values_list("mark", flat=True))
    assert marks == ["attended"] * 9 + ["refused"]


def test_a_correction_shows_its_earlier_value_on_the_session_page(client, staff, manager, enrolment, programme_session):
    resident = enrolment.resident
    client.force_login(staff)
    url = reverse("programme:session", args=[programme_session.pk])
    client.post(url, _register(programme_session, {resident: "attended"}, _version(client, programme_session)))
    client.force_login(manager)
    client.post(url, _register(programme_session, {resident: "rest_day"}, _version(client, programme_session)))
    page = client.get(url).content.decode()
    table = page[page.index("Earlier marks") :]
    for shown in ("Attended", "Rest day", staff.get_full_name(), manager.get_full_name()):
        assert shown in table


def test_two_people_taking_one_register_do_not_overwrite_each_other(
    client, staff, manager, enrolment, programme_session
):
    from django.test import Client

    resident = enrolment.resident
    url = reverse("programme:session", args=[programme_session.pk])
    other = Client()
    client.force_login(staff)
    other.force_login(manager)
    first, second = _version(client, programme_session), _version(other, programme_session)
    assert client.post(url, _register(programme_session, {resident: "attended"}, first)).status_code == 302
    refused = other.post(url, _register(programme_session, {resident: "sick"}, second))
    assert refused.status_code == 200
    assert "Someone else saved this register" in refused.content.decode()
    assert Attendance.objects.get().mark == "attended"


def test_two_people_changing_a_phase_do_not_overwrite_each_other(client, manager, hamlet_wing):
    from django.test import Client

    PhaseSettings.of(hamlet_wing, "phase_1").save()
    url = reverse("programme:phase_edit", args=[1])
    other = Client()
    client.force_login(manager)
    other.force_login(manager)
    first_form = client.get(url).context["form"]
    second_form = other.get(url).context["form"]
    fields = ["title", "weeks", "min_size", "max_size", "weekly_hours", "location"]
    base = {name: first_form[name].value() or "" for name in fields}
    assert client.post(url, {**base, "weeks": "10", "version": first_form["version"].value()}).status_code == 302
    refused = other.post(url, {**base, "location": "The gym", "version": second_form["version"].value()})
    assert refused.status_code == 200
    assert "Length in weeks was changed from ‘8’ to ‘10’ by someone else" in refused.content.decode()
    setting = PhaseSettings.objects.get(wing=hamlet_wing, phase="phase_1")
    assert (setting.weeks, setting.location) == (10, "A CFO dedicated classroom in the Education Building")


def test_a_session_on_a_bank_holiday_is_moved_through_the_plan_page(client, staff, hamlet_wing):
    from datetime import date

    cohort = CohortFactory(wing=hamlet_wing, starts_on=date(2026, 8, 17), ends_on=date(2026, 10, 11))
    client.force_login(staff)
    data = {
        "weekdays": ["0"],
        "starts_at": "09:30",
        "ends_at": "12:00",
        "topic": "employability",
        "delivered_by": "cfo_staff",
    }
    response = client.post(reverse("programme:sessions_plan", args=[cohort.pk]), data, follow=True)
    assert "8 sessions added. 1 moved to the end because of a bank holiday." in response.content.decode()
    assert cohort.sessions.filter(starts_at=time(9, 30)).count() == 8


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
def test_a_time_that_is_not_a_time_is_refused_next_to_its_field(client, staff, cohort, field):
    client.force_login(staff)
    data = {
        "weekdays": ["1"],
        "starts_at": "09:30",
        "ends_at": "12:00",
        "topic": "employability",
        "delivered_by": "cfo_staff",
        field: "25:99",
    }
    response = client.post(reverse("programme:sessions_plan", args=[cohort.pk]), data)
    assert response.context["form"].errors[field] == ["Enter the time like 09:30"]
    assert not cohort.sessions.exists()


def test_the_meetings_and_suggestions_lists_cost_the_same_for_one_row_or_twenty(client, staff, hamlet_wing, resident):
    from tests.programme.factories import ActionFactory, MeetingFactory, SuggestionFactory

    client.force_login(staff)
    counts = []
    for rows in (1, 19):
        for _ in range(rows):
            meeting = MeetingFactory(wing=hamlet_wing)
            ActionFactory(meeting=meeting)
            SuggestionFactory(wing=hamlet_wing, resident=resident, meeting=meeting, answer="adopted", we_did="Done")
        counts.append(
            [
                _queries(client, reverse(name))
                for name in ("programme:meetings", "programme:suggestions", "programme:you_said_we_did")
            ]
        )
    assert counts[0] == counts[1]


def test_a_limited_access_mentor_is_offered_only_to_staff_named_on_their_record(client, staff, manager, mentor):
    mentor.limited_access = True
    mentor.save()
    mentor.permitted_staff.set([manager])
    client.force_login(staff)
    assert mentor.pseudonym not in client.get(reverse("programme:cohort_add")).content.decode()
    client.force_login(manager)
    assert mentor.pseudonym in client.get(reverse("programme:cohort_add")).content.decode()


def test_a_limited_access_residents_programme_records_are_not_found_by_staff_not_named(
    client, staff, manager, enrolment, project_hours
):
    resident = enrolment.resident
    resident.limited_access = True
    resident.save()
    resident.permitted_staff.set([manager])
    entry = WaitingListEntryFactory(resident=resident, phase="phase_2")
    urls = [
        reverse("programme:enrolment_end", args=[enrolment.pk]),
        reverse("programme:waiting_move", args=[entry.pk]),
        reverse("programme:hours_remove", args=[project_hours.pk]),
    ]
    client.force_login(staff)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(manager)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
