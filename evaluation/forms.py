from crispy_forms_gds.layout import Field
from django import forms

from evaluation.grid import STAGES
from evaluation.models import AssessmentPeriod, GridRating, RoleRung
from hamlet.fields import GovukDateField
from hamlet.forms import govuk_helper
from hamlet.versions import VersionedModelForm

EVIDENCE_HINT = (
    "What happened in the period that supports the rating. Evaluators read this: name no resident and give no "
    "prison number."
)


class PeriodForm(VersionedModelForm):
    stale_noun = "this period"

    starts_on = GovukDateField(label="Starts on", required_message="Enter the date the period starts")
    ends_on = GovukDateField(label="Ends on", required_message="Enter the date the period ends")

    class Meta:
        model = AssessmentPeriod
        fields = ["label", "starts_on", "ends_on", "baseline"]
        labels = {"label": "Name of the period", "baseline": "This is the wing's baseline"}
        help_texts = {"baseline": "The period the others are compared with. A wing has one."}
        error_messages = {"label": {"required": "Enter a name for the period"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("label", field_width=20),
            Field("starts_on"),
            Field("ends_on"),
            Field.checkbox("baseline"),
            "version",
            submit="Save period" if self.instance.pk else "Add period",
        )


class PeriodCloseForm(VersionedModelForm):
    """Closing asks for nothing but the version the page showed."""

    stale_noun = "this period"

    class Meta:
        model = AssessmentPeriod
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper("version", submit="Close the period", inner=False)


class PeriodReopenForm(VersionedModelForm):
    stale_noun = "this period"

    reason = forms.CharField(
        label="Why is it being reopened?",
        help_text="It is kept with the period, for everyone who reads it",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the period is being reopened"},
    )

    class Meta:
        model = AssessmentPeriod
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.textarea("reason", max_characters=300), "version", submit="Reopen the period")


class GridRatingForm(VersionedModelForm):
    stale_noun = "this stage's rating"

    class Meta:
        model = GridRating
        fields = ["rating", "evidence"]
        widgets = {"rating": forms.RadioSelect, "evidence": forms.Textarea(attrs={"rows": 6})}
        labels = {"rating": "Rating", "evidence": "Evidence"}
        help_texts = {"evidence": EVIDENCE_HINT}
        error_messages = {
            "rating": {"required": "Select a rating"},
            "evidence": {"required": "Enter the evidence for the rating"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = self.fields["rating"].choices[1:]  # no empty choice among the radios
        self.fields["rating"].label = STAGES[self.instance.stage].question
        self.helper = govuk_helper(
            Field.radios("rating", legend_size="m"),
            Field.textarea("evidence", max_characters=2000),
            "version",
            submit="Save rating",
        )


class CompareForm(forms.Form):
    """Two of the wing's periods, to compare side by side."""

    before = forms.ModelChoiceField(
        AssessmentPeriod.objects.none(),
        label="Compare",
        empty_label=None,
        error_messages={"required": "Select a period"},
    )
    after = forms.ModelChoiceField(
        AssessmentPeriod.objects.none(), label="with", empty_label=None, error_messages={"required": "Select a period"}
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("before", "after"):
            self.fields[name].queryset = periods
            self.fields[name].error_messages["invalid_choice"] = "Select one of the wing's periods"
        self.helper = govuk_helper(Field.select("before"), Field.select("after"), submit="Compare")
        self.helper.form_method = "get"


class OnDateForm(forms.Form):
    on = GovukDateField(label="Periods covering", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].help_text = "Leave empty for each wing's latest closed period. For example, 27 3 2027"
        self.helper = govuk_helper(Field("on"), submit="Show")
        self.helper.form_method = "get"


class RoleRungForm(VersionedModelForm):
    stale_noun = "this role's rung"

    class Meta:
        model = RoleRung
        fields = ["rung", "evidence", "plan"]
        widgets = {
            "rung": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 5}),
            "plan": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"rung": "Rung", "evidence": "Evidence", "plan": "Plan for the next rung (optional)"}
        help_texts = {
            "evidence": EVIDENCE_HINT,
            "plan": "What staff and role holders will do to reach the next rung. Evaluators read this too.",
        }
        error_messages = {
            "rung": {"required": "Select a rung"},
            "evidence": {"required": "Enter the evidence for the rung"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rung"].choices = self.fields["rung"].choices[1:]
        self.fields["rung"].label = f"Where does the {self.instance.role} role stand?"
        self.helper = govuk_helper(
            Field.radios("rung", legend_size="m"),
            Field.textarea("evidence", max_characters=2000),
            Field.textarea("plan", max_characters=2000),
            "version",
            submit="Save rung",
        )
