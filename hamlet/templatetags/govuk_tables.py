"""``{% table_row row %}``: one row of a django-tables2 table as a GOV.UK table row.

The same markup ``templates/django_tables2/govuk.html`` wrote with a template loop over
the row's cells, built here in one pass: the loop's variable lookups, several for every
cell, were most of a 50-row page's rendering. Each cell is shown as ``{{ cell }}`` shows
it (localised, escaped unless already safe).
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def table_row(context, row) -> str:
    cells = []
    for column, cell in row.items():
        extra = column.column.attrs.get("td", {}).get("class")
        cells.append(
            format_html(
                '<td class="govuk-table__cell{}">{}</td>',
                f" {extra}" if extra else "",
                render_value_in_context(cell, context),
            )
        )
    return mark_safe(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')  # noqa: S308 (each cell escaped above)
