import django_filters
from crispy_forms_gds.layout import Div, Field, Submit

from evaluation.models import Finding, FindingKind, FindingStatus
from hamlet.forms import govuk_helper
from hamlet.models import Establishment, Wing
from residents.models import Resident, Stage


class ResearchExtractFilter(django_filters.FilterSet):
    establishment = django_filters.ModelChoiceFilter(
        queryset=Establishment.objects.none(), empty_label="All establishments"
    )
    wing = django_filters.ModelChoiceFilter(queryset=Wing.objects.none(), empty_label="All wings")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="All stages")

    class Meta:
        model = Resident
        # No filter on a quasi-identifier (evaluation.disclosure): it would pick out exact
        # sentence types inside a generalised group.
        fields = ["establishment", "wing", "stage"]

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["establishment"].queryset = Establishment.objects.visible_to(user)
        self.filters["wing"].queryset = Wing.objects.visible_to(user).select_related("establishment")
        # Side by side above the table, which needs the page's full width for its ten columns.
        self.form.helper = govuk_helper(
            Div(
                *(
                    Div(Field.select(name), css_class="govuk-grid-column-one-quarter")
                    for name in ("establishment", "wing", "stage")
                ),
                css_class="govuk-grid-row",
            ),
            Submit("", "Apply filters"),
        )
        self.form.helper.form_method = "get"


class FindingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=FindingKind.choices, empty_label="Any kind", label="Kind")
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, empty_label="Any status", label="Status")

    class Meta:
        model = Finding
        fields = ["kind", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.helper = govuk_helper(Field.select("kind"), Field.select("status"), submit="Filter")
        self.form.helper.form_method = "get"
