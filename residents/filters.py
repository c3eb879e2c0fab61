import django_filters
from crispy_forms_gds.layout import Field, Submit
from django.db.models import Q

from hamlet.forms import govuk_helper
from hamlet.models import Houseblock, Wing
from residents.models import Resident, SentenceType, Stage


class ResidentFilter(django_filters.FilterSet):
    # Filled from the session by the list view (see residents.views.SEARCH_SESSION_KEY), not shown.
    q = django_filters.CharFilter(method="search")
    wing = django_filters.ModelChoiceFilter(queryset=Wing.objects.none(), empty_label="All wings", method="filter_wing")
    houseblock = django_filters.ModelChoiceFilter(queryset=Houseblock.objects.none(), empty_label="All houseblocks")
    sentence_type = django_filters.ChoiceFilter(choices=SentenceType.choices, empty_label="All sentence types")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="All stages")
    status = django_filters.ChoiceFilter(
        label="On the wing",
        choices=[("current", "Living on the wing now"), ("left", "Left the wing")],
        empty_label="Everyone",
        method="filter_status",
    )

    class Meta:
        model = Resident
        fields = ["q", "wing", "houseblock", "sentence_type", "stage", "status"]

    def __init__(self, data=None, *args, user, wing=None, **kwargs):
        # Unless asked otherwise, show the people living on the current wing now.
        data = data.copy() if data is not None else None
        if data is not None and "status" not in data:
            data["status"] = "current"
        if data is not None and "wing" not in data and wing is not None:
            data["wing"] = str(wing.pk)
        super().__init__(data, *args, **kwargs)
        self.filters["wing"].queryset = Wing.objects.visible_to(user).select_related("establishment")
        self.filters["houseblock"].queryset = Houseblock.objects.visible_to(user).select_related("wing")
        self.form.helper = govuk_helper(
            Field.select("wing"),
            Field.select("houseblock"),
            Field.select("sentence_type"),
            Field.select("stage"),
            Field.select("status"),
            Submit("", "Apply filters"),
        )
        self.form.helper.form_method = "get"

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(pseudonym__icontains=value) | Q(prison_number__istartswith=value.replace(" ", "")))

    def filter_wing(self, queryset, name, value):
        on_it = Q(wing=value)
        if self.form.cleaned_data.get("q"):
            # A search also finds the people referred onto a wing of the establishment who are
            # not on one yet; the list without one shows the wing's own.
            on_it |= Q(wing__isnull=True, establishment=value.establishment_id)
        return queryset.filter(on_it)

    def filter_status(self, queryset, name, value):
        return queryset.current() if value == "current" else queryset.departed()
