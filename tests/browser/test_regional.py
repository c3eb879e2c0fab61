"""The two dashboards in Chromium (issue 15): an evaluator's home is the regional dashboard; a
custody manager opens it from their wing's. Each page is checked with axe-core, and
screenshots are saved in test-results/ for people to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.hamlet.test_regional import _fill

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def figures(hamlet_wing, other_wing):
    _fill(hamlet_wing, 24)
    _fill(other_wing, 3)


def test_an_evaluator_lands_on_the_regional_dashboard_chooses_a_month_and_downloads_it(page, evaluator, figures):
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, evaluator)
    expect(page).to_have_url(re.compile(r"/regional/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional dashboard")
    expect(page.get_by_role("heading", name="How small numbers are protected")).to_be_visible()
    residents = page.get_by_role("region", name="Residents", exact=True)
    expect(residents.get_by_role("columnheader", name="HMP Thornbury Vale")).to_be_visible()
    expect(page.get_by_role("cell", name="fewer than 5").first).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "regional-dashboard.png", full_page=True)

    page.get_by_label("Count within").select_option(value="month")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"show=month"))
    expect(page.locator(".govuk-caption-l")).to_contain_text("This month")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "fewer than 5" in text
    assert "Counted within: this month" in text
    assert not re.search(r",[1-4],", text)


def test_a_custody_manager_opens_the_regional_dashboard_from_their_wings(page, manager, figures):
    SCREENSHOTS.mkdir(exist_ok=True)
    sign_in(page, manager)
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Hamlet")
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "wing-dashboard.png", full_page=True)
    page.get_by_role("link", name="Regional dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional dashboard")
    # Sealed to their own establishment: the other prison is not a column.
    expect(page.get_by_text("HMP Drake Hall").first).to_be_visible()
    expect(page.get_by_text("HMP Thornbury Vale")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=SCREENSHOTS / "regional-dashboard-custody-manager.png", full_page=True)
