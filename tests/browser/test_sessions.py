"""Being signed out at the 10-hour limit, as a member of staff sees it in Chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_after_ten_hours_the_sign_in_page_says_why(page, staff, hamlet_wing, time_machine, settings):
    settings.SESSION_COOKIE_AGE = 11 * 60 * 60  # so the idle limit does not end it first
    time_machine.move_to(timezone.now(), tick=True)
    sign_in(page, staff)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    time_machine.shift(timedelta(hours=10, minutes=1))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page.get_by_text("You have been signed out because you signed in more than 10 hours ago")).to_be_visible()
    assert_accessible(page)
