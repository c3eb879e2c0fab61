"""Downloads of lists as CSV or Excel, for every app: formulae made harmless, dated names."""

import tablib
from django.http import HttpResponse
from django.utils import timezone

# Download formats offered for lists: content type and file extension.
EXPORT_FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulae(dataset: tablib.Dataset, *, title: str) -> tablib.Dataset:
    """A cell that starts like a formula is shown as text, so opening the export in a
    spreadsheet never runs anything planted in a record."""
    cleaned = tablib.Dataset(headers=dataset.headers, title=title)
    for row in dataset:
        cleaned.append(
            ["'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]
        )
    return cleaned


def spreadsheet_response(dataset: tablib.Dataset, *, fmt: str, name: str) -> HttpResponse:
    """A download of ``dataset`` as CSV or Excel, with formulae made harmless first. ``name``
    ("research-extract") names the file, and the Excel sheet ("Research extract")."""
    content_type, extension = EXPORT_FORMATS[fmt]
    content = neutralise_formulae(dataset, title=name.replace("-", " ").capitalize()).export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content  # the byte-order mark makes Excel read the file as UTF-8
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.{extension}"'
    return response
