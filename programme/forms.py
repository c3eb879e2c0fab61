from crispy_forms_gds.layout import Div, Field, Fieldset, Size, Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hamlet.fields import GovukDateField, KeysChoiceField
from hamlet.forms import govuk_helper, limits_named
from hamlet.models import Houseblock, display_name
from hamlet.selectors import staff_at
from hamlet.versions import VersionedModelForm
from mentoring.forms import YesNoField
from mentoring.selectors import mentors_on
from programme.models import (
    Action,
    ActionStatus,
    Answer,
    Beneficiary,
    CancelReason,
    Cohort,
    DeliveredBy,
    Mark,
    Meeting,
    MeetingKind,
    MentorPart,
    Phase,
    PhaseSettings,
    Project,
    ProjectHours,
    ProjectStatus,
    Proposer,
    Referral,
    ReferralSource,
    ReferralStatus,
    Referrer,
    Session,
    Suggestion,
    SuggestionSource,
    Topic,
    WaitingListEntry,
    WaitingStatus,
    WithdrawalReason,
)
from residents.forms import PrisonNumberField, ResidentChoiceField
from residents.models import AgeBand, Resident, SentenceType
from residents.selectors import PRISON_NUMBER_IN_USE, prison_number_in_use

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="For example, 09:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"required": f"Enter the time it {label.split()[-1]}", "invalid": "Enter the time like 09:30"},
    )


def _radios(field: forms.Field, choices) -> None:
    """Radios without the select's blank "---------" choice."""
    field.widget = forms.RadioSelect()
    field.choices = choices


class ResidentsField(KeysChoiceField):
    """Checkboxes of residents, each named as ``ResidentChoiceField`` names them."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.pseudonym


class PhaseSettingsForm(VersionedModelForm):
    stale_noun = "these settings"

    class Meta:
        model = PhaseSettings
        fields = ["title", "weeks", "min_size", "max_size", "weekly_hours", "location"]
        labels = {"weekly_hours": "Activity hours a week (optional)"}
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric"})
            for name in ("weeks", "min_size", "max_size", "weekly_hours")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("weeks", "min_size", "max_size", "weekly_hours"):
            field = self.fields[name]
            field.error_messages["invalid"] = f"{field.label} must be a whole number"
            field.error_messages["required"] = f"Enter the {field.label.lower()}"
            limits_named(field)
        self.fields["weekly_hours"].label = "Activity hours a week (optional)"
        self.helper = govuk_helper(
            Field.text("title", field_width=20),
            Field.text("weeks", field_width=3),
            Field.text("min_size", field_width=3),
            Field.text("max_size", field_width=3),
            Field.text("weekly_hours", field_width=3),
            Field.text("location"),
            "version",
            submit="Save changes",
        )

    def clean(self):
        cleaned = super().clean()
        smallest, largest = cleaned.get("min_size"), cleaned.get("max_size")
        if smallest and largest and smallest > largest:
            self.add_error("max_size", "The largest cohort must be at least the smallest")
        return cleaned


class WaitingAddForm(forms.ModelForm):
    referred_on = GovukDateField(label="Referred on", required_message="Enter the date of the referral")

    class Meta:
        model = WaitingListEntry
        fields = ["resident", "phase", "referred_by", "referred_on"]
        field_classes = {"resident": ResidentChoiceField}
        labels = {"phase": "Waiting for", "referred_by": "Who referred them"}
        error_messages = {
            "resident": {"required": "Select the resident"},
            "phase": {"required": "Select the phase"},
            "referred_by": {"required": "Select who referred them"},
        }

    def __init__(self, *args, wing, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("referred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = Resident.objects.visible_to(user).current().on_wing(wing)
        self.fields["resident"].empty_label = "Select a resident"
        _radios(self.fields["phase"], Phase.choices)
        _radios(self.fields["referred_by"], Referrer.choices)
        self.helper = govuk_helper(
            Field.select("resident"),
            Field.radios("phase", inline=True),
            Field.radios("referred_by", small=True),
            Field("referred_on"),
            submit="Add to the waiting list",
        )


class WaitingMoveForm(VersionedModelForm):
    """Moves an entry on; only the moves its status allows are offered."""

    stale_noun = "this waiting-list entry"
    to = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Select the new status"}
    )
    on = GovukDateField(label="Date", required_message="Enter the date of the change")
    why = forms.CharField(
        label="Reason", required=False, max_length=300, help_text="Needed to decline, remove, withdraw or reinstate"
    )

    class Meta:
        model = WaitingListEntry
        fields = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        labels = {WaitingStatus.PENDING: "Reinstate (back to pending)"}
        self.fields["to"].choices = [(move.value, labels.get(move, move.label)) for move in self.instance.moves()]
        self.helper = govuk_helper(
            Field.radios("to"), Field("on"), Field.text("why"), "version", submit="Save the change"
        )


class ReferralForm(forms.ModelForm):
    """Refer someone from elsewhere in the establishment onto the wing: who they are (a record
    of the establishment, not on a wing yet) and the referral."""

    prison_number = PrisonNumberField(help_text="One letter, four numbers, two letters, like A1234BC")
    pseudonym = forms.CharField(
        max_length=60,
        help_text="The name Hamlet shows on screen. Never use the person's real name.",
        error_messages={"required": "Enter a pseudonym"},
    )
    sentence_type = forms.ChoiceField(
        label="Sentence type",
        choices=[("", "Select sentence type"), *SentenceType.choices],
        error_messages={"required": "Select the sentence type"},
    )
    age_band = forms.ChoiceField(
        label="Age band",
        choices=[("", "Select age band"), *AgeBand.choices],
        error_messages={"required": "Select the age band"},
    )
    referred_on = GovukDateField(label="Referred on", required_message="Enter the date of the referral")

    class Meta:
        model = Referral
        fields = ["referred_by", "why", "referred_on"]
        labels = {"referred_by": "Who referred them", "why": "Why they were referred"}
        help_texts = {"why": "In a sentence or two. Name people only by pseudonym."}
        error_messages = {
            "referred_by": {"required": "Select who referred them"},
            "why": {"required": "Say why they were referred"},
        }

    def __init__(self, *args, wing, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("referred_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instance.wing, self.user = wing, user
        _radios(self.fields["referred_by"], ReferralSource.choices)
        self.helper = govuk_helper(
            Fieldset(
                Field.text("prison_number", field_width=10),
                Field.text("pseudonym", field_width=20),
                Field.select("sentence_type"),
                Field.select("age_band"),
                legend="Who they are",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("referred_by", small=True),
                Field.textarea("why", rows=3),
                Field("referred_on"),
                legend="The referral",
                legend_size=Size.MEDIUM,
            ),
            submit="Refer them",
        )

    def clean_prison_number(self) -> str:
        number = self.cleaned_data["prison_number"]
        here = self.instance.wing.establishment_id
        if prison_number_in_use(user=self.user, establishment_id=here, prison_number=number):
            raise forms.ValidationError(PRISON_NUMBER_IN_USE)
        return number

    def resident(self) -> Resident:
        """The person referred, as the form describes them (saved by the service)."""
        data = self.cleaned_data
        return Resident(
            prison_number=data["prison_number"],
            pseudonym=data["pseudonym"],
            sentence_type=data["sentence_type"],
            age_band=data["age_band"],
            establishment_id=self.instance.wing.establishment_id,
        )


class ReferralMoveForm(VersionedModelForm):
    """Moves a referral on; only the moves its status allows are offered. Moving onto the wing
    takes the date they arrived, and the houseblock and room if known."""

    stale_noun = "this referral"
    to = forms.ChoiceField(
        label="New status", widget=forms.RadioSelect, error_messages={"required": "Select the new status"}
    )
    on = GovukDateField(label="Date", required_message="Enter the date of the change")
    reason = forms.CharField(label="Reason", required=False, max_length=300, help_text="Needed to decline")
    houseblock = forms.ModelChoiceField(
        Houseblock.objects.none(),
        label="Houseblock (optional)",
        required=False,
        empty_label="Not yet allocated",
        help_text="Only when they move onto the wing",
    )
    room = forms.CharField(label="Room (optional)", required=False, max_length=10)

    class Meta:
        model = Referral
        fields = []

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(move.value, move.label) for move in self.instance.moves()]
        self.fields["houseblock"].queryset = Houseblock.objects.filter(wing=self.instance.wing_id)
        moving = ReferralStatus.MOVED in self.instance.moves()
        if moving:
            self.fields["on"].help_text = "For a move onto the wing, the day they arrived. For example, 27 3 2026"
        self.helper = govuk_helper(
            Field.radios("to"),
            Field("on"),
            Field.text("reason"),
            *([Field.select("houseblock"), Field.text("room", field_width=5)] if moving else []),
            "version",
            submit="Save the change",
        )
        if not moving:
            del self.fields["houseblock"], self.fields["room"]


class CohortForm(forms.ModelForm):
    starts_on = GovukDateField(label="Starts on", required_message="Enter the date the cohort starts")
    facilitators = KeysChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Facilitators (optional)"
    )
    peer_mentors = ResidentsField(
        queryset=None,
        required=False,
        label="Peer mentors attached (optional)",
        help_text="Residents who hold a peer role on the wing now",
    )

    class Meta:
        model = Cohort
        fields = ["phase", "name", "starts_on", "location"]
        labels = {"location": "Location (optional)"}
        help_texts = {"location": "Leave empty for the phase's usual location"}
        error_messages = {
            "phase": {"required": "Select the phase"},
            "name": {"required": "Enter a name for the cohort, like Cohort 5"},
        }

    def __init__(self, *args, wing, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.wing = wing
        self.fields["location"].required = False
        _radios(self.fields["phase"], Phase.choices)
        self.fields["facilitators"].queryset = staff_at(establishment=wing.establishment_id)
        self.fields["facilitators"].label_from_instance = display_name
        self.fields["peer_mentors"].queryset = mentors_on(wing, user).order_by("pseudonym")
        self.helper = govuk_helper(
            Field.radios("phase", inline=True),
            Field.text("name", field_width=20),
            Field("starts_on"),
            Field.text("location"),
            Field.checkboxes("facilitators", small=True),
            Field.checkboxes("peer_mentors", small=True),
            submit="Create the cohort",
        )

    def validate_unique(self):
        # The wing is set on the instance, not a form field: check the name against it too.
        super().validate_unique()
        name, phase = self.cleaned_data.get("name"), self.cleaned_data.get("phase")
        if name and phase and Cohort.objects.filter(wing=self.instance.wing, phase=phase, name__iexact=name).exists():
            self.add_error("name", "The wing already has a cohort of this phase with this name")


class EnrolForm(forms.Form):
    entries = KeysChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Residents approved on the waiting list",
        error_messages={"required": "Select at least one resident from the waiting list"},
    )
    on = GovukDateField(label="Enrolled on", required_message="Enter the date they were enrolled")
    accept_size = forms.BooleanField(
        label="Enrol them even though the cohort will be larger than usual", required=False
    )

    def __init__(self, *args, cohort: Cohort, entries, **kwargs):
        # Most are enrolled before the start; one recorded late is dated the start, so the
        # cohort's first sessions list them.
        kwargs.setdefault("initial", {}).setdefault("on", min(timezone.localdate(), cohort.starts_on))
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
        self.fields["entries"].label_from_instance = lambda entry: (
            f"{entry.resident.pseudonym} (waiting since {entry.referred_on:%-d %B %Y})"
        )
        self.helper = govuk_helper(
            Field.checkboxes("entries", small=True),
            Field("on"),
            Field.checkbox("accept_size", small=True),
            submit="Enrol",
        )
        self.helper.form_action = reverse("programme:cohort_enrol", args=[cohort.pk])


class EnrolmentEndForm(forms.Form):
    """Completing a phase or leaving it: one page, since staff record whichever happened."""

    outcome = forms.ChoiceField(
        choices=[("completed", "Completed the phase"), ("withdrawn", "Left before the end")],
        widget=forms.RadioSelect,
        label="What happened",
        error_messages={"required": "Select whether they completed the phase or left it"},
    )
    ended_on = GovukDateField(label="Date", required_message="Enter the date")
    graduated_on = GovukDateField(
        label="Graduation (optional)", required=False, help_text="The celebration evening, if they graduated"
    )
    attended_ceremony = YesNoField(
        label="Attended the celebration? (optional)",
        required=False,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label="Why they left",
        help_text="Needed if they left",
        required=False,
        choices=[
            ("", "Select a reason"),
            *[choice for choice in WithdrawalReason.choices if choice[0] != WithdrawalReason.LEFT_WING],
        ],
    )
    justification = forms.CharField(
        label="Justification", required=False, widget=forms.Textarea, help_text="Needed if they left"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ended_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("outcome"),
            Field("ended_on"),
            Fieldset(
                Field("graduated_on"),
                Field.radios("attended_ceremony", inline=True),
                legend="If they completed",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field.select("reason"),
                Field.textarea("justification", rows=3),
                legend="If they left",
                legend_size=Size.SMALL,
            ),
            submit="Save",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "completed" and (
            cleaned.get("reason") or (cleaned.get("justification") or "").strip()
        ):
            self.add_error("reason", "Leave why they left empty: they completed the phase")
        if cleaned.get("outcome") == "withdrawn":
            if not cleaned.get("reason"):
                self.add_error("reason", "Select why they left")
            if not (cleaned.get("justification") or "").strip():
                self.add_error("justification", "Say why they left the cohort")
        return cleaned


class EnrolmentMoveForm(forms.Form):
    to = forms.ModelChoiceField(queryset=None, label="Move to", error_messages={"required": "Select the cohort"})
    on = GovukDateField(label="Date of the move", required_message="Enter the date of the move")

    def __init__(self, *args, cohorts, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = cohorts
        self.fields["to"].empty_label = "Select a cohort"
        self.helper = govuk_helper(Field.select("to"), Field("on"), submit="Move")


class SessionsPlanForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Days of the week",
        error_messages={"required": "Select at least one day of the week"},
    )
    starts_at = _time("Time it starts")
    ends_at = _time("Time it ends")
    topic = forms.ChoiceField(
        choices=Topic.choices, label="Topic", widget=forms.RadioSelect, error_messages={"required": "Select the topic"}
    )
    delivered_by = forms.ChoiceField(
        choices=DeliveredBy.choices,
        label="Delivered by",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who delivers it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.checkboxes("weekdays", small=True, inline=True),
            Field.text("starts_at", field_width=5),
            Field.text("ends_at", field_width=5),
            Field.radios("topic", small=True),
            Field.radios("delivered_by", small=True),
            submit="Add the sessions",
        )


class SessionForm(forms.ModelForm):
    """An extra session, or a catch-up for some of the cohort."""

    on = GovukDateField(label="Date", required_message="Enter the date of the session")
    starts_at = _time("Time it starts")
    ends_at = _time("Time it ends")
    catch_up_for = ResidentsField(
        queryset=None,
        required=False,
        label="A catch-up for (optional)",
        help_text="Leave empty for a session for the whole cohort",
    )

    class Meta:
        model = Session
        fields = ["on", "starts_at", "ends_at", "topic", "delivered_by", "location"]
        labels = {"location": "Location (optional)"}
        error_messages = {
            "topic": {"required": "Select the topic"},
            "delivered_by": {"required": "Select who delivers it"},
        }

    def __init__(self, *args, cohort: Cohort, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        _radios(self.fields["topic"], Topic.choices)
        _radios(self.fields["delivered_by"], DeliveredBy.choices)
        enrolled = cohort.enrolments.open().values("resident")
        self.fields["catch_up_for"].queryset = Resident.objects.visible_to(user).filter(pk__in=enrolled)
        self.helper = govuk_helper(
            Field("on"),
            Field.text("starts_at", field_width=5),
            Field.text("ends_at", field_width=5),
            Field.radios("topic", small=True),
            Field.radios("delivered_by", small=True),
            Field.text("location"),
            Field.checkboxes("catch_up_for", small=True),
            submit="Add the session",
        )

    def validate_unique(self):
        pass  # the cohort, date and time are checked by programme.services.session_add, in words


class SessionCancelForm(VersionedModelForm):
    stale_noun = "this session"
    cancel_reason = forms.ChoiceField(
        choices=CancelReason.choices,
        widget=forms.RadioSelect,
        label="Why it is cancelled",
        error_messages={"required": "Select why the session is cancelled"},
    )
    cancel_note = forms.CharField(label="More detail (optional)", required=False, max_length=300)

    class Meta:
        model = Session
        fields = []  # the service changes the session, once it has checked it is not cancelled already

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("cancel_reason"), Field.text("cancel_note"), "version", submit="Cancel the session"
        )


class RegisterForm(VersionedModelForm):
    """The whole register of one session in one form: for each resident, a mark, the reason
    if it is "other", and the peer mentor who supported them; and the session's co-delivering
    peer mentors. "Mark everyone not yet recorded as attended" is a second submit button."""

    stale_noun = "this register"
    co_delivered_by = ResidentsField(queryset=None, required=False, label="Co-delivered by peer mentors (optional)")

    class Meta:
        model = Session
        fields = ["co_delivered_by"]

    ALL_ATTENDED = "all_attended"

    def __init__(self, *args, residents: list[Resident], marks: dict, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.residents = residents
        self.fields["co_delivered_by"].queryset = mentors
        # Read once for every row's choice of mentor: a queryset per row would be a query per resident.
        self.mentors = {str(mentor.pk): mentor for mentor in mentors}
        mentor_choices = [("", "No one"), *((pk, mentor.pseudonym) for pk, mentor in self.mentors.items())]
        marks_choices = [("", "Not recorded"), *Mark.choices]
        rows = []
        for resident in residents:
            mark = marks.get(resident.pk)
            prefix = str(resident.pk)
            # crispy-forms-gds prints labels and legends as they are (|safe): escape the name here.
            name = escape(resident.pseudonym)
            self.fields[f"{prefix}-mark"] = forms.ChoiceField(
                label=f"Attendance of {name}",
                choices=marks_choices,
                required=False,
                initial=mark.mark if mark else "",
            )
            self.fields[f"{prefix}-other_reason"] = forms.CharField(
                label=f"Other reason for {name}",
                required=False,
                max_length=200,
                initial=mark.other_reason if mark else "",
            )
            self.fields[f"{prefix}-supported_by"] = forms.ChoiceField(
                choices=mentor_choices,
                required=False,
                label=f"Peer mentor who supported {name}",
                initial=str(mark.supported_by_id) if mark and mark.supported_by_id else "",
            )
            rows.append(
                Fieldset(
                    Div(
                        Div(Field.select(f"{prefix}-mark"), css_class="govuk-grid-column-one-third"),
                        Div(Field.text(f"{prefix}-other_reason"), css_class="govuk-grid-column-one-third"),
                        Div(Field.select(f"{prefix}-supported_by"), css_class="govuk-grid-column-one-third"),
                        css_class="govuk-grid-row",
                    ),
                    legend=name,
                    legend_size=Size.SMALL,
                )
            )
        self.helper = govuk_helper(
            *rows,
            Field.checkboxes("co_delivered_by", small=True),
            "version",
            submit="Save the register",
        )
        self.helper.layout.append(
            Submit(
                self.ALL_ATTENDED,
                "Mark everyone not yet recorded as attended, and save",
                css_class="govuk-button--secondary",
            )
        )

    def rows(self, *, all_attended: bool) -> list[dict]:
        """Each resident's row as cleaned, for ``programme.services.register_save``."""
        rows = []
        for resident in self.residents:
            mark = self.cleaned_data.get(f"{resident.pk}-mark") or ""
            if all_attended and not mark:
                mark = Mark.ATTENDED
            rows.append(
                {
                    "resident": resident,
                    "mark": mark,
                    "other_reason": self.cleaned_data.get(f"{resident.pk}-other_reason") or "",
                    "supported_by": self.mentors.get(self.cleaned_data.get(f"{resident.pk}-supported_by") or ""),
                }
            )
        return rows


class MeetingForm(VersionedModelForm):
    stale_noun = "this meeting"
    held_on = GovukDateField(label="Held on", required_message="Enter the date of the meeting")
    staff_present = KeysChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Staff there (optional)"
    )
    residents_there = ResidentsField(queryset=None, required=False, label="Residents there (optional)")
    mentors_there = ResidentsField(queryset=None, required=False, label="Of them, there as peer mentors (optional)")

    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "title", "chair", "minutes"]
        labels = {
            "kind": "Meeting",
            "title": "Which forum (optional)",
            "chair": "Chaired by (optional)",
            "minutes": "Minutes (optional)",
        }
        help_texts = {"minutes": "Name residents by pseudonym only"}
        widgets = {"minutes": forms.Textarea(attrs={"maxlength": 20_000})}
        error_messages = {"kind": {"required": "Select the meeting"}}

    def __init__(self, *args, wing, user, **kwargs):
        if kwargs.get("instance") is not None and kwargs["instance"].pk:
            rows = list(kwargs["instance"].attendees.all())
            kwargs.setdefault("initial", {}).update(
                residents_there=[row.resident_id for row in rows],
                mentors_there=[row.resident_id for row in rows if row.as_peer_mentor],
            )
        else:
            kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instance.wing = wing
        _radios(self.fields["kind"], MeetingKind.choices)
        self.fields["minutes"].max_length = 20_000
        self.fields["minutes"].validators.append(MaxLengthValidator(20_000))
        self.fields["staff_present"].queryset = staff_at(establishment=wing.establishment_id)
        self.fields["staff_present"].label_from_instance = display_name
        self.fields["residents_there"].queryset = Resident.objects.visible_to(user).current().on_wing(wing)
        self.fields["mentors_there"].queryset = mentors_on(wing, user).order_by("pseudonym")
        self.helper = govuk_helper(
            Field.radios("kind", small=True),
            Field("held_on"),
            Field.text("title"),
            Field.text("chair", field_width=20),
            Field.checkboxes("staff_present", small=True),
            Field.checkboxes("residents_there", small=True),
            Field.checkboxes("mentors_there", small=True),
            Field.textarea("minutes", rows=6),
            "version",
            submit="Save changes" if self.instance.pk else "Record the meeting",
        )


class ActionForm(forms.ModelForm):
    due_on = GovukDateField(label="Due (optional)", required=False)

    class Meta:
        model = Action
        fields = ["description", "owner_staff", "owner_resident", "due_on"]
        field_classes = {"owner_resident": ResidentChoiceField}
        labels = {
            "description": "What is to be done",
            "owner_staff": "Owner: a member of staff (optional)",
            "owner_resident": "or a resident (optional)",
        }
        error_messages = {"description": {"required": "Say what is to be done"}}

    def __init__(self, *args, meeting: Meeting, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["owner_staff"].queryset = staff_at(establishment=meeting.wing.establishment_id)
        self.fields["owner_staff"].label_from_instance = display_name
        self.fields["owner_staff"].empty_label = "No one on the staff"
        self.fields["owner_resident"].queryset = Resident.objects.visible_to(user).current().on_wing(meeting.wing)
        self.fields["owner_resident"].empty_label = "No resident"
        self.helper = govuk_helper(
            Field.text("description"),
            Field.select("owner_staff"),
            Field.select("owner_resident"),
            Field("due_on"),
            submit="Add the action",
        )
        self.helper.form_action = reverse("programme:action_add", args=[meeting.pk])


class ActionReviewForm(VersionedModelForm):
    stale_noun = "this action"
    status = forms.ChoiceField(
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        label="Where it stands",
        error_messages={"required": "Select where the action stands"},
    )
    done_on = GovukDateField(
        label="Done on", required=False, help_text="Needed once it is done. For example, 27 3 2026"
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(
            Field.radios("status", inline=True), Field("done_on"), "version", submit="Save the review"
        )


class SuggestionForm(forms.ModelForm):
    received_on = GovukDateField(label="Received on", required_message="Enter the date it was received")

    class Meta:
        model = Suggestion
        fields = ["source", "received_on", "text", "resident", "mentor_part"]
        field_classes = {"resident": ResidentChoiceField}
        labels = {"source": "What it came in", "resident": "From (optional)"}
        help_texts = {"text": "In their words, naming no one", "resident": "Leave as anonymous unless they gave a name"}
        error_messages = {
            "source": {"required": "Select what it came in"},
            "text": {"required": "Enter what they said"},
        }

    def __init__(self, *args, wing, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instance.wing = wing
        _radios(self.fields["source"], SuggestionSource.choices)
        _radios(self.fields["mentor_part"], MentorPart.choices)
        self.fields["resident"].queryset = Resident.objects.visible_to(user).current().on_wing(wing)
        self.fields["resident"].empty_label = "Anonymous"
        self.helper = govuk_helper(
            Field.radios("source", inline=True),
            Field("received_on"),
            Field.textarea("text", rows=3),
            Field.select("resident"),
            Field.radios("mentor_part", small=True),
            submit="Record the suggestion",
        )


class SuggestionAnswerForm(VersionedModelForm):
    stale_noun = "this suggestion"
    done_on = GovukDateField(label="Done on (optional)", required=False)

    class Meta:
        model = Suggestion
        fields = ["meeting", "answer", "we_did", "reason", "done_on"]
        labels = {
            "meeting": "Answered at",
            "we_did": "We did",
            "reason": "Why not",
        }
        help_texts = {
            "we_did": "Needed if it was adopted or adapted. In plain words: the notice board shows ‘We did …’",
            "reason": "Needed if it was declined",
        }
        error_messages = {"answer": {"required": "Select the answer"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = True
        _radios(self.fields["answer"], Answer.choices)
        self.fields["meeting"].queryset = Meeting.objects.filter(wing=self.instance.wing_id)
        self.fields["meeting"].empty_label = "Select the meeting"
        self.fields["meeting"].required = True
        self.fields["meeting"].error_messages["required"] = "Select the meeting that answered it"
        self.helper = govuk_helper(
            Field.select("meeting"),
            Field.radios("answer", inline=True),
            Field.textarea("we_did", rows=3),
            Field.text("reason"),
            Field("done_on"),
            "version",
            submit="Save the answer",
        )


class ProjectForm(VersionedModelForm):
    stale_noun = "this project"

    class Meta:
        model = Project
        fields = ["title", "idea", "proposed_by", "for_whom", "beneficiary", "status"]
        labels = {"idea": "The idea (optional)"}
        error_messages = {
            "title": {"required": "Enter the project's title"},
            "proposed_by": {"required": "Select who proposed it"},
            "for_whom": {"required": "Select who it is for"},
        }

    def __init__(self, *args, wing, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.wing = wing
        for name, choices in (
            ("proposed_by", Proposer.choices),
            ("for_whom", Beneficiary.choices),
            ("status", ProjectStatus.choices),
        ):
            _radios(self.fields[name], choices)
        self.helper = govuk_helper(
            Field.text("title"),
            Field.textarea("idea", rows=3),
            Field.radios("proposed_by", small=True, inline=True),
            Field.radios("for_whom", small=True, inline=True),
            Field.text("beneficiary"),
            Field.radios("status", small=True, inline=True),
            "version",
            submit="Save changes" if self.instance.pk else "Add the project",
        )


class HoursForm(forms.ModelForm):
    on = GovukDateField(label="Date", required_message="Enter the date")

    class Meta:
        model = ProjectHours
        fields = ["resident", "on", "hours"]
        field_classes = {"resident": ResidentChoiceField}
        widgets = {"hours": forms.TextInput(attrs={"inputmode": "decimal"})}
        error_messages = {
            "resident": {"required": "Select the resident"},
            "hours": {
                "required": "Enter the hours",
                "invalid": "Enter the hours as a number, like 3 or 2.5",
                "max_digits": "Enter the hours up to 12, to at most one decimal place, like 2.5",
                "max_whole_digits": "Enter at most 12 hours",
                "max_decimal_places": "Enter the hours to at most one decimal place, like 2.5",
                "min_value": "Enter at least half an hour",
                "max_value": "Enter at most 12 hours",
            },
        }

    def __init__(self, *args, project: Project, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["resident"].queryset = Resident.objects.visible_to(user).current().on_wing(project.wing)
        self.fields["resident"].empty_label = "Select a resident"
        self.helper = govuk_helper(
            Field.select("resident"), Field("on"), Field.text("hours", field_width=4), submit="Log the hours"
        )

    def validate_unique(self):
        pass  # one entry a project, resident and day: programme.services.hours_log says so in words
