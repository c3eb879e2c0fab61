"""The wing's dashboard in Chromium, with the demo's records (issue 15): every figure's link
opens the list behind it, the span can be changed, and axe-core finds nothing. A screenshot
is saved in test-results/ for people to look at."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def demo(monkeypatch):
    # The browser tests empty the database after each test, catalogues the migrations seeded
    # (climate indicators, attributes) and all: seed them again, as a new installation has them.
    for seeded in ("0006_climate_catalogue", "0009_attribute_catalogue"):
        import_module(f"evaluation.migrations.{seeded}").seed(apps, None)
    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("username", ["manager.dhi", "officer.dhi"])
def test_the_wing_dashboard_answers_how_the_wing_is_doing(page, demo, username):
    sign_in(page, get_user_model().objects.get(username=username))
    expect(page.get_by_role("heading", level=1)).to_have_text("How The Hamlet is doing")
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"dashboard-{username}.png", full_page=True)

    figures = page.locator(".hamlet-figures a")
    links = {figures.nth(i).get_attribute("href") for i in range(figures.count())}
    assert len(links) >= 8
    for link in sorted(links):
        response = page.goto(link)
        assert response.status == 200, link
    page.goto("/")

    page.get_by_label("Count within").select_option(value="month")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("count this month, from")).to_be_visible()
    assert "show=month" in page.url
    assert_accessible(page)
    assert page.problems == []
