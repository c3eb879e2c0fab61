"""The regional dashboard (issue 15): every wing a user sees side by side, counts only, with
disclosure control on the page and in its CSV and Excel downloads alike."""

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hamlet.contributions import spans
from hamlet.disclosure import FEWER_THAN_5, RULES
from hamlet.models import Wing
from hamlet.regional import regional_tables
from hamlet.roles import Role
from tests.hamlet.attacker import published, worked_out
from tests.hamlet.factories import EstablishmentFactory, UserFactory, WingFactory
from tests.programme.factories import CohortFactory, EnrolmentFactory, SessionFactory, WaitingListEntryFactory
from tests.residents.factories import ResidentFactory

CELL = re.compile(r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>', re.DOTALL)
SMALL = {"1", "2", "3", "4"}


def _fill(wing, residents: int) -> None:
    """``residents`` people on ``wing`` at every stage, some in a running cohort, one waiting."""
    stages = ["not_engaged", "pre_engagement", "ready", "phase_1", "phase_2"]
    people = [ResidentFactory(wing=wing, stage=stages[i % len(stages)]) for i in range(residents)]
    cohort = CohortFactory(wing=wing, status="running")
    for person in people[:3]:
        EnrolmentFactory(cohort=cohort, resident=person)
    SessionFactory(cohort=cohort, on=timezone.localdate())
    WaitingListEntryFactory(resident=people[-1])


@pytest.fixture
def filled(hamlet_wing, other_wing):
    _fill(hamlet_wing, 3)
    _fill(other_wing, 24)


def _cells(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in CELL.findall(page)]


def test_an_evaluators_home_is_the_regional_dashboard(client, evaluator, hamlet_wing):
    client.force_login(evaluator)
    response = client.get(reverse("hamlet:home"))
    assert response.status_code == 302
    assert response.url == reverse("hamlet:regional")


def test_a_custody_managers_home_is_still_their_wings_dashboard(client, manager, hamlet_wing):
    client.force_login(manager)
    assert client.get(reverse("hamlet:home")).status_code == 200


def test_the_page_shows_each_wing_side_by_side_and_never_a_count_from_1_to_4(client, evaluator, filled):
    client.force_login(evaluator)
    page = client.get(reverse("hamlet:regional")).content.decode()
    assert "The Hamlet" in page
    assert "Beacon Wing" in page
    assert "All wings" in page
    assert "HMP Drake Hall" in page
    assert "HMP Thornbury Vale" in page
    cells = _cells(page)
    assert FEWER_THAN_5 in cells
    assert not SMALL & set(cells)
    for rule in RULES:  # the rules are stated on the page
        assert rule.replace("“", "&ldquo;")[:40].split("&")[0] in page


def test_the_page_names_no_one_and_links_to_no_list(client, evaluator, filled):
    from residents.models import Resident

    client.force_login(evaluator)
    page = client.get(reverse("hamlet:regional")).content.decode()
    for resident in Resident.objects.all():
        assert resident.pseudonym not in page
        assert resident.prison_number not in page
    main = page[page.index("<main") : page.index("</main>")]  # the menu is the service's, not the figures'
    for listed in ("/residents/", "/programme/", "/mentoring/"):
        assert f'href="{listed}' not in main


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [["" if value is None else value for value in row] for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_downloads_carry_exactly_the_published_cells_and_the_rules(client, evaluator, filled, fmt):
    client.force_login(evaluator)
    page = client.get(reverse("hamlet:regional"))
    response = client.get(reverse("hamlet:regional_export", args=[fmt]))
    assert response.status_code == 200
    assert f'filename="regional-dashboard-{timezone.localdate():%Y-%m-%d}.{fmt}"' in response["Content-Disposition"]
    rows = _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)
    wings = page.context["tables"].wings
    assert rows[0] == ["Group", "Figure", *(f"{w.name}, {w.establishment.name}" for w in wings), "All wings"]
    figures = [row for row in rows[1:] if row[0] not in ("", "Notes")]
    expected = [
        [group.title, row.figure.label, *(str(cell.export) for cell in row.counts), str(row.total.export)]
        for group in page.context["tables"].groups
        for row in group.rows
    ]
    counts = [[str(value) for value in row] for row in figures if "percentage of" not in row[1]]
    assert counts == expected
    assert not any(str(value) in SMALL for row in counts for value in row[2:])
    assert any(FEWER_THAN_5 in row for row in counts)
    notes = [row[1] for row in rows if row[0] == "Notes"]
    assert notes[0].startswith("Counted within: this week")
    assert notes[2:] == RULES


def test_a_month_can_be_chosen_and_the_downloads_follow_it(client, evaluator, filled):
    client.force_login(evaluator)
    page = client.get(reverse("hamlet:regional"), {"show": "month"})
    assert page.context["tables"].span.key == "month"
    assert "This month:" in page.content.decode()
    assert reverse("hamlet:regional_export", args=["csv"]) + "?show=month" in page.content.decode()
    notes = _csv_rows(client.get(reverse("hamlet:regional_export", args=["csv"]), {"show": "month"}))
    assert any(row[1].startswith("Counted within: this month") for row in notes)
    # Anything else is this week, as on the wing's dashboard.
    assert client.get(reverse("hamlet:regional"), {"show": "decade"}).context["tables"].span.key == "week"


def test_an_unknown_download_format_is_not_found(client, evaluator):
    client.force_login(evaluator)
    assert client.get(reverse("hamlet:regional_export", args=["pdf"])).status_code == 404


@pytest.mark.parametrize("name", ["staff", "other_staff", "administrator"])
def test_only_evaluators_and_custody_managers_may_open_it(client, request, name, hamlet_wing):
    client.force_login(request.getfixturevalue(name))
    assert client.get(reverse("hamlet:regional")).status_code == 403
    assert client.get(reverse("hamlet:regional_export", args=["csv"])).status_code == 403


def test_a_custody_manager_compares_every_establishment_they_are_linked_to_and_no_other(
    client, drake_hall, other_prison, filled
):
    third = WingFactory(establishment=EstablishmentFactory(nomis_code="ZZZ", name="HMP Elsewhere"), name="Far Wing")
    _fill(third, 7)
    manager = UserFactory(role=Role.CUSTODY_MANAGER, establishments=[drake_hall, other_prison])
    client.force_login(manager)
    page = client.get(reverse("hamlet:regional")).content.decode()
    assert "HMP Drake Hall" in page
    assert "HMP Thornbury Vale" in page
    assert "HMP Elsewhere" not in page
    assert "Far Wing" not in page
    download = client.get(reverse("hamlet:regional_export", args=["csv"])).content.decode("utf-8-sig")
    assert "Far Wing" not in download


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["hamlet:regional", "hamlet:regional_export"])
def test_the_page_and_its_download_cost_the_same_for_one_wing_or_many(client, drake_hall, hamlet_wing, url):
    """One query a figure (``hamlet.contributions``), whatever the wings, residents and cohorts."""
    address = reverse(url, args=["xlsx"] if url.endswith("export") else [])
    _fill(hamlet_wing, 3)
    one = UserFactory(role=Role.EVALUATOR, establishments=[drake_hall])
    few = _queries(client, one, address)
    more = [EstablishmentFactory(), EstablishmentFactory()]
    for establishment in more:
        for name in ("North", "South"):
            _fill(WingFactory(establishment=establishment, name=name), 9)
    _fill(WingFactory(establishment=drake_hall, name="Second wing"), 12)
    many = UserFactory(role=Role.EVALUATOR, establishments=[drake_hall, *more])
    assert _queries(client, many, address) == few


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_shows_fewer_than_5_and_no_reader_can_work_out_its_hidden_cells(client, demo):
    from django.contrib.auth import get_user_model

    evaluator = get_user_model().objects.get(username="evaluator")
    client.force_login(evaluator)
    wings = list(Wing.objects.visible_to(evaluator).select_related("establishment"))
    today = timezone.localdate()
    for span in spans(wing=None, today=today):
        page = client.get(reverse("hamlet:regional"), {"show": span.key}).content.decode()
        assert FEWER_THAN_5 in _cells(page), span.label
        assert not SMALL & set(_cells(page))
        tables = regional_tables(wings=wings, user=evaluator, today=today, span=span)
        rows = [row for group in tables.groups for row in group.rows]
        assert worked_out(published(rows)) == {}, span.label
