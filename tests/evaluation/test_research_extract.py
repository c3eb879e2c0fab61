"""Evaluators see no one: the research extract carries keyed research IDs, never identities."""

import csv
import hashlib
import hmac
import io
from base64 import b32encode
from collections import Counter

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hamlet.pseudonyms import research_id
from residents.models import AgeBand, SentenceType
from residents.services import resident_anonymise
from tests.residents.factories import ResidentFactory

KEY = "test-suite-pseudonym-key-0123456789abcdef"  # pyproject.toml's test default


@pytest.fixture
def consenting(hamlet_wing, other_wing):
    """Consenting residents at both prisons, with identities planted as canaries."""
    here = ResidentFactory(
        wing=hamlet_wing,
        pseudonym="Canary Marigold",
        prison_number="A9001ZZ",
        evaluation_consent=True,
        sentence_type=SentenceType.LIFE,
        age_band=AgeBand.FORTIES,
    )
    there = ResidentFactory(
        wing=other_wing, pseudonym="Canary Juniper", prison_number="B9002ZZ", evaluation_consent=True
    )
    # Four alike with each, so disclosure control (issue 10) keeps them in at the finest detail.
    for person in (here, there):
        alike = {"sentence_type": person.sentence_type, "age_band": person.age_band, "arrived_on": person.arrived_on}
        person.crowd = ResidentFactory.create_batch(4, wing=person.wing, evaluation_consent=True, **alike)
    return here, there


def _everyone(consenting) -> list:
    return [someone for person in consenting for someone in (person, *person.crowd)]


def _csv_rows(response) -> list[dict]:
    text = response.getvalue().decode("utf-8-sig")  # streamed: getvalue() reads the whole stream
    return list(csv.DictReader(io.StringIO(text)))


def _downloads(client) -> dict[str, str]:
    """The page, the CSV and the Excel file, each as text."""
    xlsx = client.get(reverse("evaluation:extract_export", args=["xlsx"])).content
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert workbook.active.title == "Research extract"
    cells = " ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row)
    return {
        "page": client.get(reverse("evaluation:index")).content.decode(),
        "csv": client.get(reverse("evaluation:extract_export", args=["csv"])).getvalue().decode("utf-8-sig"),
        "xlsx": cells,
    }


def test_the_research_id_is_an_hmac_of_the_record_under_the_environment_key(resident):
    digest = hmac.new(KEY.encode(), f"resident:{resident.pk}".encode(), hashlib.sha256).digest()
    assert research_id("resident", resident.pk) == "R-" + b32encode(digest).decode()[:10]


def test_an_evaluator_sees_research_ids_and_no_identities(client, evaluator, consenting):
    here, there = consenting
    client.force_login(evaluator)
    for name, text in _downloads(client).items():
        for person in (here, there):
            assert research_id("resident", person.pk) in text, name
            assert person.pseudonym not in text, name
            assert person.prison_number not in text, name
    rows = _csv_rows(client.get(reverse("evaluation:extract_export", args=["csv"])))
    row = next(row for row in rows if row["research_id"] == research_id("resident", here.pk))
    assert row["establishment"] == "HMP Drake Hall"
    assert row["sentence_type"] == "Life"
    assert row["arrived_month"] == f"{here.arrived_on:%Y-%m}"


def test_research_ids_are_stable_between_extracts_and_change_with_the_key(client, evaluator, consenting, settings):
    client.force_login(evaluator)
    url = reverse("evaluation:extract_export", args=["csv"])
    first = [row["research_id"] for row in _csv_rows(client.get(url))]
    second = [row["research_id"] for row in _csv_rows(client.get(url))]
    assert first == second
    assert len(set(first)) == 10
    settings.HAMLET_PSEUDONYM_KEY = "another-key-for-another-deployment-0123456789"
    assert set(row["research_id"] for row in _csv_rows(client.get(url))).isdisjoint(first)


def test_the_key_is_never_stored_in_the_database(client, evaluator, consenting):
    client.force_login(evaluator)
    _downloads(client)  # writes access events, the likeliest place for it to leak
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert KEY not in dump.getvalue()
    assert research_id("resident", consenting[0].pk) not in dump.getvalue()


def test_only_consenting_residents_without_limited_access_or_anonymisation_are_in_it(
    client, evaluator, hamlet_wing, consenting, long_gone_resident, staff
):
    declined = ResidentFactory(wing=hamlet_wing, evaluation_consent=False)
    limited = ResidentFactory(wing=hamlet_wing, evaluation_consent=True, limited_access=True)
    long_gone_resident.evaluation_consent = True
    long_gone_resident.save()
    resident_anonymise(resident=long_gone_resident, by=staff, today=timezone.localdate())
    client.force_login(evaluator)
    ids = {row["research_id"] for row in _csv_rows(client.get(reverse("evaluation:extract_export", args=["csv"])))}
    assert ids == {research_id("resident", person.pk) for person in _everyone(consenting)}
    assert research_id("resident", declined.pk) not in ids
    assert research_id("resident", limited.pk) not in ids


def test_a_custody_manager_who_sees_named_records_does_not_get_the_record_level_extract(client, manager, consenting):
    client.force_login(manager)
    assert client.get(reverse("evaluation:index")).status_code == 403
    assert client.get(reverse("evaluation:extract_export", args=["csv"])).status_code == 403


def test_every_view_and_download_of_the_extract_is_an_access_event(client, evaluator, consenting):
    here, there = consenting
    client.force_login(evaluator)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    _downloads(client)
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")[before:]
    # One entry per establishment for each of the page, the CSV and the Excel file.
    assert len(entries) == 6
    assert {entry.additional_data["how"] for entry in entries} == {
        "research extract page",
        "research extract csv",
        "research extract xlsx",
    }
    assert all(entry.actor == evaluator for entry in entries)
    assert {frozenset(entry.additional_data["residents"]) for entry in entries} == {
        frozenset(someone.pk for someone in (person, *person.crowd)) for person in (here, there)
    }


def test_an_unknown_format_is_not_found(client, evaluator):
    client.force_login(evaluator)
    assert client.get(reverse("evaluation:extract_export", args=["pdf"])).status_code == 404


def test_the_extract_page_costs_the_same_for_five_or_fifty_residents(client, evaluator, hamlet_wing):
    client.force_login(evaluator)
    counts = []
    for how_many in (5, 45):
        ResidentFactory.create_batch(how_many, wing=hamlet_wing, evaluation_consent=True)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("evaluation:index")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_months_not_days_leave_the_site(client, evaluator, hamlet_wing):
    arrived = timezone.localdate().replace(day=17)
    # Five alike, so disclosure control leaves their arrival month as it is.
    ResidentFactory.create_batch(
        5, wing=hamlet_wing, evaluation_consent=True, arrived_on=arrived, sentence_type="short", age_band="30-39"
    )
    client.force_login(evaluator)
    downloads = _downloads(client)
    for name, text in downloads.items():
        for exact in (arrived.strftime("%d/%m/%Y"), arrived.isoformat(), arrived.strftime("%-d %b %Y")):
            assert exact not in text, name
    assert arrived.strftime("%Y-%m") in downloads["csv"]
    assert arrived.strftime("%Y-%m") in downloads["page"]


# Issue 10, item 2b: the extract re-identified people; disclosure control (evaluation.disclosure).

WEIGHTS = [30, 30, 20, 5, 3, 12]  # short, intermediate, long determinate, life, IPP, remand
QUASI_IDENTIFIERS = ["establishment", "wing", "sentence_type", "age_band", "arrived_month"]


def _generated_population(size: int, wings: list, *, days: int, seed: int, consenting: float = 1.0) -> None:
    """``size`` invented residents spread over ``wings``, arriving within ``days``, a share
    ``consenting`` of them consenting; the same ones for the same seed."""
    import random
    from datetime import timedelta

    from residents.models import Resident

    rng = random.Random(seed)  # noqa: S311  (a repeatable population, not a secret)
    today = timezone.localdate()
    Resident.objects.bulk_create(
        Resident(
            wing=wing, establishment_id=wing.establishment_id, prison_number=f"G{n:04d}{chr(65 + n % 26)}Z",
            pseudonym=f"Generated {n}", sentence_type=rng.choices(SentenceType.values, weights=WEIGHTS)[0],
            age_band=rng.choice(AgeBand.values), arrived_on=today - timedelta(days=rng.randrange(1, days)),
            evaluation_consent=rng.random() < consenting, room="1",
        )
        for n, wing in ((n, rng.choice(wings)) for n in range(size))
    )  # fmt: skip


def _groups(client) -> Counter:
    rows = _csv_rows(client.get(reverse("evaluation:extract_export", args=["csv"])))
    assert rows, "an empty extract proves nothing"
    return Counter(tuple(row[column] for column in QUASI_IDENTIFIERS) for row in rows)


def test_no_row_of_the_demo_extract_shares_its_quasi_identifiers_with_fewer_than_four_others(client, db, monkeypatch):
    monkeypatch.setenv("HAMLET_DEMO", "1")
    call_command("load_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="evaluator"))
    groups = _groups(client)
    assert min(groups.values()) >= 5, groups


def test_no_row_of_a_generated_population_of_2000_shares_its_quasi_identifiers_with_fewer_than_four_others(
    client, evaluator, hamlet_wing, other_wing
):
    from residents.models import Resident

    _generated_population(2000, [hamlet_wing, other_wing], days=3 * 365, consenting=0.8, seed=10)
    client.force_login(evaluator)
    groups = _groups(client)
    assert min(groups.values()) >= 5
    assert sum(groups.values()) == Resident.objects.filter(evaluation_consent=True).count()


@pytest.mark.parametrize(("size", "days"), [(3, 30), (40, 60), (300, 90), (600, 3 * 365), (2000, 3 * 365)])
def test_the_generalisation_is_the_first_step_without_a_rare_combination(hamlet_wing, other_wing, size, days):
    from evaluation import disclosure

    _generated_population(size, [hamlet_wing, other_wing], days=days, seed=size)
    # Every step tried in order, each person's combination worked out one by one.
    people = list(disclosure.consenting_population().values_list("wing_id", "sentence_type", "age_band", "arrived_on"))
    for step in disclosure.STEPS:
        groups = Counter(disclosure.Generalisation(*step).key(*person) for person in people)
        rare = {key[0] for key, count in groups.items() if count < disclosure.K}
        if not rare:
            expected = disclosure.Generalisation(*step)
            break
    else:
        expected = disclosure.Generalisation(*disclosure.STEPS[-1], left_out_wings=frozenset(rare))
    assert disclosure.generalisation() == expected


def test_the_six_lifers_cannot_be_picked_out_and_counts_are_banded(client, evaluator, hamlet_wing):
    from mentoring.models import PeerRole, RoleHolding

    lifers = ResidentFactory.create_batch(6, wing=hamlet_wing, evaluation_consent=True, sentence_type="life")
    ResidentFactory.create_batch(30, wing=hamlet_wing, evaluation_consent=True, sentence_type="short")
    role = PeerRole.objects.create(
        establishment=hamlet_wing.establishment, title="Listeners", pay="unpaid", induction=True, single_issue=True,
        bridging=False, representation="some",
    )  # fmt: skip
    RoleHolding.objects.create(resident=lifers[0], role=role, started_on=lifers[0].arrived_on)
    client.force_login(evaluator)
    rows = _csv_rows(client.get(reverse("evaluation:extract_export", args=["csv"])))
    assert min(_groups(client).values()) >= 5
    assert {row["peer_roles_held"] for row in rows} <= {"0", "1 to 4", "5 to 9", "10 to 19", "20 or more"}
    assert "1 to 4" in {row["peer_roles_held"] for row in rows}


def test_the_same_generalisation_is_in_every_extract_whoever_reads_it_and_whatever_the_filters(
    client, evaluator, hamlet_wing, other_wing
):
    ResidentFactory.create_batch(6, wing=hamlet_wing, evaluation_consent=True, sentence_type="life")
    ResidentFactory.create_batch(6, wing=other_wing, evaluation_consent=True, sentence_type="short")
    client.force_login(evaluator)
    url = reverse("evaluation:extract_export", args=["csv"])
    whole = {row["research_id"]: row for row in _csv_rows(client.get(url))}
    one_wing = _csv_rows(client.get(url, {"wing": hamlet_wing.pk}))
    assert one_wing
    assert all(whole[row["research_id"]] | {"notes": ""} == row | {"notes": ""} for row in one_wing)


def test_the_csv_extract_is_streamed_and_is_the_file_the_whole_rows_would_make(
    client, evaluator, consenting, hamlet_wing, other_wing
):
    from evaluation import disclosure, selectors
    from evaluation.resources import ResearchExtractResource
    from hamlet.spreadsheets import spreadsheet_response

    # More rows than one write of the stream, and a name that must be kept from running as a formula.
    _generated_population(1200, [hamlet_wing, other_wing], days=3 * 365, seed=16)
    hamlet_wing.name = '=HYPERLINK("http://example.org","The Hamlet")'
    hamlet_wing.save()
    client.force_login(evaluator)
    response = client.get(reverse("evaluation:extract_export", args=["csv"]))
    assert isinstance(response, StreamingHttpResponse)
    generalisation = disclosure.generalisation()
    rows = list(selectors.research_extract(evaluator, generalisation))
    whole = ResearchExtractResource(generalisation=generalisation).export(queryset=rows)
    expected = spreadsheet_response(whole, fmt="csv", name="research-extract")
    streamed = response.getvalue()
    assert len(rows) > 1000
    assert streamed == expected.content
    assert b"'=HYPERLINK" in streamed
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        expected["Content-Type"],
        expected["Content-Disposition"],
    )


def test_the_page_and_the_file_state_the_rules(client, evaluator, consenting):
    from evaluation.disclosure import RULES

    client.force_login(evaluator)
    assert RULES in client.get(reverse("evaluation:index")).content.decode()
    assert _csv_rows(client.get(reverse("evaluation:extract_export", args=["csv"])))[0]["notes"] == RULES
