import django_filters
from auditlog.models import LogEntry
from crispy_forms_gds.layout import Field, Submit

from hamlet.forms import govuk_helper


class HistoryFilter(django_filters.FilterSet):
    """A record's history: the changes made to it by default, or who looked at it."""

    kind = django_filters.ChoiceFilter(
        label="Show",
        choices=[("changes", "Changes"), ("views", "Views"), ("all", "Changes and views")],
        empty_label=None,
        method="filter_kind",
    )

    class Meta:
        model = LogEntry
        fields = ["kind"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and not data.get("kind"):
            data["kind"] = "changes"
        super().__init__(data, *args, **kwargs)
        self.form.helper = govuk_helper(Field.radios("kind", inline=True, small=True), Submit("", "Show"))
        self.form.helper.form_method = "get"

    def filter_kind(self, queryset, name, value):
        if value == "views":
            return queryset.filter(action=LogEntry.Action.ACCESS)
        if value == "changes":
            return queryset.exclude(action=LogEntry.Action.ACCESS)
        return queryset
