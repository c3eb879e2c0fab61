"""Issue 11: long unbroken text wraps instead of widening the page; wide tables fit at
1280 px or scroll in a labelled region a keyboard can reach."""

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in
from tests.mentoring.factories import NextStepFactory
from tests.residents.factories import ResidentFactory, SupportContactFactory

pytestmark = pytest.mark.django_db(transaction=True)

LONG = "x" * 400
WIDTH = "() => document.documentElement.scrollWidth"


def test_long_unbroken_notes_and_next_steps_wrap(page, manager, holding):
    resident = holding.resident
    SupportContactFactory(resident=resident, staff=manager, notes=LONG, next_step=LONG[:200])
    NextStepFactory(resident=resident, description=LONG[:200], recorded_by=manager)
    sign_in(page, manager)
    for url in (reverse("residents:detail", args=[resident.pk]), reverse("mentoring:mentor", args=[resident.pk])):
        page.goto(url)
        assert page.evaluate(WIDTH) <= 1280, url


def test_the_residents_list_fits_or_scrolls_in_a_labelled_region(page, manager, hamlet_wing):
    ResidentFactory(wing=hamlet_wing, pseudonym=LONG[:60], cats_id="C" * 20)
    sign_in(page, manager)
    page.goto(reverse("residents:list"))
    assert page.evaluate(WIDTH) <= 1280
    region = page.locator(".hamlet-table-container")
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")
    assert region.get_attribute("tabindex") == "0"
