"""The pages no journey passes through, opened in Chromium and checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.hamlet.fixtures import PASSWORD
from tests.residents.factories import ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_confirmation_refusal_and_changed_password_pages_are_accessible(
    page, manager, long_gone_resident, recruitment_round
):
    sign_in(page, manager)
    for path, heading in [
        ("/sign-out/", "Sign out of Hamlet"),
        (f"/residents/{long_gone_resident.pk}/anonymise/", "Anonymise this record?"),
        (f"/mentoring/recruitment/{recruitment_round.pk}/close/", "Close this round?"),
        ("/account/password/done/", "Password changed"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page)


def test_the_locked_out_page_is_accessible(page, staff):
    staff.set_password(PASSWORD)
    staff.save()
    for _ in range(5):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(staff.username)
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("locked for 15 minutes"))
    page.problems.clear()  # the browser logs the refused sign-in (429) itself, once the page has loaded
    assert_accessible(page)


def test_the_refusal_page_is_accessible(page, staff, hamlet_wing):
    sign_in(page, staff)
    response = page.goto("/residents/retention/")  # for custody managers only
    assert response.status == 403
    page.problems.clear()  # the browser logs the refused load itself
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    assert_accessible(page)


def test_the_research_extract_is_accessible(page, evaluator, hamlet_wing):
    ResidentFactory.create_batch(5, wing=hamlet_wing, evaluation_consent=True)  # five alike: none left out
    sign_in(page, evaluator)
    page.get_by_role("link", name="Research extract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Research extract")
    expect(page.get_by_role("status")).to_have_text("5 residents")
    assert_accessible(page)


def test_the_staff_with_access_page_is_accessible(page, manager, staff, drake_hall):
    sign_in(page, manager)
    page.goto(f"/establishments/{drake_hall.pk}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff with access")
    assert_accessible(page)
