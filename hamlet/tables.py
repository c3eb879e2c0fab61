import django_tables2 as tables
from auditlog.models import LogEntry
from django.utils.html import format_html_join


class HistoryTable(tables.Table):
    """A record's audit trail: who did what, and when."""

    timestamp = tables.DateTimeColumn(verbose_name="When", format="j M Y, H:i")
    actor = tables.Column(verbose_name="Who", default="System", order_by=("actor__username",))
    record = tables.Column(verbose_name="Record", accessor="object_repr", orderable=False)
    action = tables.Column(verbose_name="What")
    changes = tables.Column(verbose_name="Changes", accessor="pk", orderable=False)

    class Meta:
        model = LogEntry
        fields = ["timestamp", "actor", "record", "action", "changes"]
        order_by = "-timestamp"
        empty_text = "No changes have been recorded yet."

    def render_actor(self, value) -> str:
        return value.get_full_name() or value.get_username()

    def render_action(self, record) -> str:
        return record.get_action_display().capitalize()

    def render_changes(self, record) -> str:
        rows = [(field, ", ".join(map(str, values))) for field, values in record.changes_display_dict.items()]
        return format_html_join("", '<span class="hamlet-change"><strong>{}</strong>: {}</span> ', rows)
