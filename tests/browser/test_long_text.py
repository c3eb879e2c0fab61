"""Issue 11: long unbroken text wraps instead of widening the page; wide tables fit at
1280 px or scroll in a labelled region a keyboard can reach."""

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in
from tests.mentoring.factories import NextStepFactory, NominationFactory, SupervisionSessionFactory
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


# Words of the table's own headings and of the names in it that were split across lines.
SPLIT_WORDS = """(selector) => {
  const split = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_a_long_unbroken_comment_in_a_table_leaves_the_other_columns_readable(page, manager, holding, candidate):
    """A resident's words on a candidate and what a mentor hands back wrap; the headings and
    the names beside them are not split letter by letter."""
    NominationFactory(candidate=candidate, comment=LONG[:200])
    SupervisionSessionFactory(mentor=holding.resident, hand_back=LONG[:300])
    sign_in(page, manager)
    for url in (reverse("mentoring:round", args=[candidate.round_id]), reverse("mentoring:workload")):
        page.goto(url)
        assert page.evaluate(WIDTH) <= 1280, url
        assert page.evaluate(SPLIT_WORDS, "main th, main td a") == [], url
