"""The evaluation through the real pages (issue 14): open a baseline period, rate its grid and
record a relational mapping, close it; open a follow-up, rate it, move the Peer mentors role up
the ladder, map again, and compare with the baseline. axe-core checks every page on the way;
screenshots of the grid and the comparison are saved in test-results/ for people to look at."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import (
    AssessmentPeriod,
    Attribute,
    AttributeCount,
    AttributeSurvey,
    ClimateCount,
    ClimateIndicator,
    ClimateMonth,
    FindingProgress,
    GridRating,
)
from tests.browser.conftest import assert_accessible, fill_date, sign_in
from tests.programme.factories import CohortFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def _add_period(page, label: str, starts: date, ends: date, *, baseline: bool = False) -> None:
    page.goto("/evaluation/periods/")
    page.get_by_role("button", name="Add a period").click()
    page.get_by_label("Name of the period").fill(label)
    fill_date(page, "Starts on", starts)
    fill_date(page, "Ends on", ends)
    if baseline:
        page.get_by_label("This is the wing's baseline").check()
    page.get_by_role("button", name="Add period").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label)


def _rate(page, stage: int, rating: str, evidence: str) -> None:
    page.get_by_role("link", name=re.compile(f"(Rate|Change) stage {stage}$|the rating of stage {stage}$")).click()
    page.get_by_label(rating).check()
    page.get_by_label("Evidence").fill(evidence)
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Stage {stage} rated")


def _map(page, period: str, cohort: str, held_on: date, scores: dict[str, str]) -> None:
    page.goto("/evaluation/periods/")
    page.locator("tbody").get_by_role("link", name=period, exact=True).click()
    page.get_by_role("link", name="Record a relational mapping").click()
    page.get_by_label("Cohort").select_option(label=cohort)
    fill_date(page, "Held on", held_on)
    for label, score in scores.items():
        page.get_by_label(label, exact=True).fill(score)
    page.get_by_role("button", name="Save mapping").click()
    expect(page.get_by_role("alert")).to_contain_text("Relational mapping of")


def test_a_manager_rates_two_periods_maps_and_compares_them(
    page, manager, hamlet_wing, resident, cohort, peer_mentor_role
):
    today = timezone.localdate()
    baseline_start, follow_up_start = today - timedelta(weeks=20), today - timedelta(weeks=10)
    CohortFactory(wing=hamlet_wing, name="Cohort 0", starts_on=baseline_start)
    sign_in(page, manager)
    page.get_by_role("link", name="Evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation")
    assert_accessible(page)

    page.get_by_role("button", name="Add a period").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add period").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the period")
    assert_accessible(page)
    page.get_by_role("alert").get_by_role("link", name="Enter a name for the period").click()
    expect(page.get_by_label("Name of the period")).to_be_focused()

    _add_period(page, "Baseline", baseline_start, follow_up_start - timedelta(days=1), baseline=True)
    assert_accessible(page)
    page.get_by_role("link", name="Rate stage 1").click()
    assert_accessible(page)
    # Evidence naming a resident is refused next to the field, and the link finds the field.
    page.get_by_label("Realistic future potential").check()
    page.get_by_label("Evidence").fill(f"{resident.pseudonym} led the group")
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text("This names a resident of the wing")
    assert_accessible(page)
    page.get_by_role("alert").get_by_role("link", name=re.compile("This names a resident")).click()
    expect(page.get_by_label("Evidence")).to_be_focused()
    page.get_by_label("Evidence").fill("The first cohort had only just begun")
    page.get_by_role("button", name="Save rating").click()
    expect(page.get_by_role("alert")).to_contain_text("Stage 1 rated")
    _rate(page, 3, "Little or no opportunity", "Peer mentors had no part in delivery")
    _map(
        page,
        "Baseline",
        "Phase 1 Cohort 0",
        baseline_start + timedelta(weeks=2),
        {"Peer mentors: trusted": "4", "Wing community: trusted": "7"},
    )
    assert_accessible(page)
    page.goto("/evaluation/periods/")
    page.locator("tbody").get_by_role("link", name="Baseline", exact=True).click()
    page.get_by_role("button", name="Close the period").click()
    expect(page.get_by_role("alert")).to_contain_text("Baseline is closed")
    expect(page.get_by_role("link", name=re.compile("Rate stage"))).to_have_count(0)

    _add_period(page, "Follow-up", follow_up_start, today)
    _rate(page, 1, "Successes identified", "Two cohorts ran with friendships forming")
    _rate(page, 3, "Realistic future potential", "Mentors co-delivered some sessions")
    grid = page.get_by_role("table", name=re.compile("Follow-up"))
    expect(grid).to_contain_text("Successes identified")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "evaluation-grid.png", full_page=True)

    # The Peer mentors role moves up the ladder: rung 2 now, with a plan for 3.
    page.get_by_role("link", name="Participation ladder for this period").click()
    assert_accessible(page)
    page.get_by_role("link", name="Place Peer mentors on the ladder").click()
    assert_accessible(page)
    page.get_by_label("2: Consultation").check()
    page.get_by_label("Evidence").fill("Peer mentors hand out and collect feedback forms")
    page.get_by_role("button", name="Save rung").click()
    expect(page.get_by_text("Current rung: 2: Consultation")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Current rung")).to_have_text(re.compile("2: Consultation"))

    _map(page, "Follow-up", "Phase 1 Cohort 1", today, {"Peer mentors: trusted": "9", "Wing community: trusted": "7"})
    expect(page.get_by_role("table")).to_contain_text("9 (rank 1)")
    assert_accessible(page)
    page.get_by_role("link", name="Compare mappings").click()
    expect(page.get_by_role("table")).to_contain_text("up 5")
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "evaluation-mapping-comparison.png", full_page=True)

    page.goto("/evaluation/periods/")
    page.get_by_role("link", name="Compare two periods' social-capital grids").click()
    comparison = page.get_by_role("table", name="Baseline and Follow-up")
    expect(comparison).to_contain_text("Up")
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "evaluation-comparison.png", full_page=True)
    page.goto("/evaluation/grid/wings/")
    expect(page.get_by_role("table", name="Ratings by wing and stage")).to_contain_text("Baseline")
    assert_accessible(page)

    assert AssessmentPeriod.objects.get(label="Baseline").closed_on is not None
    assert list(GridRating.objects.filter(period__label="Follow-up").values_list("stage", "rating")) == [
        (1, "green"),
        (3, "orange"),
    ]


def test_the_pages_pass_axe_for_staff_who_only_read(page, staff, period, grid_rating, mapping, hamlet_wing):
    today = timezone.localdate()
    for name in ("Self-harm incidents", "Fights and violence", "Adjudications"):
        ClimateIndicator.objects.get_or_create(name=name)
    for months_ago, count in enumerate([7, 5, 3]):
        month = (today.replace(day=1) - timedelta(days=28 * months_ago)).replace(day=1)
        record = ClimateMonth.objects.create(wing=hamlet_wing, month=month)
        for indicator in ClimateIndicator.objects.all()[:3]:
            ClimateCount.objects.create(record=record, indicator=indicator, count=count)
    sign_in(page, staff)
    for path, heading in [
        ("/evaluation/climate/", "Social climate"),
        (f"/evaluation/periods/{period.pk}/ladder/", "Participation ladder"),
        (f"/evaluation/mappings/{mapping.pk}/", "Relational mapping"),
        ("/evaluation/grid/wings/", "Every wing"),
        ("/evaluation/periods/", "Evaluation"),
        (f"/evaluation/periods/{period.pk}/", "Follow-up"),
        ("/evaluation/grid/compare/", "Compare two periods"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_role("button", name="Close the period")).to_have_count(0)
        assert_accessible(page)
        if path == "/evaluation/climate/":
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOTS / "evaluation-climate.png", full_page=True)


def test_every_evaluation_page_and_form_passes_axe_for_the_manager(
    page, manager, period, grid_rating, mapping, voice, finding, staff_post, peer_mentor_role
):
    FindingProgress.objects.create(finding=finding, on=timezone.localdate(), note="Begun", status="in_progress")
    # Browser tests flush the database between them, taking the migrations' catalogues too.
    caring = Attribute.objects.get_or_create(name="Caring", defaults={"core": True})[0]
    ClimateIndicator.objects.get_or_create(name="Self-harm incidents")
    survey = AttributeSurvey.objects.create(period=period, interviews=6)
    AttributeCount.objects.create(survey=survey, attribute=caring, interviews=4)
    sign_in(page, manager)
    for path, heading in [
        (f"/evaluation/periods/{period.pk}/voices/", "What focus groups"),
        (f"/evaluation/periods/{period.pk}/voices/add/", "Add what a group found"),
        (f"/evaluation/voices/{voice.pk}/edit/", "Change a finding"),
        (f"/evaluation/voices/{voice.pk}/remove/", "Remove"),
        ("/evaluation/findings/", "Findings and recommendations"),
        (f"/evaluation/periods/{period.pk}/findings/add/", "Add a finding"),
        (f"/evaluation/findings/{finding.pk}/", finding.summary),
        (f"/evaluation/findings/{finding.pk}/edit/", "Change a finding"),
        (f"/evaluation/periods/{period.pk}/attributes/", "Attributes"),
        (f"/evaluation/periods/{period.pk}/attributes/edit/", "Attributes named"),
        ("/evaluation/staff-team/", "Staff team"),
        ("/evaluation/staff-team/posts/add/", "Add a funded post"),
        (f"/evaluation/staff-team/posts/{staff_post.pk}/", "Change"),
        ("/evaluation/staff-team/2025/11/", "Posts filled"),
        ("/evaluation/delivery-model/", "Peer role delivery model"),
        (f"/evaluation/delivery-model/{peer_mentor_role.pk}/", "How Peer mentors is delivered"),
        ("/evaluation/climate/2025/11/", "Social climate counts"),
        (f"/evaluation/periods/{period.pk}/edit/", "Change"),
        (f"/evaluation/periods/{period.pk}/reopen/", "Reopen"),
        (f"/evaluation/periods/{period.pk}/ladder/{peer_mentor_role.pk}/", "on the ladder"),
        (f"/evaluation/mappings/{mapping.pk}/edit/", "Change the mapping"),
        (f"/evaluation/periods/{period.pk}/mappings/add/", "Record a relational mapping"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)
    # A refused progress note: the error summary's link moves focus to its field.
    page.goto(f"/evaluation/findings/{finding.pk}/")
    page.get_by_role("button", name="Add progress").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what happened")
    assert_accessible(page)
    page.get_by_role("alert").get_by_role("link", name="Say what happened").click()
    expect(page.get_by_label("What happened")).to_be_focused()
    page.goto(f"/evaluation/periods/{period.pk}/attributes/")
    page.screenshot(path=SCREENSHOTS / "evaluation-attributes.png", full_page=True)
