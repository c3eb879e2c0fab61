from crispy_forms_gds.layout import Div, Field, Fieldset
from django import forms

from evaluation.grid import STAGES
from evaluation.mapping import OTHER_ROWS, Construct, Element
from evaluation.models import (
    AssessmentPeriod,
    AttributeSurvey,
    ClimateMonth,
    Finding,
    GridRating,
    RelationalMapping,
    RoleDeliveryNote,
    RoleRung,
    StaffMonth,
    StaffPost,
    Voice,
)
from hamlet.fields import GovukDateField
from hamlet.forms import govuk_helper
from hamlet.models import display_name
from hamlet.selectors import staff_at
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


class PairForm(forms.Form):
    """Two of the wing's records (periods, mappings) to compare side by side, as ``before``
    and ``after``."""

    def __init__(self, *args, records, noun: str, label_from_instance=str, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in (("before", "Compare"), ("after", "with")):
            messages = {"required": f"Select a {noun}", "invalid_choice": f"Select one of the wing's {noun}s"}
            self.fields[name] = forms.ModelChoiceField(records, label=label, empty_label=None, error_messages=messages)
            self.fields[name].label_from_instance = label_from_instance
        self.helper = govuk_helper(Field.select("before"), Field.select("after"), submit="Compare")
        self.helper.form_method = "get"


class OnDateForm(forms.Form):
    on = GovukDateField(label="Periods covering", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].help_text = "Leave empty for each wing's latest closed period. For example, 27 3 2027"
        self.helper = govuk_helper(Field("on"), submit="Show")
        self.helper.form_method = "get"


class ReportPeriodForm(forms.Form):
    """Which of the wing's periods the site report covers; its choices are the periods the
    page has already fetched."""

    period = forms.TypedChoiceField(coerce=int, label="Period")

    def __init__(self, *args, periods: list, chosen=None, **kwargs):
        super().__init__(*args, initial={"period": chosen.pk if chosen else None}, **kwargs)
        self.fields["period"].choices = [(each.pk, f"{each}, {each.dates}") for each in periods]
        self.helper = govuk_helper(Field.select("period"), submit="Show the report")
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


def _score_field(label: str) -> forms.IntegerField:
    field = forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label} must be a whole number from 0 to 10",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 10 or less",
        },
    )
    return field


class MappingForm(VersionedModelForm):
    """A cohort's relational mapping on one page: each element's score on each construct, from
    0 to 10, left empty for an element the cohort did not name; up to three elements of the
    cohort's own naming."""

    stale_noun = "this mapping"

    held_on = GovukDateField(label="Held on", required_message="Enter the date of the exercise")

    class Meta:
        model = RelationalMapping
        fields = ["cohort", "held_on", "notes"]
        labels = {"notes": "Notes (optional)"}
        help_texts = {"notes": "What the group said about its choices. Evaluators read this: name no resident."}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"cohort": {"required": "Select the cohort"}}

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].empty_label = "Select the cohort"
        existing = {(score.element, score.construct): score.score for score in self._stored_scores()}
        named = sorted({element for element, _ in existing} - set(Element.values))
        rows = []
        for key, label in Element.choices:
            rows.append(self._row(key, label, legend=label, existing=existing))
        for number in range(1, OTHER_ROWS + 1):
            name_field = f"other_{number}_name"
            self.fields[name_field] = forms.CharField(
                label="Name (optional)",
                required=False,
                max_length=60,
                initial=named[number - 1] if number <= len(named) else "",
            )
            key = self.fields[name_field].initial or f"other_{number}"
            rows.append(
                self._row(
                    f"other_{number}",
                    f"Element {number} the group named",
                    legend=f"Another element ({number})",
                    existing=existing,
                    stored_as=key,
                    first=Field.text(name_field, field_width=20),
                )  # fmt: skip
            )
        self.helper = govuk_helper(
            Field.select("cohort"),
            Field("held_on"),
            *rows,
            Field.textarea("notes", max_characters=2000),
            "version",
            submit="Save mapping",
        )

    def _stored_scores(self):
        return self.instance.scores.all() if self.instance.pk else []

    def _row(self, key: str, label: str, *, legend: str, existing: dict, stored_as: str | None = None, first=None):
        fields = []
        for construct, construct_label in Construct.choices:
            name = f"{key}__{construct}"
            self.fields[name] = _score_field(f"{label}: {construct_label.lower()}")
            self.fields[name].initial = existing.get((stored_as or key, construct))
            fields.append(Div(Field.text(name, field_width=2), css_class="hamlet-score"))
        return Fieldset(*([first] if first else []), Div(*fields, css_class="hamlet-scores"), legend=legend)

    def clean(self):
        cleaned = super().clean()
        seen = set(Element.labels) | set(Element.values)
        for number in range(1, OTHER_ROWS + 1):
            name = (cleaned.get(f"other_{number}_name") or "").strip()
            scored = any(cleaned.get(f"other_{number}__{construct}") is not None for construct in Construct.values)
            if scored and not name:
                self.add_error(
                    f"other_{number}_name", "Enter the name the group gave this element, or clear its scores"
                )
            elif scored and name.lower() in {each.lower() for each in seen}:
                self.add_error(f"other_{number}_name", f"{name} is named already: give each element once")
            if scored:  # a name with no scores is not kept
                seen.add(name)
        if not any(value is not None for field, value in cleaned.items() if "__" in field):
            self.add_error(None, "Score at least one element on one construct")
        return cleaned

    def name_fields(self) -> dict[str, str]:
        """Which field named each element the group named and scored."""
        return {element: f"{key}_name" for element, key in self._named().items()}

    def _named(self) -> dict[str, str]:
        """The elements the group named and scored, each with the key of its row."""
        named = {}
        for number in range(1, OTHER_ROWS + 1):
            key = f"other_{number}"
            name = (self.cleaned_data.get(f"{key}_name") or "").strip()
            if name and any(self.cleaned_data.get(f"{key}__{construct}") is not None for construct in Construct.values):
                named[name] = key
        return named

    def scores(self) -> dict[tuple[str, str], int]:
        """The scores given, keyed by element (a key of ``Element`` or the group's own name) and construct."""
        given = {}
        for key in [*Element.values, *(f"other_{n}" for n in range(1, OTHER_ROWS + 1))]:
            element = key if key in Element.values else (self.cleaned_data.get(f"{key}_name") or "").strip()
            for construct in Construct.values:
                value = self.cleaned_data.get(f"{key}__{construct}")
                if value is not None:
                    given[(element, construct)] = value
        return given


class CountsForm(VersionedModelForm):
    """A form of one count for each entry of a catalogue (climate indicators, attributes): an
    empty box is a count not recorded."""

    count_prefix = "item"
    count_limit = 10_000

    def add_counts(self, items: list, stored: dict[int, int]) -> list[str]:
        """A box for each item, filled with what is stored; returns the boxes' names."""
        self.items = items
        for item in items:
            self.fields[f"{self.count_prefix}_{item.pk}"] = forms.IntegerField(
                label=f"{item.name} (optional)",
                required=False,
                min_value=0,
                max_value=self.count_limit,
                initial=stored.get(item.pk),
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": f"{item.name} must be a whole number",
                    "min_value": f"{item.name} must be 0 or more",
                    "max_value": f"{item.name} must be {self.count_limit:,} or less",
                },
            )
        return [f"{self.count_prefix}_{item.pk}" for item in items]

    def counts(self) -> dict[int, int]:
        given = {item.pk: self.cleaned_data.get(f"{self.count_prefix}_{item.pk}") for item in self.items}
        return {pk: count for pk, count in given.items() if count is not None}


class ClimateForm(CountsForm):
    """A month's counts, one box per indicator."""

    stale_noun = "this month's counts"
    count_prefix = "indicator"

    class Meta:
        model = ClimateMonth
        fields = []

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        stored = {count.indicator_id: count.count for count in self.instance.counts.all()} if self.instance.pk else {}
        boxes = self.add_counts(indicators, stored)
        self.helper = govuk_helper(
            *(Field.text(box, field_width=4) for box in boxes), "version", submit="Save the month's counts"
        )

    def clean(self):
        cleaned = super().clean()
        if not self.counts():
            self.add_error(None, "Enter at least one count")
        return cleaned


class VoiceForm(VersionedModelForm):
    stale_noun = "this finding"

    priority = forms.IntegerField(
        label="Priority",
        min_value=1,
        max_value=99,
        help_text="1 for what the group put first",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter its priority",
            "invalid": "Priority must be a whole number",
            "min_value": "Priority must be 1 or more",
            "max_value": "Priority must be 99 or less",
        },
    )

    class Meta:
        model = Voice
        fields = ["kind", "priority", "summary", "detail", "mentors_could_help"]
        widgets = {
            "kind": forms.RadioSelect,
            "detail": forms.Textarea(attrs={"rows": 3}),
            "mentors_could_help": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "kind": "What it is",
            "summary": "In a few words",
            "detail": "More detail (optional)",
            "mentors_could_help": "How peer mentors could help (optional)",
        }
        help_texts = {
            "detail": "Evaluators read this: name no resident.",
            "mentors_could_help": "What the group said peer mentors could do about it.",
        }
        error_messages = {
            "kind": {"required": "Select what it is"},
            "summary": {"required": "Enter it in a few words"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        self.helper = govuk_helper(
            Field.radios("kind"),
            Field.text("priority", field_width=2),
            Field.text("summary"),
            Field.textarea("detail", max_characters=1000),
            Field.textarea("mentors_could_help", max_characters=1000),
            "version",
            submit="Save",
        )


class FindingForm(VersionedModelForm):
    stale_noun = "this finding"

    due_on = GovukDateField(label="Due (optional)", required=False)

    class Meta:
        model = Finding
        fields = ["kind", "summary", "detail", "owner", "due_on", "grid_stage", "ladder_rung"]
        widgets = {"kind": forms.RadioSelect, "detail": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "kind": "What it is",
            "summary": "In a sentence",
            "detail": "More detail (optional)",
            "owner": "Who owns the action (optional)",
            "grid_stage": "Grid stage it aims to move (optional)",
            "ladder_rung": "Ladder rung it aims for (optional)",
        }
        help_texts = {"detail": "Evaluators read this: name no resident."}
        error_messages = {"kind": {"required": "Select what it is"}, "summary": {"required": "Enter it in a sentence"}}

    def __init__(self, *args, establishment_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        self.fields["owner"].queryset = staff_at(establishment=establishment_id)
        self.fields["owner"].label_from_instance = display_name
        self.fields["owner"].empty_label = "No one yet"
        self.fields["grid_stage"].choices = [("", "None"), *self.fields["grid_stage"].choices[1:]]
        self.fields["ladder_rung"].choices = [("", "None"), *self.fields["ladder_rung"].choices[1:]]
        self.helper = govuk_helper(
            Field.radios("kind"),
            Field.text("summary"),
            Field.textarea("detail", max_characters=2000),
            Field.select("owner"),
            Field("due_on"),
            Field.select("grid_stage"),
            Field.select("ladder_rung"),
            "version",
            submit="Save",
        )


class ProgressForm(VersionedModelForm):
    """A note of progress on a finding's action, and where it stands now."""

    stale_noun = "this finding"

    on = GovukDateField(label="Date", required_message="Enter the date")
    note = forms.CharField(
        label="What happened",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Evaluators read this: name no resident.",
        error_messages={"required": "Say what happened"},
    )

    class Meta:
        model = Finding
        fields = ["status"]
        widgets = {"status": forms.RadioSelect}
        labels = {"status": "Where it stands now"}
        error_messages = {"status": {"required": "Select where it stands now"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = self.fields["status"].choices[1:]
        self.helper = govuk_helper(
            Field("on"),
            Field.textarea("note", max_characters=1000),
            Field.radios("status", inline=True),
            "version",
            submit="Add progress",
        )


class AttributesForm(CountsForm):
    """How many interviews named each attribute, against the number held."""

    stale_noun = "these counts"
    count_prefix = "attribute"
    count_limit = 1000

    interviews = forms.IntegerField(
        label="Interviews held",
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many interviews were held",
            "invalid": "Interviews held must be a whole number",
            "min_value": "Interviews held must be 1 or more",
            "max_value": "Interviews held must be 1,000 or less",
        },
    )

    class Meta:
        model = AttributeSurvey
        fields = ["interviews"]

    def __init__(self, *args, attributes, **kwargs):
        super().__init__(*args, **kwargs)
        stored = (
            {count.attribute_id: count.interviews for count in self.instance.counts.all()} if self.instance.pk else {}
        )
        boxes = self.add_counts(attributes, stored)
        self.helper = govuk_helper(
            Field.text("interviews", field_width=3),
            Fieldset(*(Field.text(box, field_width=3) for box in boxes), legend="How many interviews named each"),
            "version",
            submit="Save the counts",
        )

    def clean(self):
        cleaned = super().clean()
        held = cleaned.get("interviews")
        for attribute in self.items:
            count = cleaned.get(f"attribute_{attribute.pk}")
            if held is not None and count is not None and count > held:
                message = f"{attribute.name} cannot be named in more than {held} interviews"
                self.add_error(f"attribute_{attribute.pk}", message)
        return cleaned


class StaffPostForm(VersionedModelForm):
    stale_noun = "this post"

    funded = forms.IntegerField(
        label="Posts funded",
        min_value=1,
        max_value=50,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many posts are funded",
            "invalid": "Posts funded must be a whole number",
            "min_value": "Posts funded must be 1 or more",
            "max_value": "Posts funded must be 50 or less",
        },
    )

    class Meta:
        model = StaffPost
        fields = ["title", "organisation", "funded"]
        error_messages = {
            "title": {"required": "Enter the job title"},
            "organisation": {"required": "Select the organisation"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].empty_label = "Select the organisation"
        self.helper = govuk_helper(
            Field.text("title"),
            Field.select("organisation"),
            Field.text("funded", field_width=2),
            "version",
            submit="Save post",
        )


class StaffMonthForm(CountsForm):
    """How many of each funded post were filled in the month."""

    stale_noun = "this month's staffing"
    count_prefix = "post"
    count_limit = 50

    class Meta:
        model = StaffMonth
        fields = []

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        stored = {row.post_id: row.count for row in self.instance.filled.all()} if self.instance.pk else {}
        boxes = self.add_counts(posts, stored)
        self.helper = govuk_helper(*(Field.text(box, field_width=2) for box in boxes), "version", submit="Save")

    def clean(self):
        cleaned = super().clean()
        if not self.counts():
            self.add_error(None, "Enter how many were in post for at least one")
        return cleaned


class DeliveryNoteForm(VersionedModelForm):
    stale_noun = "this role's delivery"

    class Meta:
        model = RoleDeliveryNote
        fields = ["training_provider", "training", "supervision", "progression"]
        labels = {
            "training_provider": "Training provider (optional)",
            "training": "Training (optional)",
            "supervision": "Supervision and oversight (optional)",
            "progression": "Progression routes (optional)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("training_provider"),
            Field.text("training"),
            Field.text("supervision"),
            Field.text("progression"),
            "version",
            submit="Save",
        )
