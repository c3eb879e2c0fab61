"""The home page's figures, each counted by the app that owns its records, checked against
hand-built records with the numbers written out — including records just outside the
week or month and at another wing, which must not be counted."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hamlet.contributions import home_figures
from tests.hamlet.factories import UserFactory
from tests.mentoring.factories import MentorContactFactory, RoleHoldingFactory, SupervisionSessionFactory
from tests.programme.factories import CohortFactory, EnrolmentFactory, SessionFactory, WaitingListEntryFactory
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

    for resident, day in [
        (ready, TODAY),
        (ready, dt.date(2026, 11, 1)),
        (mentor, dt.date(2026, 11, 2)),
        (ready, dt.date(2026, 10, 31)),  # last month
        (elsewhere, TODAY),  # another wing
    ]:
        SupportContactFactory(resident=resident, contact_on=day, staff=staff)

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
    EnrolmentFactory(cohort=CohortFactory(wing=other_wing, status="running"), resident=elsewhere)  # another wing
    WaitingListEntryFactory(resident=ready, phase="phase_2", status="pending")
    WaitingListEntryFactory(resident=second_mentor, status="approved")
    WaitingListEntryFactory(resident=mentor, status="declined", reason="Not yet")  # closed
    WaitingListEntryFactory(resident=elsewhere)  # another wing
    for day, cancelled in [
        (dt.date(2026, 11, 16), ""),
        (TODAY, ""),
        (dt.date(2026, 11, 17), "operational"),  # cancelled: not held
        (dt.date(2026, 11, 15), ""),  # Sunday: last week
        (dt.date(2026, 11, 19), ""),  # tomorrow: not held yet
    ]:
        SessionFactory(cohort=running, on=day, cancel_reason=cancelled)
    SessionFactory(cohort=CohortFactory(wing=other_wing), on=TODAY)  # another wing
    return on


def figures_for(wing, user) -> dict[str, int]:
    return {
        f"{figure.group}: {figure.label}": figure.value_for(wing.pk)
        for figure in home_figures(wings=[wing], user=user, today=TODAY)
    }


def test_each_figure_counts_its_records_for_the_wing_and_period(records, staff):
    figures = figures_for(records, staff)
    assert {name: value for name, value in figures.items() if not name.startswith("Keepsakes")} == {
        "Residents: Residents on the wing": 3,
        "Engagement journey: Not engaged": 0,
        "Engagement journey: Pre-engagement support": 0,
        "Engagement journey: Ready for the course": 1,
        "Engagement journey: Phase 1": 0,  # the one in Phase 1 has left
        "Engagement journey: Phase 2": 1,
        "Engagement journey: Completed": 1,
        "Pre-engagement support this month: Support contacts": 3,
        "Pre-engagement support this month: Residents supported": 2,
        "Peer mentors: Residents in a peer role": 2,
        "Peer mentors: Mentor contacts this week": 3,
        "Peer mentors: Of them out of hours": 1,
        "Peer mentors: Supervision sessions this month": 1,
        "Programme: Residents in a running cohort": 2,
        "Programme: Waiting for a phase": 2,
        "Programme: Sessions held this week": 2,
    }


def test_the_home_page_shows_the_figures_and_links_to_the_lists(client, records, staff, time_machine):
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))
    client.force_login(staff)
    page = client.get(reverse("hamlet:home")).content.decode()
    assert "Residents on the wing" in page
    assert 'href="/residents/?stage=ready">1</a>' in page
    assert "Mentor contacts this week" in page


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


def test_the_week_of_mentor_contacts_begins_and_ends_at_midnight_here_not_in_utc(hamlet_wing, peer_mentor_role, staff):
    summer = dt.date(2026, 7, 15)  # a Wednesday in British Summer Time: the week began on Monday 13th
    mentor = ResidentFactory(wing=hamlet_wing, arrived_on=summer - dt.timedelta(days=400))
    RoleHoldingFactory(resident=mentor, role=peer_mentor_role, started_on=summer - dt.timedelta(days=300))
    for at in [
        dt.datetime(2026, 7, 12, 22, 30, tzinfo=dt.UTC),  # 23:30 on Sunday here: last week
        dt.datetime(2026, 7, 12, 23, 30, tzinfo=dt.UTC),  # 00:30 on Monday here: this week
        dt.datetime(2026, 7, 12, 23, 45, tzinfo=dt.UTC),  # 00:45 on Monday here: this week
        dt.datetime(2026, 7, 15, 22, 59, tzinfo=dt.UTC),  # 23:59 today here
        dt.datetime(2026, 7, 15, 23, 30, tzinfo=dt.UTC),  # 00:30 tomorrow here
    ]:
        MentorContactFactory(mentor=mentor, occurred_at=at)
    figures = {
        f.label: f.value_for(hamlet_wing.pk) for f in home_figures(wings=[hamlet_wing], user=staff, today=summer)
    }
    assert figures["Mentor contacts this week"] == 3  # counting in UTC would make it 2
