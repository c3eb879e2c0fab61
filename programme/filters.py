import django_filters
from crispy_forms_gds.layout import Field, Submit

from hamlet.forms import govuk_helper
from programme.models import Meeting, MeetingKind, Phase, Referral, ReferralStatus, WaitingListEntry, WaitingStatus


class OpenUnlessAskedFilter(django_filters.FilterSet):
    """A list of records with a status that shows the open ones (the queryset's ``open()``)
    unless asked otherwise, with a select for each filter."""

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and "status" not in data:
            data["status"] = "open"
        super().__init__(data, *args, **kwargs)
        self.form.helper = govuk_helper(*(Field.select(name) for name in self.filters), Submit("", "Show"))
        self.form.helper.form_method = "get"

    def filter_status(self, queryset, name, value):
        return queryset.open() if value == "open" else queryset.filter(status=value)


class WaitingListFilter(OpenUnlessAskedFilter):
    phase = django_filters.ChoiceFilter(choices=Phase.choices, empty_label="Both phases")
    status = django_filters.ChoiceFilter(
        choices=[("open", "Pending or approved"), *WaitingStatus.choices],
        empty_label="Every status",
        method="filter_status",
    )

    class Meta:
        model = WaitingListEntry
        fields = ["phase", "status"]


class ReferralFilter(OpenUnlessAskedFilter):
    status = django_filters.ChoiceFilter(
        choices=[("open", "Referred, assessed or accepted"), *ReferralStatus.choices],
        empty_label="Every status",
        method="filter_status",
    )

    class Meta:
        model = Referral
        fields = ["status"]


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, empty_label="Every meeting", label="Meeting")

    class Meta:
        model = Meeting
        fields = ["kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = govuk_helper(Field.select("kind"), Submit("", "Show"))
        self.form.helper.form_method = "get"
