from crispy_forms_gds.layout import Button, Field, Fieldset, Size, Submit
from django import forms
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from hamlet.fields import GovukDateField, KeysChoiceField, Select
from hamlet.forms import govuk_helper
from hamlet.models import Houseblock, Wing, display_name
from hamlet.selectors import staff_at
from hamlet.versions import VersionedModelForm
from residents.contract import first_recorded
from residents.models import (
    PRE_ENGAGEMENT_STAGES,
    DepartureReason,
    Resident,
    SupportContact,
    prison_number_validator,
)
from residents.selectors import PRISON_NUMBER_IN_USE, prison_number_in_use


def _date(label: str, required: bool = True, required_message: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required, required_message=required_message)


class PrisonNumberField(forms.CharField):
    """Accepts a prison number in any case and with stray spaces; stores it upper-case."""

    default_validators = [prison_number_validator]

    def __init__(self, **kwargs):
        super().__init__(max_length=7, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace(" ", "").upper()

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "autocomplete": "off", "spellcheck": "false"}


class ResidentChoiceField(forms.ModelChoiceField):
    """A picker of residents (or of records about one, such as candidates: ``via`` names the
    resident). Two current residents of a wing may share a pseudonym, so where a name
    appears more than once among the choices its houseblock and room are shown beside it
    (``Resident.clean`` keeps those apart)."""

    widget = Select

    def __init__(self, queryset=None, *, via: str = "", **kwargs):
        self.via = via
        super().__init__(queryset if queryset is not None else Resident.objects.none(), **kwargs)

    def _path(self, name: str) -> str:
        return f"{self.via}__{name}" if self.via else name

    def _set_queryset(self, queryset):
        if queryset is not None:
            queryset = queryset.select_related(self._path("houseblock"))
        super()._set_queryset(queryset)
        self._shared = None

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj) -> str:
        resident = getattr(obj, self.via) if self.via else obj
        if self._shared is None:
            names = (
                self.queryset.order_by()
                .values(name=Lower(self._path("pseudonym")))
                .annotate(n=Count("pk"))
                .filter(n__gt=1)
                .values_list("name", flat=True)
            )
            self._shared = set(names)
        if resident.pseudonym.lower() in self._shared:
            return f"{resident.pseudonym} ({resident.placement})"
        return resident.pseudonym


# Where on a wing a resident lives: not asked of someone not on one yet.
PLACE_FIELDS = {"houseblock", "room", "arrived_on"}


class ResidentForm(VersionedModelForm):
    """Admit or edit a resident. The wing's houseblocks and staff are the only choices.
    A person not on a wing yet (``wing`` None: referred onto it) is edited without the
    houseblock, room and arrival, so that editing never puts them on a wing; moving onto it
    is the referral's step (``services.resident_move_onto_wing``)."""

    stale_noun = "this resident"

    prison_number = PrisonNumberField(help_text="One letter, four numbers, two letters, like A1234BC")
    arrived_on = _date("Arrived on the wing", required_message="Enter the date they arrived on the wing")
    consent_date = _date("Date consent was given", required=False)
    consent_date.help_text = "Needed if they consent. For example, 27 3 2026"

    class Meta:
        model = Resident
        fields = [
            "prison_number",
            "pseudonym",
            "houseblock",
            "room",
            "sentence_type",
            "age_band",
            "arrived_on",
            "cats_id",
            "evaluation_consent",
            "consent_date",
            "consent_witnessed_by",
            "limited_access",
            "permitted_staff",
        ]
        field_classes = {"permitted_staff": KeysChoiceField}
        labels = {
            "evaluation_consent": "Consents to take part in the evaluation",
            "houseblock": "Houseblock (optional)",
            "room": "Room (optional)",
            "cats_id": "CATS participant ID (optional)",
        }
        help_texts = {"consent_witnessed_by": "Needed if they consent"}
        error_messages = {
            "pseudonym": {"required": "Enter a pseudonym"},
            "sentence_type": {"required": "Select the sentence type"},
            "age_band": {"required": "Select the age band"},
        }

    def __init__(self, *args, wing: Wing | None, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.wing = wing
        self.establishment_id = wing.establishment_id if wing else self.instance.establishment_id
        self.user = user
        # As stored, before the form writes the posted values onto the instance.
        self.instance_arrived_on = self.instance.arrived_on
        self.instance_consent = self.instance.evaluation_consent
        self.instance_witness = self.instance.consent_witnessed_by_id
        self.fields["houseblock"].queryset = Houseblock.objects.filter(wing=wing)
        self.fields["houseblock"].empty_label = "Not yet allocated"
        staff = staff_at(establishment=self.establishment_id)
        self.fields["consent_witnessed_by"].queryset = staff
        self.fields["consent_witnessed_by"].label_from_instance = display_name
        self.fields["consent_witnessed_by"].empty_label = "Select who witnessed the consent"
        self.fields["permitted_staff"].queryset = staff
        self.fields["permitted_staff"].label_from_instance = display_name
        self.fields["permitted_staff"].widget = forms.CheckboxSelectMultiple()
        self.fields["permitted_staff"].label = "Staff who may open a limited-access record"
        self.fields["permitted_staff"].help_text = "Needed if the record is limited to named staff; include yourself"
        self.fields["sentence_type"].choices = [("", "Select sentence type"), *self.fields["sentence_type"].choices[1:]]
        self.fields["age_band"].choices = [("", "Select age band"), *self.fields["age_band"].choices[1:]]
        self.helper = govuk_helper(
            Field.text("prison_number", field_width=10),
            Field.text("pseudonym", field_width=20),
            *([Field.select("houseblock"), Field.text("room", field_width=5)] if wing else []),
            Field.select("sentence_type"),
            Field.select("age_band"),
            *([Field("arrived_on")] if wing else []),
            Field.text("cats_id", field_width=10),
            Fieldset(
                Field.checkbox("evaluation_consent"),
                Field("consent_date"),
                Field.select("consent_witnessed_by"),
                legend="Evaluation consent",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkbox("limited_access"),
                Field.checkboxes("permitted_staff", small=True),
                legend="Who may open this record",
                legend_size=Size.MEDIUM,
            ),
            "version",
            submit="Save resident" if self.instance.pk else "Admit resident",
        )
        if wing is None:
            for name in PLACE_FIELDS:
                del self.fields[name]

    def clean_prison_number(self) -> str:
        number, here = self.cleaned_data["prison_number"], self.establishment_id
        if self.instance.departed_on is None and prison_number_in_use(
            user=self.user, establishment_id=here, prison_number=number, exclude_pk=self.instance.pk
        ):
            raise forms.ValidationError(PRISON_NUMBER_IN_USE)
        return number

    def clean(self):
        cleaned = super().clean()
        arrived, today = cleaned.get("arrived_on"), timezone.localdate()
        # The future and too-early dates are Resident.clean's, so the import keeps them too.
        if arrived and self.instance.departed_on and arrived > self.instance.departed_on:
            self.add_error("arrived_on", "The date they arrived must be on or before the date they left")
        elif arrived and self.instance.pk and arrived != self.instance_arrived_on:
            first = first_recorded(self.instance)
            if first and arrived > first:
                self.add_error(
                    "arrived_on",
                    f"The date they arrived must be on or before {first:%-d %B %Y}, the first thing recorded"
                    " about them after arriving (support, a stage change or a peer role)",
                )
        if cleaned.get("consent_date") and cleaned["consent_date"] > today:
            self.add_error("consent_date", "The date consent was given cannot be in the future")
        if (
            cleaned.get("limited_access")
            and cleaned.get("permitted_staff")
            and self.user not in cleaned["permitted_staff"]
        ):
            self.add_error("permitted_staff", "Include yourself, or you will not be able to open this record again")
        if cleaned.get("evaluation_consent"):
            if not cleaned.get("consent_date"):
                self.add_error("consent_date", "Enter the date consent was given")
            if not cleaned.get("consent_witnessed_by"):
                self.add_error("consent_witnessed_by", "Select who witnessed the consent")
        else:
            self._check_no_consent_details(cleaned)
        if cleaned.get("limited_access") and not cleaned.get("permitted_staff"):
            self.add_error("permitted_staff", "Name at least one member of staff who may open this record")
        return cleaned

    def _check_no_consent_details(self, cleaned: dict) -> None:
        """No consent: a date or witness would contradict it. When consent is withdrawn, the
        date and witness the page still shows are cleared (the audit trail keeps them); a
        date or witness newly given without consent is a mistake to put right."""
        given = {"consent_date": None, "consent_witnessed_by": None}
        if self.instance_consent:
            given = {"consent_date": self.initial.get("consent_date"), "consent_witnessed_by": self.instance_witness}
        messages = {
            "consent_date": "Remove the date consent was given, or tick that they consent",
            "consent_witnessed_by": "Remove who witnessed the consent, or tick that they consent",
        }
        for name, message in messages.items():
            value = cleaned.get(name)
            if value and getattr(value, "pk", value) != given[name]:
                self.add_error(name, message)
            else:
                cleaned[name] = None

    def _post_clean(self):
        self.instance.establishment_id = self.establishment_id
        if self.wing is not None:
            self.instance.wing = self.wing
        super()._post_clean()


class StageChangeForm(forms.Form):
    stage = forms.ChoiceField(
        label="New stage",
        choices=[(stage.value, stage.label) for stage in PRE_ENGAGEMENT_STAGES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage the resident has reached"},
    )
    changed_on = _date("Date of the change")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("stage"), Field("changed_on"), Field.textarea("note"), submit="Record stage change"
        )


class SupportContactForm(forms.ModelForm):
    contact_on = _date("Date")

    class Meta:
        model = SupportContact
        fields = ["contact_on", "contact_type", "minutes", "notes", "next_step"]
        error_messages = {
            "contact_type": {"required": "Select the type of support"},
            "minutes": {
                "invalid": "Enter the minutes as a whole number, like 20",
                "min_value": "Enter at least 1 minute",
                "max_value": "Enter at most 600 minutes",
            },
        }
        labels = {
            "minutes": "Time spent in minutes (optional)",
            "notes": "What happened (optional)",
            "next_step": "Next step (optional)",
        }
        help_texts = {"minutes": "So the hours of pre-engagement work show on the wing's dashboard"}
        widgets = {"minutes": forms.TextInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_type"].widget = forms.RadioSelect()
        self.fields["contact_type"].choices = self.fields["contact_type"].choices[1:]
        self.helper = govuk_helper(
            Field("contact_on"),
            Field.radios("contact_type", small=True),
            Field.text("minutes", field_width=3),
            Field.textarea("notes", rows=4),
            Field.text("next_step"),
            submit="Save support",
        )


class DepartureForm(forms.Form):
    departed_on = _date("Date they left the wing")
    reason = forms.ChoiceField(
        label="Why they left",
        # A referral that closes without the person coming is the programme's to record.
        choices=[
            (value, label) for value, label in DepartureReason.choices if value != DepartureReason.REFERRAL_CLOSED
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the resident left the wing"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field("departed_on"), Field.radios("reason"), submit="Record departure", css_class="govuk-button--warning"
        )


class NonAssociationForm(forms.Form):
    other = PrisonNumberField(
        label="Prison number of the other resident", help_text="They must be at the same establishment"
    )
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.text("other", field_width=10), Field.text("reason"), submit="Add non-association"
        )


class SubjectAccessForm(forms.Form):
    """Opening everything held about a person is itself recorded, with why."""

    reason = forms.CharField(
        label="Reason",
        help_text="Why their data is being opened, for example: her written request of 1 December 2026",
        max_length=200,
        error_messages={"required": "Enter the reason for opening their data"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.text("reason"), submit="Show their data")


class ImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label="Spreadsheet of residents",
        help_text="A CSV or Excel (.xlsx) file of at most 1 MB, with the columns described above",
        error_messages={"required": "Choose a CSV or Excel file to import"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's own <form> carries the token.
        self.helper = govuk_helper(Field("file"), submit="Check the file", inner=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB. Split it into smaller files.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a spreadsheet saved as CSV or Excel (.xlsx)")
        return upload


class ResidentSearchForm(forms.Form):
    """The residents list's search box: sent by POST, so a name or number never enters an address."""

    q = forms.CharField(
        label="Pseudonym or prison number",
        required=False,
        strip=True,
        help_text="Searches the people chosen under ‘On the wing’",
        # A shared PC's browser must not offer the last person's searches to the next.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    filters = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, searching: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        buttons = [Submit("search", "Search", css_class="govuk-!-margin-bottom-2")]
        if searching:
            buttons.append(Button.secondary("clear", "Clear search"))
        self.helper = govuk_helper(Field.text("q"), "filters", *buttons)
        self.helper.form_action = reverse("residents:search")

    def clean_q(self) -> str:
        # Nothing longer than a pseudonym can match, so a longer search is cut short, not refused.
        return self.cleaned_data["q"][: Resident._meta.get_field("pseudonym").max_length]
