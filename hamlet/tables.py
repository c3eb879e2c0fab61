import functools

import django_tables2 as tables
from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.utils.html import format_html, format_html_join
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import call_with_appropriate, signature

from hamlet.access import identity_shown
from hamlet.audit import describe_changes
from hamlet.models import display_name

# A column of numbers, right-aligned as GOV.UK asks (``templates/django_tables2/govuk.html``).
NUMERIC = {"th": {"class": "govuk-table__header--numeric"}, "td": {"class": "govuk-table__cell--numeric"}}


@functools.cache
def _arguments_of(function) -> tuple[tuple[str, ...], bool]:
    """The arguments a render method takes after ``self``, and whether it takes ``**kwargs``."""
    names, catch_all = signature(function)
    return names[1:], catch_all is not None


def _call_render(render, kwargs: dict):
    """django-tables2's ``call_with_appropriate``, with the render method's signature read
    once per method instead of once per cell (1,200 ``inspect.signature`` calls for a page
    of the residents list)."""
    function = getattr(render, "__func__", None)
    if function is None:
        return call_with_appropriate(render, kwargs)
    names, catch_all = _arguments_of(function)
    if catch_all:
        return render(**kwargs)
    if any(name not in kwargs for name in names):
        return None
    return render(**{name: kwargs[name] for name in names})


class _Row(BoundRow):
    def _call_render(self, bound_column, value=None):
        render_kwargs = self._optional_cell_arguments(bound_column, value)
        content = _call_render(bound_column.render, render_kwargs)
        return bound_column.link(content, **render_kwargs) if bound_column.link else content


class _Rows(BoundRows):
    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield _Row(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return _Rows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return _Row(record=self.data[key], table=self.table)


class HamletTable(tables.Table):
    """A GOV.UK table whose page size is Hamlet's choice, not the address bar's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = _Rows(data=self.data, table=self, pinned_data=self.pinned_data)

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        return super().paginate(paginator_class, self._meta.per_page, page, *args, **kwargs)


class PersonColumn(tables.Column):
    """A column naming a resident as the table's user may see them (see
    ``hamlet.access.identity_shown``): the resident at ``accessor``, or the row itself when
    the accessor is one of its fields (``PersonColumn(accessor="pseudonym")`` on residents)."""

    def __init__(self, *args, field: str = "pseudonym", **kwargs):
        self.field = field
        super().__init__(*args, **kwargs)

    def render(self, value, record, table):
        person = value if hasattr(value, "_meta") else record
        return identity_shown(getattr(table, "request", None) and table.request.user, person, self.field)


class HistoryTable(HamletTable):
    """A record's audit trail: who did what, and when."""

    caption = "History of changes"
    timestamp = tables.DateTimeColumn(verbose_name="When", format="j M Y, H:i")
    actor = tables.Column(verbose_name="Who", default="System", order_by=("actor__username",))
    record = tables.Column(verbose_name="Record", accessor="object_repr", orderable=False)
    action = tables.Column(verbose_name="What")
    changes = tables.Column(verbose_name="Changes", accessor="pk", orderable=False)

    class Meta:
        model = LogEntry
        fields = ["timestamp", "actor", "record", "action", "changes"]
        order_by = "-timestamp"
        per_page = 50
        empty_text = "No changes have been recorded yet."

    def before_render(self, request) -> None:
        # Describe the whole page at once, so related names cost one query per model.
        self.described = describe_changes([row.record for row in self.page.object_list]) if self.page else {}

    def render_actor(self, value) -> str:
        return display_name(value)

    ACTIONS = {
        LogEntry.Action.CREATE: "Created",
        LogEntry.Action.UPDATE: "Changed",
        LogEntry.Action.DELETE: "Deleted",
        LogEntry.Action.ACCESS: "Viewed",
    }

    def render_action(self, record) -> str:
        return self.ACTIONS.get(record.action, record.get_action_display())

    def render_changes(self, record) -> str:
        lines = self.described.get(record.pk, [])
        return format_html(
            '<ul class="govuk-list govuk-body-s">{}</ul>',
            format_html_join("", "<li><strong>{}</strong>: {} → {}</li>", lines),
        )
