"""Residents through the real pages: admit, log support, record a departure, import."""

import json
import re
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from playwright.sync_api import expect

from residents.models import Resident
from tests.browser.conftest import assert_accessible, fill_date, sign_in
from tests.residents.factories import NonAssociationFactory, ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_custody_manager_admits_supports_and_discharges_a_resident(page, manager, hamlet_wing):
    today = timezone.localdate()
    sign_in(page, manager)
    page.get_by_role("link", name="Residents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Residents")
    assert_accessible(page)

    page.get_by_role("button", name="Admit a resident").click()
    assert_accessible(page)
    page.get_by_role("button", name="Admit resident").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a pseudonym")
    assert_accessible(page)

    page.get_by_label("Prison number").fill("c7777xy")
    page.get_by_label("Pseudonym").fill("Juniper")
    page.get_by_label("Houseblock").select_option(label="Houseblock 2")
    page.get_by_label("Sentence type").select_option(label="Life")
    page.get_by_label("Age band").select_option(label="40 to 49")
    fill_date(page, "Arrived on the wing", today)
    page.get_by_role("button", name="Admit resident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Juniper")
    expect(page.get_by_text("C7777XY")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Log support").click()
    fill_date(page, "Date", today)
    page.get_by_label("Room visit").check()
    page.get_by_label("What happened").fill("Talked about joining the next cohort")
    assert_accessible(page)
    page.get_by_role("button", name="Save support").click()
    expect(page.locator(".moj-timeline")).to_contain_text("Talked about joining the next cohort")

    page.get_by_role("link", name="Record that they have left the wing").click()
    assert_accessible(page)
    fill_date(page, "Date they left the wing", today)
    page.get_by_label("Transferred to open conditions").check()
    page.get_by_role("button", name="Record departure").click()
    expect(page.locator(".moj-timeline")).to_contain_text("Left the wing: Transferred to open conditions")
    assert_accessible(page)
    assert not Resident.objects.get(prison_number="C7777XY").is_current


def test_an_officer_imports_a_spreadsheet_after_seeing_its_problems(page, staff, hamlet_wing, tmp_path):
    bad = tmp_path / "residents.csv"
    bad.write_text(
        "prison_number,pseudonym,houseblock,sentence_type,age_band,arrived_on\n"
        "D1111AA,Clover,Houseblock 1,Short,30 to 39,01/10/2026\n"
        "nonsense,Poppy,Houseblock 7,Short,30 to 39,01/10/2026\n"
    )
    sign_in(page, staff)
    page.goto("/residents/import/")
    assert_accessible(page)
    page.get_by_label("Spreadsheet of residents").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been imported")
    expect(page.get_by_role("table")).to_contain_text("Houseblock 7")
    assert_accessible(page)

    good = tmp_path / "fixed.csv"
    good.write_text(bad.read_text().replace("nonsense", "D2222BB").replace("Houseblock 7", "Houseblock 2"))
    page.get_by_label("Spreadsheet of residents").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 residents").click()
    expect(page).to_have_url(re.compile(r"/residents/$"))
    expect(page.get_by_role("table")).to_contain_text("Poppy")
    assert Resident.objects.filter(prison_number__in=["D1111AA", "D2222BB"]).count() == 2


def test_the_other_resident_pages_are_accessible(page, manager, resident, long_gone_resident):
    sign_in(page, manager)
    for path in [
        f"/residents/{resident.pk}/edit/",
        f"/residents/{resident.pk}/stage/",
        f"/residents/{resident.pk}/non-associations/",
        "/residents/retention/",
        "/residents/?status=left",
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.goto(f"/residents/{resident.pk}/stage/")
    page.get_by_label("Ready for the course").check()
    fill_date(page, "Date of the change", "3", "11", "26")
    page.get_by_role("button", name="Record stage change").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the year as 4 numbers")
    assert_accessible(page)


def test_a_search_finds_the_resident_and_never_enters_the_address(page, staff, resident, hamlet_wing):
    ResidentFactory(wing=hamlet_wing, pseudonym="Orla")
    sign_in(page, staff)
    page.get_by_role("link", name="Residents", exact=True).click()
    page.get_by_label("Pseudonym or prison number").fill("a4101bk")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 resident")
    expect(page.get_by_role("table")).to_contain_text("Tamsin")
    assert "4101" not in page.url
    assert_accessible(page)
    page.get_by_role("button", name="Clear search").click()
    expect(page.get_by_role("status")).to_have_text("2 residents")


def test_subject_access_asks_the_reason_and_gives_a_readable_page_with_the_json_beside_it(page, manager, resident):
    """What is handed to the person: a page in plain words that names no other resident,
    opened only once the reason is given (an access entry with it), and the JSON beside it."""
    other = ResidentFactory(pk=987654, wing=resident.wing, pseudonym="Persimmon", prison_number="A9876ZZ")
    NonAssociationFactory(first=resident, second=other, reason="Threats on the landing")
    sign_in(page, manager)
    page.goto(f"/residents/{resident.pk}/")
    page.get_by_role("link", name=re.compile("subject access")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Subject access")
    assert_accessible(page)

    page.get_by_label("Reason").fill("   ")
    page.get_by_role("button", name="Show their data").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason")
    page.get_by_role("link", name=re.compile("Enter the reason")).click()
    assert page.evaluate("() => document.activeElement.name") == "reason"
    assert_accessible(page)

    page.get_by_label("Reason").fill("Her written request of 1 December")
    page.get_by_role("button", name="Show their data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Everything Hamlet holds about Tamsin")
    main = page.locator("main")
    expect(main).to_contain_text("Prison number")
    expect(main).to_contain_text("A4101BK")
    expect(main).to_contain_text("Non-associations")
    expect(main).to_contain_text("another resident")
    text = main.inner_text()
    for never in ("Persimmon", "A9876ZZ", "987654", "prison_number", "audit_trail"):
        assert never not in text
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("JSON")).click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["resident"]["prison number"] == "A4101BK"

    reasons = [
        entry.additional_data.get("reason")
        for entry in LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(resident.pk))
        if entry.additional_data.get("how") == "subject access"
    ]
    assert reasons == ["Her written request of 1 December"] * 2
