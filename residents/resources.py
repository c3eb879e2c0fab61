"""Reading residents from a spreadsheet, and writing lists of them to one.

The import is all or nothing: every row is checked first (a dry run, which writes
nothing), each problem is reported with its spreadsheet line, and the residents are
saved only when the whole file is good, all at once (``residents.services.residents_admit``)
in one transaction, which a failure leaves with nothing saved.
"""

import functools
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import openpyxl
import tablib
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone
from import_export import fields, resources, widgets
from openpyxl.styles import Font

from hamlet.models import Houseblock, Wing
from hamlet.spreadsheets import TypedExportResource
from residents.forms import PRISON_NUMBER_IN_USE
from residents.models import ARRIVAL_MISSING, EARLIEST_ARRIVAL, AgeBand, Intake, Resident, SentenceType
from residents.selectors import prison_numbers_in_use
from residents.services import residents_admit

COLUMNS = ["prison_number", "pseudonym", "houseblock", "room", "sentence_type", "age_band", "arrived_on", "cats_id"]
REQUIRED_COLUMNS = ["prison_number", "pseudonym", "sentence_type", "age_band", "arrived_on"]
MAX_ROWS = 1000
SET_BY_THE_IMPORT = ["establishment", "wing", "houseblock", "departed_on", "departure_reason", "consent_witnessed_by"]
PRISON_NUMBER_IN_USE_IN_A_ROW = PRISON_NUMBER_IN_USE[0].lower() + PRISON_NUMBER_IN_USE[1:]


class ChoiceWidget(widgets.Widget):
    """Accepts a choice by its stored value or its label, in any case."""

    def __init__(self, choices, noun: str):
        # noun carries its article: "a sentence type", "an age band".
        super().__init__()
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        self.noun = noun
        self.labels = ", ".join(label for _, label in choices)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        try:
            return self.lookup[str(value).strip().lower()]
        except KeyError:
            raise ValueError(f"‘{value}’ is not {self.noun}; use one of: {self.labels}") from None


class HouseblockWidget(widgets.ForeignKeyWidget):
    """A houseblock by name, only on the wing being imported into."""

    def __init__(self, wing: Wing):
        super().__init__(Houseblock, field="name")
        self.wing = wing

    def get_queryset(self, value, row, *args, **kwargs):
        return Houseblock.objects.filter(wing=self.wing)

    @functools.cached_property
    def by_name(self) -> dict[str, Houseblock]:
        # A wing has a handful of houseblocks: read them once, not once a row.
        return {houseblock.name.lower(): houseblock for houseblock in self.get_queryset(None, None)}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return self.by_name[str(value).strip().lower()]
        except KeyError:
            names = ", ".join(houseblock.name for houseblock in self.by_name.values())
            raise ValueError(
                f"There is no houseblock called ‘{value}’ on {self.wing.name}; use one of: {names}"
            ) from None


class UKDateWidget(widgets.DateWidget):
    """Day/month/year as people in the UK write it; ISO dates and Excel date cells too."""

    def __init__(self):
        super().__init__()
        self.formats = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row, **kwargs)
        except ValueError:
            raise ValueError(f"‘{value}’ is not a date; write it as day/month/year, like 27/03/2026") from None


class ResidentImportResource(resources.ModelResource):
    def __init__(self, *, wing: Wing, by=None):
        super().__init__()
        self.wing = wing
        self.by = by
        self.seen_prison_numbers: set[str] = set()
        self.in_use: set[str] = set()
        self.intake: Intake | None = None
        self.fields["houseblock"] = fields.Field("houseblock", "houseblock", HouseblockWidget(wing))
        self.fields["sentence_type"] = fields.Field(
            "sentence_type", "sentence_type", ChoiceWidget(SentenceType.choices, "a sentence type")
        )
        self.fields["age_band"] = fields.Field("age_band", "age_band", ChoiceWidget(AgeBand.choices, "an age band"))
        self.fields["arrived_on"] = fields.Field("arrived_on", "arrived_on", UKDateWidget())

    class Meta:
        model = Resident
        fields = COLUMNS
        import_id_fields = ["prison_number"]
        clean_model_instances = True
        skip_diff = True
        use_transactions = True
        # The file's residents are admitted together once every row is checked
        # (residents.services.residents_admit), not saved a row at a time.
        use_bulk = True
        batch_size = None

    def before_import(self, dataset, **kwargs):
        # Only a clash the importing user could see for themselves: the same answer as an unused
        # number for one at another prison or on a limited-access record (issue 10). One query
        # for the whole file.
        numbers = [_prison_number(number) for number in dataset["prison_number"]]
        here = self.wing.establishment_id
        self.in_use = prison_numbers_in_use(user=self.by, establishment_id=here, prison_numbers=numbers)
        self.intake = Intake(self.wing)

    def before_import_row(self, row, **kwargs):
        # Spaces around a value are never meant, and a cell of only spaces is an empty one.
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = value.strip()
        number = row["prison_number"] = _prison_number(row.get("prison_number"))
        if number and number in self.seen_prison_numbers:
            raise ValidationError({"prison_number": f"{number} appears more than once in the file"})
        self.seen_prison_numbers.add(number)
        if number in self.in_use:
            raise ValidationError({"prison_number": f"{number}: {PRISON_NUMBER_IN_USE_IN_A_ROW}"})

    def get_instance(self, instance_loader, row):
        # The import admits new residents only; it never looks up or overwrites an existing record.
        return None

    def before_save_instance(self, instance, row, **kwargs):
        instance.establishment_id = self.wing.establishment_id
        instance.wing = self.wing

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        # Admitted as through the page (the same service, for the whole file at once), so the
        # engagement journey starts the same way and the audit trail has each one. The check
        # writes nothing: every rule a row must keep was checked above, earlier rows included
        # (Intake), so writing and rolling back would only double the time an import takes.
        if not self.create_instances or dry_run:
            self.create_instances.clear()
            return
        try:
            residents_admit(residents=self.create_instances, by=self.by)
        except Exception as error:  # reported as the file's problem, and nothing is saved
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        instance.establishment_id = self.wing.establishment_id
        instance.wing = self.wing
        instance.intake = self.intake  # the rooms and names the earlier rows have taken
        errors = dict(import_validation_errors or {})
        try:
            # What the import sets itself is not checked again for every row, each check
            # being a query: the wing and its establishment, the houseblock the widget found
            # on that wing, and no departure (so both departure constraints hold).
            instance.full_clean(exclude=[*errors, *SET_BY_THE_IMPORT], validate_unique=validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        self.intake.add(instance)


@dataclass
class ImportCheck:
    """What a new user needs to see before committing an import."""

    rows: int = 0
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    preview: list[list] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.rows > 0


def _prison_number(value) -> str:
    return str(value or "").strip().replace(" ", "").upper()


def read_spreadsheet(name: str, content: bytes) -> tablib.Dataset:
    """Open CSV or XLSX bytes as a dataset, or raise ValueError saying what is wrong."""
    if name.lower().endswith(".xlsx"):
        try:
            return tablib.Dataset().load(content, format="xlsx")
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValueError("The file is not an Excel workbook. Save it as .xlsx or CSV and try again.") from None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("The file is not saved as UTF-8 text. In Excel choose ‘CSV UTF-8’ when saving.") from None
    if "\x00" in text:
        raise ValueError("The file is not a spreadsheet saved as CSV")
    try:
        return tablib.Dataset().load(text, format="csv")
    except Exception:
        raise ValueError("The file could not be read as CSV") from None


def _tidy(dataset: tablib.Dataset) -> tablib.Dataset:
    """Header names in any case or spacing; rows with nothing in them (Excel keeps
    formatted empty rows) left out."""
    tidy = tablib.Dataset(headers=[str(h or "").strip().lower().replace(" ", "_") for h in dataset.headers or []])
    for row in dataset:
        if any(cell not in (None, "") and str(cell).strip() for cell in row):
            tidy.append(row)
    return tidy


def check_import(*, wing: Wing, name: str, content: bytes, commit: bool = False, by=None) -> ImportCheck:
    """Check (and with ``commit``, save) a spreadsheet of residents for ``wing``."""
    check = ImportCheck()
    try:
        dataset = read_spreadsheet(name, content)
    except ValueError as error:
        check.problems.append((None, str(error)))
        return check
    dataset = _tidy(dataset)
    headers = dataset.headers or []  # None for an empty file, a lone newline or byte-order mark
    if not any(headers):
        check.problems.append((None, "The file is empty. Its first line must name the columns."))
        return check
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    if missing and len(headers) == 1 and ";" in headers[0]:
        check.problems.append((1, "The columns are separated by semicolons; save the file as CSV with commas"))
        return check
    if missing:
        check.problems.append((1, f"The first line must name the columns; missing: {', '.join(missing)}"))
        return check
    check.rows = len(dataset)
    if not check.rows:
        check.problems.append((None, "The file has no residents in it"))
        return check
    if check.rows > MAX_ROWS:
        check.problems.append((None, f"The file has {check.rows} residents; import at most {MAX_ROWS} at a time"))
        return check
    resource = ResidentImportResource(wing=wing, by=by)
    result = resource.import_data(dataset, dry_run=not commit, raise_errors=False, rollback_on_validation_errors=True)
    # A failure saving the whole file (it is saved at once) belongs to no one row.
    for error in result.base_errors:
        check.problems.append((None, _message(error.error)))
    # Line 1 is the header, so a data row's spreadsheet line is its number plus one.
    for number, errors in result.row_errors():
        for error in errors:
            check.problems.append((number + 1, _message(error.error)))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = column.replace("_", " ") if column != "__all__" else ""
            for message in messages:
                message = _PLAIN.get(message, message)
                check.problems.append((invalid.number + 1, f"{label}: {message}" if label else message))
    check.problems.sort(key=lambda problem: problem[0] or 0)
    check.warnings = _namesakes(wing, dataset)
    rows = [dict(zip(dataset.headers, row, strict=False)) for row in dataset[:20]]
    labels = {**_LABELS, "houseblock": {name.lower(): name for name in wing.houseblocks.values_list("name", flat=True)}}
    check.preview = [[_shown(row.get(column), labels.get(column, {})) for column in COLUMNS] for row in rows]
    return check


def _namesakes(wing: Wing, dataset: tablib.Dataset) -> list[tuple[int, str]]:
    """Rows whose pseudonym a current resident of the wing (seen or not), or an earlier row,
    already has: allowed where the houseblock and room tell them apart, but worth a look."""
    column = dataset.headers.index("pseudonym")
    names = [str(row[column] or "").strip() for row in dataset]
    lowered = {name.lower() for name in names if name}
    taken = set(
        Resident.objects.current()
        .on_wing(wing)
        .annotate(name=Lower("pseudonym"))
        .filter(name__in=lowered)
        .values_list("name", flat=True)
    )
    warnings, seen = [], set()
    for number, name in enumerate(names, start=2):
        if name and (name.lower() in taken or name.lower() in seen):
            warnings.append((number, f"The pseudonym ‘{name}’ is already in use on {wing.name}"))
        seen.add(name.lower())
    return warnings


# The preview shows what will be saved in the words the pages use ("Short", "30 to 39"),
# whether the file gave a choice's stored value or its label.
_LABELS = {
    "sentence_type": {key: label for value, label in SentenceType.choices for key in (value, label.lower())},
    "age_band": {key: label for value, label in AgeBand.choices for key in (value, label.lower())},
}


def _shown(value, labels: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}"
    text = str(value).strip()
    return labels.get(text.lower(), text)


# Django's wording for a missing value, in words that fit a spreadsheet.
_PLAIN = {
    "This field cannot be null.": "is missing",
    "This field cannot be blank.": "is missing",
    ARRIVAL_MISSING: "is missing",
}


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(_PLAIN.get(message, message) for message in error.messages)
    return str(error) or error.__class__.__name__


class ResidentExportResource(TypedExportResource):
    houseblock = fields.Field("houseblock__name", "houseblock")
    sentence_type = fields.Field("get_sentence_type_display", "sentence_type")
    age_band = fields.Field("get_age_band_display", "age_band")
    stage = fields.Field("get_stage_display", "stage")
    departure_reason = fields.Field("get_departure_reason_display", "departure_reason")

    class Meta:
        model = Resident
        fields = [*COLUMNS, "stage", "departed_on", "departure_reason"]
        export_order = fields


def import_template(wing: Wing) -> bytes:
    """An Excel file to fill in for the import: the columns with one example row, and a
    notes sheet of what each column takes (the wing's own houseblocks among them)."""
    houseblocks = list(wing.houseblocks.values_list("name", "rooms"))
    example = {
        "prison_number": "A1234BC",
        "pseudonym": "Saffron",
        "houseblock": houseblocks[0][0] if houseblocks else "",
        "room": "1" if houseblocks else "",
        "sentence_type": SentenceType.SHORT.label,
        "age_band": AgeBand.THIRTIES.label,
        "arrived_on": timezone.localdate() - timedelta(days=1),
        "cats_id": "",
    }
    notes = [
        ("prison_number", "Needed. One letter, four numbers, two letters, like A1234BC"),
        ("pseudonym", "Needed. The name Hamlet shows on screen; never the person's real name"),
        ("houseblock", "Optional. One of: " + (", ".join(name for name, _ in houseblocks) or "none set up yet")),
        ("room", "Optional, and only with a houseblock: "
         + ("; ".join(f"{name}: 1 to {rooms}" for name, rooms in houseblocks) or "no rooms yet")),
        ("sentence_type", "Needed. One of: " + ", ".join(SentenceType.labels)),
        ("age_band", "Needed. One of: " + ", ".join(AgeBand.labels)),
        ("arrived_on", f"Needed. Day/month/year, like 27/03/2026; not in the future, not before {EARLIEST_ARRIVAL:%Y}"),
        ("cats_id", "Optional. The CATS participant ID"),
    ]  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Residents"
    sheet.append(COLUMNS)
    sheet.append([example[column] for column in COLUMNS])
    sheet.cell(row=2, column=COLUMNS.index("arrived_on") + 1).number_format = "DD/MM/YYYY"
    guide = book.create_sheet("Notes")
    guide.append(["Column", "What to write"])
    guide.append(["", "Write one resident on each row of the Residents sheet, in place of the example row."])
    for row in notes:
        guide.append(list(row))
    for page in (sheet, guide):
        for cell in page[1]:
            cell.font = Font(bold=True)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()
