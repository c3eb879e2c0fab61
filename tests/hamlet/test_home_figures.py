"""The home page's figures, each counted by the app that owns its records, checked against
hand-built records with the numbers written out — including records just outside the
week or month and at another wing, which must not be counted."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamlet.contributions import Span, home_figures, this_month, this_week
from tests.hamlet.factories import UserFactory
from tests.mentoring.factories import MentorContactFactory, RoleHoldingFactory, SupervisionSessionFactory
from tests.programme.factories import (
    ActionFactory,
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    MeetingFactory,
    ProjectFactory,
    ProjectHoursFactory,
    SessionFactory,
    SuggestionFactory,
    WaitingListEntryFactory,
)
from tests.residents.factories import ResidentFactory, SupportContactFactory

TODAY = dt.date(2026, 11, 18)  # a Wednesday: the week began on Monday 16th, the month on the 1st


@pytest.fixture
def records(hamlet_wing, other_wing, peer_mentor_role, staff):
    on = hamlet_wing
    long_ago = TODAY - dt.timedelta(days=400)
    ready = ResidentFactory(wing=on, stage="ready", arrived_on=long_ago)
    mentor = ResidentFactory(wing=on, stage="phase_2", arrived_on=long_ago)
    second_mentor = ResidentFactory(wing=on, stage="completed", arrived_on=long_ago)
    left = TODAY - dt.timedelta(days=5)
    ResidentFactory(wing=on, stage="phase_1", arrived_on=long_ago, departed_on=left, departure_reason="released")
    elsewhere = ResidentFactory(wing=other_wing, stage="ready", arrived_on=long_ago)

    giver = ResidentFactory(wing=on, stage="phase_2", arrived_on=long_ago)
    for resident, day, minutes in [
        (ready, TODAY, 45),
        (ready, dt.date(2026, 11, 1), 90),
        (mentor, dt.date(2026, 11, 2), None),  # time not logged
        (ready, dt.date(2026, 10, 31), 60),  # last month
        (elsewhere, TODAY, 120),  # another wing
    ]:
        SupportContactFactory(resident=resident, contact_on=day, staff=staff, minutes=minutes)

    RoleHoldingFactory(resident=mentor, role=peer_mentor_role, started_on=long_ago)
    RoleHoldingFactory(resident=second_mentor, role=peer_mentor_role, started_on=long_ago)
    RoleHoldingFactory(
        resident=ready, role=peer_mentor_role, started_on=long_ago, ended_on=TODAY, end_reason="stepped_down"
    )
    for resident, day, out_of_hours in [
        (mentor, dt.date(2026, 11, 16), False),
        (mentor, TODAY, True),
        (second_mentor, dt.date(2026, 11, 17), False),
        (mentor, dt.date(2026, 11, 15), False),  # Sunday: last week
        (elsewhere, TODAY, False),  # another wing
    ]:
        at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
        MentorContactFactory(mentor=resident, occurred_at=at, out_of_hours=out_of_hours)

    SupervisionSessionFactory(mentor=mentor, held_on=dt.date(2026, 11, 3), supervisor=staff)
    SupervisionSessionFactory(mentor=mentor, held_on=dt.date(2026, 10, 30), supervisor=staff)  # last month

    running = CohortFactory(wing=on, status="running", starts_on=dt.date(2026, 11, 2))
    EnrolmentFactory(cohort=running, resident=ready)
    EnrolmentFactory(cohort=running, resident=mentor)
    EnrolmentFactory(cohort=running, resident=second_mentor, status="completed", ended_on=TODAY)  # ended
    EnrolmentFactory(cohort=CohortFactory(wing=on, phase="phase_2", starts_on=TODAY), resident=second_mentor)  # planned
    giving = CohortFactory(wing=on, phase="phase_2", status="running", starts_on=dt.date(2026, 11, 9))
    EnrolmentFactory(cohort=giving, resident=giver)
    EnrolmentFactory(cohort=CohortFactory(wing=other_wing, status="running"), resident=elsewhere)  # another wing
    WaitingListEntryFactory(resident=ready, phase="phase_2", status="pending")
    WaitingListEntryFactory(resident=second_mentor, status="approved")
    WaitingListEntryFactory(resident=mentor, status="declined", reason="Not yet")  # closed
    WaitingListEntryFactory(resident=elsewhere)  # another wing
    sessions = {}
    for day, cancelled in [
        (dt.date(2026, 11, 16), ""),
        (TODAY, ""),
        (dt.date(2026, 11, 17), "operational"),  # cancelled: not held
        (dt.date(2026, 11, 15), ""),  # Sunday: last week
        (dt.date(2026, 11, 19), ""),  # tomorrow: not held yet
    ]:
        sessions[day] = SessionFactory(cohort=running, on=day, cancel_reason=cancelled)
    SessionFactory(cohort=CohortFactory(wing=other_wing), on=TODAY)  # another wing
    # Attendance: attended out of the marks that count (an excused absence does not).
    for day, resident, mark in [
        (dt.date(2026, 11, 16), ready, "attended"),
        (dt.date(2026, 11, 16), mentor, "refused"),
        (TODAY, ready, "attended"),
        (TODAY, mentor, "sick"),  # excused
        (dt.date(2026, 11, 15), ready, "attended"),  # last week
        (dt.date(2026, 11, 15), mentor, "attended"),  # last week
    ]:
        AttendanceFactory(session=sessions[day], resident=resident, mark=mark)
    finished = CohortFactory(wing=on, status="finished", starts_on=dt.date(2026, 9, 1))
    AttendanceFactory(session=SessionFactory(cohort=finished, on=dt.date(2026, 11, 10)), resident=second_mentor)
    AttendanceFactory(session=SessionFactory(cohort=CohortFactory(wing=other_wing), on=TODAY), resident=elsewhere)

    herbs = ProjectFactory(wing=on)
    for resident, day, hours in [
        (giver, dt.date(2026, 11, 16), 3),
        (giver, TODAY, 2),
        (giver, dt.date(2026, 11, 15), 4),  # last week
        (giver, dt.date(2026, 10, 30), 6),  # last month
    ]:
        ProjectHoursFactory(project=herbs, resident=resident, on=day, hours=hours)
    ProjectHoursFactory(project=ProjectFactory(wing=other_wing), resident=elsewhere, on=TODAY, hours=5)

    meeting = MeetingFactory(wing=on, held_on=dt.date(2026, 11, 2))
    ActionFactory(meeting=meeting, due_on=TODAY - dt.timedelta(days=1))  # overdue
    ActionFactory(meeting=meeting, due_on=TODAY)  # due today: not overdue yet
    ActionFactory(meeting=meeting)  # no date
    ActionFactory(meeting=meeting, due_on=TODAY - dt.timedelta(days=9), status="done", done_on=TODAY)  # done
    ActionFactory(meeting=MeetingFactory(wing=other_wing), due_on=TODAY - dt.timedelta(days=1))  # another wing
    for day, answer in [
        (dt.date(2026, 11, 16), ""),  # this week, waiting
        (dt.date(2026, 11, 17), "adopted"),  # this week, answered
        (dt.date(2026, 11, 3), ""),  # this month, waiting
        (dt.date(2026, 10, 20), ""),  # last month, still waiting
        (dt.date(2026, 10, 21), "declined"),  # last month, answered
    ]:
        reason = "Not possible" if answer == "declined" else ""
        SuggestionFactory(wing=on, received_on=day, answer=answer, reason=reason)
    SuggestionFactory(wing=other_wing, received_on=TODAY)  # another wing
    return on


OWN_GROUPS = ("Residents", "Pre-engagement support", "Waiting list", "Cohorts", "Community projects", "Meetings")


def figures_for(wing, user, span: Span | None = None) -> dict[str, int]:
    """The residents' and programme's figures (mentoring's and evaluation's have their own tests)."""
    return {
        f"{figure.group}: {figure.label}": (figure.value_for(wing.pk), figure.of_for(wing.pk))
        for figure in home_figures(wings=[wing], user=user, today=TODAY, span=span or this_week(TODAY))
        if figure.group in OWN_GROUPS
    }


def test_each_figure_counts_its_records_for_the_wing_and_this_week(records, staff):
    assert figures_for(records, staff) == {
        "Residents: Residents on the wing": (4, 39),  # of 39 bedrooms; the one in Phase 1 has left
        "Residents: Not engaged": (0, None),
        "Residents: Pre-engagement support": (0, None),
        "Residents: Ready for the course": (1, None),
        "Residents: Phase 1": (0, None),
        "Residents: Phase 2": (2, None),
        "Residents: Completed": (1, None),
        "Pre-engagement support: Support contacts": (1, None),
        "Pre-engagement support: Residents supported": (1, None),
        "Pre-engagement support: Hours of support": (1, None),  # 45 minutes
        "Waiting list: Waiting for a phase": (2, None),
        "Waiting list: Pending": (1, None),
        "Waiting list: Approved": (1, None),
        "Cohorts: Cohorts running": (2, None),
        "Cohorts: Residents in a running cohort": (3, None),
        "Cohorts: Sessions held": (2, None),
        "Cohorts: Attended": (2, 3),  # the sick mark is excused
        "Cohorts: Attended since the running cohorts began": (4, 5),
        "Community projects: Community hours given": (5, 13),  # one giver: 30 hours a week, 3 days of it
        "Meetings: Actions open": (3, None),
        "Meetings: Of them overdue": (1, None),
        "Meetings: Suggestions received": (2, None),
        "Meetings: Suggestions waiting for an answer": (3, None),
    }


def test_a_month_counts_from_the_first(records, staff):
    figures = figures_for(records, staff, this_month(TODAY))
    assert {name: figures[name] for name in figures if name.split(": ")[0] != "Residents"} == {
        "Pre-engagement support: Support contacts": (3, None),
        "Pre-engagement support: Residents supported": (2, None),
        "Pre-engagement support: Hours of support": (2, None),  # 135 minutes
        "Waiting list: Waiting for a phase": (2, None),
        "Waiting list: Pending": (1, None),
        "Waiting list: Approved": (1, None),
        "Cohorts: Cohorts running": (2, None),
        "Cohorts: Residents in a running cohort": (3, None),
        "Cohorts: Sessions held": (4, None),  # with Sunday the 15th and the finished cohort's on the 10th
        "Cohorts: Attended": (5, 6),  # the finished cohort's mark counts within the month
        "Cohorts: Attended since the running cohorts began": (4, 5),
        "Community projects: Community hours given": (9, 77),
        "Meetings: Actions open": (3, None),
        "Meetings: Of them overdue": (1, None),
        "Meetings: Suggestions received": (3, None),
        "Meetings: Suggestions waiting for an answer": (3, None),
    }


def test_the_parts_of_a_figure_add_up_to_it(records, staff):
    figures = home_figures(wings=[records], user=staff, today=TODAY, span=this_week(TODAY))
    by_label = {(f.group, f.label): f.value_for(records.pk) for f in figures}
    wholes = {(f.group, f.part_of) for f in figures if f.part_of}
    assert wholes >= {("Residents", "Residents on the wing"), ("Waiting list", "Waiting for a phase")}
    for group, whole in wholes:
        parts = [f.value_for(records.pk) for f in figures if (f.group, f.part_of) == (group, whole)]
        assert sum(parts) == by_label[(group, whole)]


def test_the_home_page_shows_the_figures_and_links_to_the_lists(client, records, staff, time_machine):
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))
    client.force_login(staff)
    page = client.get(reverse("hamlet:home")).content.decode()
    assert "Residents on the wing" in page
    assert 'href="/residents/?stage=ready">1</a>' in page
    assert "Mentor contacts" in page  # mentoring's own test: tests/mentoring/test_home_figures.py


def test_an_evaluator_sees_small_counts_as_fewer_than_five(client, records, evaluator, time_machine):
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))
    client.force_login(evaluator)
    page = client.get(reverse("hamlet:home"), follow=True).content.decode()  # their home is the regional dashboard
    assert "fewer than 5" in page
    assert "/residents/?stage=" not in page  # no link to lists they may not open


def test_the_home_page_costs_the_same_for_one_wing_or_several(client, records, other_wing, drake_hall, other_prison):
    one = UserFactory(role="Custody manager", establishments=[drake_hall])
    both = UserFactory(role="Custody manager", establishments=[drake_hall, other_prison])
    counts = []
    for user in (one, both):
        client.force_login(user)
        client.get(reverse("hamlet:home"))  # first visit chooses the wing
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("hamlet:home")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_unknown_host_is_a_400_not_a_500(client):
    assert client.get("/", HTTP_HOST="attacker.example").status_code == 400


def test_the_dashboard_costs_the_same_however_many_records_it_counts(client, records, manager, time_machine):
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))
    client.force_login(manager)
    client.get(reverse("hamlet:home"))  # the first visit chooses the wing
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("hamlet:home"), {"show": "month"}).status_code == 200
        counts.append(len(queries))
        # Twice as much of everything: residents, cohorts with sessions and marks, hours, actions.
        for _ in range(3):
            resident = ResidentFactory(wing=records, stage="phase_1", arrived_on=TODAY - dt.timedelta(days=90))
            SupportContactFactory(resident=resident, contact_on=TODAY, minutes=30)
            cohort = CohortFactory(wing=records, status="running", starts_on=dt.date(2026, 11, 2))
            EnrolmentFactory(cohort=cohort, resident=resident)
            AttendanceFactory(session=SessionFactory(cohort=cohort, on=TODAY), resident=resident)
            ProjectHoursFactory(project=ProjectFactory(wing=records), resident=resident, on=TODAY, hours=2)
            ActionFactory(meeting=MeetingFactory(wing=records), due_on=TODAY)
            WaitingListEntryFactory(resident=resident, phase="phase_2")
    assert counts[0] == counts[1]


def test_every_figure_links_to_the_list_behind_it(records, manager):
    figures = home_figures(wings=[records], user=manager, today=TODAY, span=this_week(TODAY))
    assert [f"{f.group}: {f.label}" for f in figures if f.group in OWN_GROUPS and not f.url] == []
