"""The evaluation through the real pages (issue 14): open a baseline period and rate its grid,
close it, open a follow-up, rate it, and compare the two. axe-core checks every page on the way;
screenshots of the grid and the comparison are saved in test-results/ for people to look at."""

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from evaluation.models import AssessmentPeriod, GridRating
from tests.browser.conftest import assert_accessible, fill_date, sign_in

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


def test_a_manager_rates_two_periods_and_compares_them(page, manager, staff, hamlet_wing, resident):
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

    _add_period(page, "Baseline", date(2026, 1, 5), date(2026, 3, 1), baseline=True)
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
    page.get_by_role("button", name="Close the period").click()
    expect(page.get_by_role("alert")).to_contain_text("Baseline is closed")
    expect(page.get_by_role("link", name=re.compile("Rate stage"))).to_have_count(0)

    _add_period(page, "Follow-up", date(2026, 3, 2), date(2026, 6, 28))
    _rate(page, 1, "Successes identified", "Two cohorts ran with friendships forming")
    _rate(page, 3, "Realistic future potential", "Mentors co-delivered some sessions")
    grid = page.get_by_role("table", name=re.compile("Follow-up"))
    expect(grid).to_contain_text("Successes identified")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "evaluation-grid.png", full_page=True)

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


def test_the_pages_pass_axe_for_staff_who_only_read(page, staff, period, grid_rating):
    sign_in(page, staff)
    for path, heading in [
        ("/evaluation/periods/", "Evaluation"),
        (f"/evaluation/periods/{period.pk}/", "Follow-up"),
        ("/evaluation/grid/compare/", "Compare two periods"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        expect(page.get_by_role("button", name="Close the period")).to_have_count(0)
        assert_accessible(page)
