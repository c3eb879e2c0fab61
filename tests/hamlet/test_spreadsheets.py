"""Issue 11: an Excel export a person can use: dates as dates, numbers as numbers, yes/no
in words, and an apostrophe only where a cell would otherwise be a formula."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from django.urls import reverse

from mentoring.models import Qualification, TrainingRecord


def _sheet(response) -> list[dict]:
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_residents_excel_export_writes_dates_as_dates(client, staff, resident):
    client.force_login(staff)
    (row,) = _sheet(client.get(reverse("residents:export", args=["xlsx"])))
    assert row["arrived_on"] in (resident.arrived_on, datetime.combine(resident.arrived_on, datetime.min.time()))
    assert isinstance(row["arrived_on"], date)
    assert row["departed_on"] is None
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("residents:export", args=["xlsx"])).content))
    assert workbook.active["G2"].number_format == "DD/MM/YYYY"


def test_the_csv_export_still_writes_dates_day_month_year(client, staff, resident):
    client.force_login(staff)
    (row,) = _csv(client.get(reverse("residents:export", args=["csv"])))
    assert row["arrived_on"] == f"{resident.arrived_on:%d/%m/%Y}"


def test_the_training_export_writes_numbers_as_numbers_and_yes_no_as_words(client, staff, holding):
    ncfe = Qualification.objects.create(name="NCFE Level 2", awarding_body="NCFE", level="Level 2", accredited=True)
    TrainingRecord.objects.create(
        resident=holding.resident, qualification=ncfe, status="achieved", learning_hours=Decimal("7.5"),
        refresher=False, completed_on=date(2026, 3, 2),
    )  # fmt: skip
    client.force_login(staff)
    (row,) = _sheet(client.get(reverse("mentoring:training_export", args=["xlsx"])))
    assert row["learning_hours"] == 7.5
    assert (row["accredited"], row["refresher"]) == ("Yes", "No")
    assert row["completed_on"].date() == date(2026, 3, 2)
    (text_row,) = _csv(client.get(reverse("mentoring:training_export", args=["csv"])))
    assert (text_row["accredited"], text_row["refresher"], text_row["completed_on"]) == ("Yes", "No", "02/03/2026")


def test_the_formula_guard_marks_only_what_would_be_a_formula(client, staff, holding):
    ncfe = Qualification.objects.create(name="NCFE Level 2", awarding_body="NCFE", level="Level 2")
    for where in ("=cmd|' /C calc'!A0", "- the education block", "+44 wing"):
        TrainingRecord.objects.create(resident=holding.resident, qualification=ncfe, status="achieved",
                                      attained_at=where)  # fmt: skip
    client.force_login(staff)
    cells = {row["attained_at"] for row in _sheet(client.get(reverse("mentoring:training_export", args=["xlsx"])))}
    assert cells == {"'=cmd|' /C calc'!A0", "- the education block", "+44 wing"}
    # A CSV file has no cell types: whatever a spreadsheet would read as a formula is marked.
    texts = {row["attained_at"] for row in _csv(client.get(reverse("mentoring:training_export", args=["csv"])))}
    assert texts == {"'=cmd|' /C calc'!A0", "'- the education block", "'+44 wing"}
