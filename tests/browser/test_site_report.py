"""The site report in Chromium (issue 15), on the demo's data: the custody manager opens it
from the evaluation page and the evaluator opens theirs, axe-core checks both, screenshots of
each are saved in test-results/, and the manager's is printed to PDF on A4. The PDF must hold
every section, each starting a page, with page numbers, no menu or form, at least six pages, and
no table row split across two pages."""

import importlib
import io
import re
from pathlib import Path

import pypdf
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from evaluation.models import AssessmentPeriod
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

RESULTS = Path(__file__).resolve().parents[2] / "test-results"

# The study's order, as the issue lists it: the report must have each, in this order.
HEADINGS = [
    "Profile of the establishment and wing",
    "The staff team",
    "Phased delivery",
    "Peer role delivery model",
    "Recruitment, training and progression",
    "Engagement and attendance",
    "Peer mentors' contributions",
    "Impact and relational mapping",
    "Social climate",
    "Attributes of a good peer-role holder",
    "What the focus groups found",
    "Social-capital building",
    "Good practice, challenges, lessons and recommendations",
    "The participation ladder, role by role",
    "Peer involvement roles",
]

# Before the second printing each table row gets a marker at its start and at the end of every
# cell, and is made ten lines taller, so that tables run over the ends of pages (the demo's rows
# are mostly one line, and might all fall short of a page's end by chance). A row printed whole
# has all its markers on one page; without break-inside: avoid, rows are cut at page ends.
MARK_ROWS = """() => {
  const rows = [...document.querySelectorAll('.hamlet-report tbody tr')];
  rows.forEach((row, index) => {
    const cells = row.querySelectorAll('th, td');
    const start = document.createElement('span');
    start.textContent = `[[r${index}a]] `;
    cells[0].prepend(start);
    for (let line = 0; line < 10; line++) {
      cells[0].append(Object.assign(document.createElement('div'), {textContent: `row ${index} line ${line}`}));
    }
    cells.forEach((cell) => cell.append(` [[r${index}z]]`));
  });
  return rows.length;
}"""


@pytest.fixture
def demo(monkeypatch):
    # Browser tests flush the database between them, taking the migrations' catalogues too.
    for migration in ("0006_climate_catalogue", "0009_attribute_catalogue"):
        importlib.import_module(f"evaluation.migrations.{migration}").seed(apps, None)
    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=io.StringIO())
    return get_user_model().objects


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def split_rows(pages: list[str], rows: int) -> list[int]:
    """The rows whose markers are not all on one page."""
    where: dict[int, set[int]] = {}
    for number, text in enumerate(pages):
        for row in re.findall(r"\[\[r(\d+)[az]\]\]", text):
            where.setdefault(int(row), set()).add(number)
    assert set(where) == set(range(rows)), "a row's markers are missing from the PDF"
    return [row for row, found in where.items() if len(found) > 1]


def test_the_report_prints_as_a_clean_a4_document_with_every_section(page, demo):
    sign_in(page, demo.get(username="manager.dhi"))
    page.get_by_role("link", name="Evaluation").click()
    page.get_by_role("link", name="Site report, to read or print").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site report: Follow-up")
    assert_accessible(page)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / "site-report.png", full_page=True)

    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    (RESULTS / "site-report.pdf").write_bytes(pdf)
    pages = _pages(pdf)
    text = "\n".join(pages)

    assert len(pages) >= 6
    for heading in HEADINGS:
        # Each section starts a new page: its heading is among the first lines of one.
        assert any(heading in page_text.strip().splitlines()[:3] for page_text in pages), heading
    places = [text.index(heading) for heading in HEADINGS]
    assert places == sorted(places), "the sections are out of the study's order"
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page_text
    for screen_only in ("Sign out", "Show the report", "Skip to main content", "Back to the periods", "Switch wing"):
        assert screen_only not in text

    rows = page.evaluate(MARK_ROWS)
    assert rows > 60
    stretched = _pages(page.pdf(format="A4", prefer_css_page_size=True))
    assert len(stretched) > len(pages)
    assert split_rows(stretched, rows) == []


def test_the_evaluator_opens_the_pseudonymised_version(page, demo):
    sign_in(page, demo.get(username="evaluator"))
    page.goto("/evaluation/periods/")
    page.get_by_role("link", name="Site report, to read or print").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site report: Follow-up")
    expect(page.get_by_text("This is the pseudonymised version")).to_be_visible()
    content = page.content()
    assert "fewer than 5" in content
    for name in ("Morgan", "Hale", "Okafor", "manager.dhi"):
        assert name not in content
    assert_accessible(page)
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=RESULTS / "site-report-evaluator.png", full_page=True)
    # Another period from the form.
    baseline = AssessmentPeriod.objects.get(wing__name="The Hamlet", label="Baseline")
    page.get_by_label("Period").select_option(label=f"Baseline, {baseline.dates}")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Site report: Baseline")
    assert_accessible(page)
