"""A new user's first minutes in Hamlet, through the real pages in Chromium."""

import re

import pytest
from auditlog.models import LogEntry
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.hamlet.fixtures import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_signs_in_sees_the_wing_and_signs_out(page, staff, hamlet_wing):
    page.goto("/sign-in/")
    assert_accessible(page)

    sign_in(page, staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("How The Hamlet is doing")
    expect(page.get_by_text("39 bedrooms", exact=True)).to_be_visible()
    # The GOV.UK and MoJ scripts ran (no inline script needed).
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/"))


def test_a_wrong_password_is_shown_in_an_accessible_error_summary(page, staff):
    staff.set_password(PASSWORD)
    staff.save()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(staff.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)


def test_a_custody_manager_corrects_a_mistake_then_sees_the_change_in_the_history(page, manager, hamlet_wing):
    sign_in(page, manager)
    page.get_by_role("link", name="Wing details and aims").click()
    assert_accessible(page)
    page.get_by_role("button", name="Change wing details").click()
    assert_accessible(page)

    page.get_by_label("Capacity (bedrooms)").fill("forty")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the number of bedrooms as a whole number")
    expect(page.locator("#id_capacity")).to_have_value("forty")
    assert_accessible(page)

    page.get_by_label("Capacity (bedrooms)").fill("41")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("41 bedrooms")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("The Hamlet has been updated")
    assert LogEntry.objects.get_for_object(hamlet_wing).filter(actor=manager).exists()

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("table")).to_contain_text("Morgan Hale")
    expect(page.get_by_role("table")).to_contain_text("39 → 41")
    assert_accessible(page)


def test_an_evaluator_switches_between_wings(page, evaluator, hamlet_wing, other_wing):
    sign_in(page, evaluator)
    # Their home is the regional dashboard (issue 15); a wing's own pages follow the switcher.
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional dashboard")
    page.goto("/evaluation/periods/")
    expect(page.locator(".govuk-caption-l")).to_have_text("The Hamlet")
    page.get_by_label("Wing", exact=True).select_option(label=f"{other_wing.name}, {other_wing.establishment.name}")
    page.get_by_role("button", name="Switch wing").click()
    expect(page.locator(".govuk-caption-l")).to_have_text(other_wing.name)
    assert_accessible(page)


def test_the_password_page_and_the_not_found_page_are_accessible(page, staff, hamlet_wing):
    sign_in(page, staff)
    page.get_by_role("link", name=re.compile("change your password")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
    response = page.goto("/wings/999999/")
    assert response.status == 404
    page.problems.clear()  # the browser logs the 404 itself
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
