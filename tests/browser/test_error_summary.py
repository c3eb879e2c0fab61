"""Issue 11: every error-summary link moves focus to the first input of its field, dates,
radios and checkboxes included; after a refused submission focus is on the summary, even
when the address carries a fragment."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const element = document.activeElement;
  return {tag: element.tagName, name: element.getAttribute("name"), summary: element.matches(".govuk-error-summary")};
}"""


def _links(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        ".govuk-error-summary__list a", "links => links.map(link => [link.textContent.trim(), link.hash])"
    )


def _click_each_link(page, expected_names: dict[str, str]) -> None:
    """Click each summary link; focus must land on an input of the field named for its message."""
    seen = {}
    for text, _ in _links(page):
        page.get_by_role("link", name=text, exact=True).click()
        focused = page.evaluate(FOCUSED)
        assert focused["tag"] in ("INPUT", "SELECT", "TEXTAREA"), (text, focused)
        seen[text] = focused["name"]
    for text, name in expected_names.items():
        assert seen[text].startswith(name), (text, seen[text])


def test_the_error_summary_links_reach_radios_dates_and_checkboxes(page, manager, resident):
    sign_in(page, manager)
    page.goto(reverse("residents:stage", args=[resident.pk]) + "#main-content")
    fill_date(page, "Date of the change", "40", "2", "2026")
    page.get_by_role("button", name="Record stage change").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the stage the resident has reached")
    assert page.evaluate(FOCUSED)["summary"], "focus is not on the error summary"
    assert_accessible(page)
    _click_each_link(
        page,
        {
            "Select the stage the resident has reached": "stage",
            "Date of the change must be a real date": "changed_on_0",
        },
    )


def test_the_admit_forms_summary_reaches_a_whole_date_and_checkboxes(page, manager, hamlet_wing):
    sign_in(page, manager)
    page.goto(reverse("residents:admit") + "#main-content")
    page.get_by_label("Limited access").check()
    page.get_by_role("group", name="Arrived on the wing").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Arrived on the wing").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Arrived on the wing").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Admit resident").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a pseudonym")
    assert page.evaluate(FOCUSED)["summary"], "focus is not on the error summary"
    _click_each_link(page, {"Name at least one member of staff who may open this record": "permitted_staff",
                            "Arrived on the wing must be a real date": "arrived_on_0"})  # fmt: skip
