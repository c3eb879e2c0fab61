import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residents.models import Resident
from residents.resources import check_import

HEADER = "prison_number,pseudonym,houseblock,room,sentence_type,age_band,arrived_on,cats_id\n"
GOOD = HEADER + (
    "A1111AA,Saffron,Houseblock 1,3,Short,30 to 39,01/10/2026,CATS-1\n"
    "a2222bb,Marigold,Houseblock 2,,life,40-49,2026-09-15,\n"
)


# Only the columns an import cannot do without: room and CATS ID may be left out.
REQUIRED_HEADER = "prison_number,pseudonym,houseblock,sentence_type,age_band,arrived_on\n"


def _upload(client, content: bytes, name: str = "residents.csv"):
    return client.post(reverse("residents:import"), {"file": SimpleUploadedFile(name, content)})


def test_a_good_file_is_previewed_then_imported_on_confirmation(client, staff, hamlet_wing):
    client.force_login(staff)
    response = _upload(client, GOOD.encode())
    assert response.context["check"].ok
    assert "Import 2 residents" in response.content.decode()
    assert not Resident.objects.exists()  # nothing until confirmed
    response = client.post(reverse("residents:import_confirm"))
    assert response.status_code == 302
    saffron = Resident.objects.get(prison_number="A1111AA")
    assert (saffron.wing, saffron.houseblock.name, saffron.age_band) == (hamlet_wing, "Houseblock 1", "30-39")
    assert Resident.objects.get(prison_number="A2222BB").sentence_type == "life"
    assert saffron.stage == "not_engaged"
    start = saffron.stage_changes.get()
    assert (start.stage, start.changed_on.isoformat(), start.recorded_by) == ("not_engaged", "2026-10-01", staff)


def test_each_imported_resident_and_their_first_stage_are_in_the_audit_trail_with_who_imported_them(
    client, staff, hamlet_wing
):
    client.force_login(staff)
    _upload(client, GOOD.encode())
    client.post(reverse("residents:import_confirm"), REMOTE_ADDR="10.1.2.3")
    residents = list(Resident.objects.all())
    assert len(residents) == 2
    for resident in residents:
        created = LogEntry.objects.get_for_object(resident).get(action=LogEntry.Action.CREATE)
        assert (created.actor, created.remote_addr) == (staff, "10.1.2.3")
        assert created.changes["prison_number"] == ["None", resident.prison_number]
        start = LogEntry.objects.get_for_object(resident.stage_changes.get()).get(action=LogEntry.Action.CREATE)
        assert (start.actor, start.remote_addr) == (staff, "10.1.2.3")


def test_an_excel_file_is_imported_too(client, staff, hamlet_wing):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(staff)
    assert _upload(client, buffer.getvalue(), "residents.xlsx").context["check"].ok


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_saved(client, staff, hamlet_wing, resident):
    bad = HEADER + (
        "A1111AA,Saffron,Houseblock 1,3,Short,30 to 39,01/10/2026,\n"  # line 2: fine
        "12345,Marigold,Houseblock 1,,Short,30 to 39,01/10/2026,\n"  # line 3: bad prison number
        "A3333CC,Juniper,Houseblock 9,,Short,30 to 39,01/10/2026,\n"  # line 4: unknown houseblock
        "A1111AA,Clover,Houseblock 1,,Short,30 to 39,01/10/2026,\n"  # line 5: duplicate in the file
        f"{resident.prison_number},Poppy,Houseblock 1,,Short,30 to 39,01/10/2026,\n"  # line 6: a current resident here
        "A4444DD,Hazel,Houseblock 1,,Very long,30 to 39,31/02/2026,\n"  # line 7: bad sentence and date
    )
    client.force_login(staff)
    check = _upload(client, bad.encode()).context["check"]
    lines = {line for line, _ in check.problems}
    assert lines >= {3, 4, 5, 6, 7}
    assert 2 not in lines
    messages = " ".join(message for _, message in check.problems)
    assert "Houseblock 9" in messages
    assert "appears more than once" in messages
    assert "already has this prison number" in messages
    assert client.post(reverse("residents:import_confirm")).status_code == 302
    assert list(Resident.objects.all()) == [resident]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"prison_number,pseudonym\nA1111AA,Saffron\n", "r.csv", "missing: sentence_type, age_band, arrived_on"),
        ((HEADER + "A1111AA,Zo\xe9,,,Short,30 to 39,01/10/2026,\n").encode("latin-1"), "r.csv", "UTF-8"),
        (b"%PDF-1.4 not a spreadsheet", "r.xlsx", "not an Excel workbook"),
        (b"\x00\x01\x02binary", "r.csv", "not a spreadsheet"),
        (HEADER.encode(), "r.csv", "no residents"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(client, staff, hamlet_wing, content, name, message):
    client.force_login(staff)
    response = _upload(client, content, name)
    assert message in response.content.decode()
    assert not Resident.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"x" * (1024 * 1024 + 1), "big.csv", "larger than 1 MB"),
        (b"prison_number", "residents.pdf", "CSV or Excel"),
    ],
)
def test_a_file_too_large_or_of_the_wrong_kind_is_refused_next_to_the_field(
    client, staff, hamlet_wing, content, name, message
):
    client.force_login(staff)
    response = _upload(client, content, name)
    assert message in " ".join(response.context["form"].errors["file"])


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["A1234BC", "a9999zz", "Short", "life", "30 to 39", "01/10/2026", "Houseblock 1", "=1+1", ""]),
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cells, min_size=8, max_size=8), min_size=1, max_size=8))
def test_any_file_is_saved_whole_or_not_at_all_and_never_crashes(hamlet_wing, rows):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.strip().split(","))
    writer.writerows(rows)
    before = Resident.objects.count()
    check = check_import(wing=hamlet_wing, name="generated.csv", content=buffer.getvalue().encode(), commit=True)
    saved = Resident.objects.count() - before
    assert saved in (0, len(rows))
    assert (saved == len(rows)) == check.ok
    Resident.objects.all().delete()


def test_an_import_ignores_empty_rows_and_houseblock_case(hamlet_wing):
    content = REQUIRED_HEADER + "E1111AA,Sorrel,houseblock 1,Short,30 to 39,01/10/2026\n,,,,,\n\n"
    check = check_import(wing=hamlet_wing, name="r.csv", content=content.encode())
    assert check.ok, check.problems
    assert check.rows == 1


def test_an_import_explains_semicolons_and_too_many_rows(hamlet_wing):
    semicolons = REQUIRED_HEADER.replace(",", ";") + "E1111AA;Sorrel;;Short;30 to 39;01/10/2026\n"
    check = check_import(wing=hamlet_wing, name="r.csv", content=semicolons.encode())
    assert "semicolons" in check.problems[0][1]
    many = REQUIRED_HEADER + "".join(f"E{n:04d}AA,P{n},,Short,30 to 39,01/10/2026\n" for n in range(1001))
    check = check_import(wing=hamlet_wing, name="r.csv", content=many.encode())
    assert "at most 1000" in check.problems[0][1]


def test_an_import_says_a_value_is_missing_in_plain_words(hamlet_wing):
    check = check_import(
        wing=hamlet_wing, name="r.csv", content=(REQUIRED_HEADER + "E1111AA,,,Short,30 to 39,01/10/2026\n").encode()
    )
    assert any("pseudonym: is missing" in message for _, message in check.problems), check.problems
