"""Two-factor sign-in in Chromium: setting up an authenticator app, then signing in with a code."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    # The live server runs in this process, so it sees the setting too.
    settings.HAMLET_2FA = True


def _app_code(secret: str) -> str:
    """What an authenticator app given the typed-in key shows now."""
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_an_evaluator_sets_up_an_app_then_signs_in_with_a_backup_code(page, evaluator, hamlet_wing):
    sign_in(page, evaluator)
    expect(page).to_have_url(re.compile(r"/account/two-factor/set-up/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret-key").inner_text()
    page.get_by_label("6-digit code from your app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is wrong")
    expect(page.get_by_label("6-digit code from your app")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    time.sleep(1.1)  # after a wrong code django-otp makes the next one wait a second
    page.get_by_label("6-digit code from your app").fill(_app_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is set up")
    codes = page.get_by_role("list", name="Backup codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("button", name="Continue to Hamlet").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, evaluator)
    expect(page).to_have_url(re.compile(r"/account/two-factor/\?next=%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.get_by_label("Enter the code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is wrong or has already been used")
    assert_accessible(page)

    page.get_by_label("Enter the code from your authenticator app").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("You used a backup code. You have 9 left.")).to_be_visible()
    assert_accessible(page)
