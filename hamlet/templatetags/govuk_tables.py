"""``{% table_row row %}``: one row of a django-tables2 table as a GOV.UK table row.

The same markup ``templates/django_tables2/govuk.html`` wrote with a template loop over
the row's cells, built here in one pass: the loop's variable lookups, several for every
cell, were most of a 50-row page's rendering. Each cell is shown as ``{{ cell }}`` shows
it (localised, escaped unless already safe).
"""

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def table_row(context, row) -> str:
    def cells():
        for column, cell in row.items():
            extra = column.column.attrs.get("td", {}).get("class")
            yield f" {extra}" if extra else "", render_value_in_context(cell, context)

    return format_html(
        '<tr class="govuk-table__row">{}</tr>', format_html_join("", '<td class="govuk-table__cell{}">{}</td>', cells())
    )
