"""Downloads of lists as CSV or Excel, for every app: formulae made harmless, dated names.

Resources give values as they are (``TypedExportResource``), and each format writes them as
a person reading it expects: in Excel a date is a date cell shown day/month/year and a
number is a number; in CSV a date is written day/month/year; in both, yes or no is a word.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

import openpyxl
import tablib
from django.db import models
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from import_export import resources
from openpyxl.styles import Font

# Download formats offered for lists: content type and file extension.
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
# What a spreadsheet program reads as the start of a formula in a CSV file; in a workbook a
# text cell is only ever text, except that openpyxl writes one starting "=" as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_FORMULA_STARTS = ("=",)


class TypedExportResource(resources.ModelResource):
    """Exports each value as it is (a date, a number, True or False), not as text, so that
    ``spreadsheet_response`` can write it in the way each format needs."""

    def export_field(self, field, instance, **kwargs):
        if callable(getattr(self, f"dehydrate_{self.get_field_name(field)}", None)):
            return super().export_field(field, instance, **kwargs)
        value = field.get_value(instance)
        return str(value) if isinstance(value, models.Model) else value


def _word(value):
    return {True: "Yes", False: "No"}.get(value, value) if isinstance(value, bool) else value


def _guarded(value, starts: tuple[str, ...]):
    """A text cell that starts like a formula is shown as text, so opening the export in a
    spreadsheet never runs anything planted in a record."""
    return "'" + value if isinstance(value, str) and value.startswith(starts) else value


def _csv_cell(value):
    value = _word(value)
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return _guarded(value, FORMULA_STARTS)


def neutralise_formulae(dataset: tablib.Dataset, *, title: str) -> tablib.Dataset:
    """The dataset as CSV text cells: dates day/month/year, yes/no in words, formulae made harmless."""
    cleaned = tablib.Dataset(headers=dataset.headers, title=title)
    for row in dataset:
        cleaned.append([_csv_cell(cell) for cell in row])
    return cleaned


def workbook(dataset: tablib.Dataset, *, title: str) -> bytes:
    """The dataset as an Excel workbook whose cells keep their kinds."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(dataset.headers or []))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in dataset:
        cells = []
        for value in row:
            value = _guarded(_word(value), XLSX_FORMULA_STARTS)
            if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cells.append(value)
        sheet.append(cells)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "0.0#"
    sheet.freeze_panes = "A2"
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def _attachment(response: HttpResponse | StreamingHttpResponse, *, name: str, extension: str):
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{extension}"'
    return response


def spreadsheet_response(dataset: tablib.Dataset, *, fmt: str, name: str) -> HttpResponse:
    """A download of ``dataset`` as CSV or Excel, with formulae made harmless first. ``name``
    ("research-extract") names the file, and the Excel sheet ("Research extract")."""
    content_type, extension = EXPORT_FORMATS[fmt]
    title = name.replace("-", " ").capitalize()
    if fmt == "csv":
        # The byte-order mark makes Excel read the file as UTF-8.
        content = "\ufeff" + neutralise_formulae(dataset, title=title).export("csv")
    else:
        content = workbook(dataset, title=title)
    return _attachment(HttpResponse(content, content_type=content_type), name=name, extension=extension)


class _Line:
    """What ``csv.writer`` writes to: it hands back each line instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def streamed_csv_response(headers: list[str], rows: Iterable[list], *, name: str) -> StreamingHttpResponse:
    """The same file as ``spreadsheet_response(fmt="csv")`` (byte-order mark, dates, yes and no,
    formulae made harmless, tablib's dialect), written as it is sent: for a download too long
    to hold in memory, since tablib and import-export build the whole file first. ``rows`` is
    read as the response goes out, so a database query behind it runs then."""
    writer = csv.writer(_Line())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(headers)
        batch = []
        for row in rows:
            batch.append(writer.writerow([_csv_cell(cell) for cell in row]))
            if len(batch) == 500:  # a few tens of kilobytes a write, not one write a line
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    content_type, extension = EXPORT_FORMATS["csv"]
    return _attachment(StreamingHttpResponse(lines(), content_type=content_type), name=name, extension=extension)
