"""Community projects: hours a resident gives, by week against the wing's target, and by
project, against hand-built entries with the answers written out."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programme import services
from programme.models import ProjectHours
from programme.selectors import project_page, projects_on, weekly_hours
from tests.programme.factories import CohortFactory, EnrolmentFactory, ProjectFactory, ProjectHoursFactory
from tests.residents.factories import ResidentFactory

START = date(2026, 9, 7)  # a Monday: week 1 is 7 to 13 September


@pytest.fixture
def give_back(hamlet_wing):
    """A Phase 2 cohort of eight weeks from START, with Ash and Birch in it."""
    cohort = CohortFactory(
        wing=hamlet_wing,
        phase="phase_2",
        status="running",
        starts_on=START,
        ends_on=START + timedelta(weeks=8, days=-1),
    )
    long_ago = START - timedelta(days=200)
    ash = EnrolmentFactory(
        cohort=cohort, resident=ResidentFactory(wing=hamlet_wing, pseudonym="Ash", arrived_on=long_ago)
    ).resident
    birch = EnrolmentFactory(
        cohort=cohort, resident=ResidentFactory(wing=hamlet_wing, pseudonym="Birch", arrived_on=long_ago)
    ).resident
    return cohort, ash, birch


def test_each_residents_hours_are_counted_by_week_of_the_cohort(give_back, hamlet_wing):
    cohort, ash, birch = give_back
    garden, charity = ProjectFactory(wing=hamlet_wing), ProjectFactory(wing=hamlet_wing)
    for project, resident, day, hours in [
        (garden, ash, START, "6"),  # week 1
        (charity, ash, START, "2.5"),  # week 1, another project on the same day
        (garden, ash, START + timedelta(days=6), "4"),  # Sunday: still week 1
        (garden, ash, START + timedelta(days=7), "5"),  # Monday: week 2
        (garden, birch, START + timedelta(weeks=7, days=6), "3"),  # the last day: week 8
        (garden, birch, START - timedelta(days=1), "7"),  # the day before the cohort: not counted
        (garden, birch, START + timedelta(weeks=8), "7"),  # the day after: not counted
    ]:
        ProjectHoursFactory(project=project, resident=resident, on=day, hours=Decimal(hours))
    rows = {row.resident.pseudonym: row for row in weekly_hours(cohort=cohort, residents=[ash, birch])}
    assert rows["Ash"].weeks == [Decimal("12.5"), Decimal("5"), 0, 0, 0, 0, 0, 0]
    assert rows["Ash"].total == Decimal("17.5")
    assert rows["Birch"].weeks == [0, 0, 0, 0, 0, 0, 0, Decimal("3")]
    assert rows["Birch"].total == Decimal("3")


def test_a_projects_hours_are_totalled_by_resident_and_in_all(give_back, hamlet_wing, staff, other_wing):
    _, ash, birch = give_back
    garden = ProjectFactory(wing=hamlet_wing, title="Garden")
    for resident, day, hours in [(ash, START, "3"), (ash, START + timedelta(days=1), "1.5"), (birch, START, "2")]:
        ProjectHoursFactory(project=garden, resident=resident, on=day, hours=Decimal(hours))
    ProjectHoursFactory(project=ProjectFactory(wing=hamlet_wing), resident=ash, on=START, hours=5)  # another project
    page = project_page(project=garden, user=staff)
    assert [(row["resident__pseudonym"], row["days"], row["total"]) for row in page["by_resident"]] == [
        ("Ash", 2, Decimal("4.5")),
        ("Birch", 1, Decimal("2")),
    ]
    assert page["total"] == Decimal("6.5")
    assert projects_on(wing=hamlet_wing, user=staff).get(pk=garden.pk).total == Decimal("6.5")


def test_twelve_hours_a_day_across_projects_and_only_for_an_agreed_project(give_back, hamlet_wing, staff):
    _, ash, _ = give_back
    running, idea = ProjectFactory(wing=hamlet_wing), ProjectFactory(wing=hamlet_wing, status="idea")
    ProjectHoursFactory(project=ProjectFactory(wing=hamlet_wing), resident=ash, on=START, hours=10)
    with pytest.raises(ValidationError) as refused:
        services.hours_log(entry=ProjectHours(project=running, resident=ash, on=START, hours=Decimal("2.5")), by=staff)
    assert refused.value.message_dict == {
        "hours": ["Ash would have more than 12 hours on this day across every project"]
    }
    with pytest.raises(ValidationError):
        services.hours_log(entry=ProjectHours(project=idea, resident=ash, on=START, hours=1), by=staff)
    services.hours_log(entry=ProjectHours(project=running, resident=ash, on=START, hours=2), by=staff)
    assert ProjectHours.objects.filter(resident=ash, on=START).count() == 2


def test_the_phase_2_cohort_page_shows_the_weekly_hours_against_the_target(client, staff, give_back, hamlet_wing):
    cohort, ash, _ = give_back
    ProjectHoursFactory(project=ProjectFactory(wing=hamlet_wing), resident=ash, on=START, hours=Decimal("6.5"))
    client.force_login(staff)
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert "Community hours by week, against 30 offered a week" in page
    assert "6.5" in page


def test_the_projects_list_costs_the_same_for_one_project_or_ten(client, staff, hamlet_wing):
    from tests.programme.test_pages import _queries

    client.force_login(staff)
    ProjectHoursFactory(project=ProjectFactory(wing=hamlet_wing))
    one = _queries(client, reverse("programme:projects"))
    for _ in range(9):
        ProjectHoursFactory(project=ProjectFactory(wing=hamlet_wing))
    assert _queries(client, reverse("programme:projects")) == one


def test_hours_logged_in_error_are_removed_audited_and_can_be_logged_again(client, staff, project_hours):
    from auditlog.models import LogEntry

    url = reverse("programme:hours_remove", args=[project_hours.pk])
    client.force_login(staff)
    assert "Remove these hours?" in client.get(url).content.decode()
    assert client.post(url)["Location"] == project_hours.project.get_absolute_url()
    assert not ProjectHours.objects.exists()
    removed = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_pk=str(project_hours.pk))
    assert removed.actor == staff
    again = ProjectHours(project=project_hours.project, resident=project_hours.resident, on=project_hours.on, hours=2)
    services.hours_log(entry=again, by=staff)
