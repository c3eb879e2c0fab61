from datetime import datetime

from crispy_forms_gds.layout import HTML, Field, Fieldset, Size
from django import forms
from django.db.models import Q
from django.utils import timezone

from hamlet.fields import GovukDateField, KeysChoiceField
from hamlet.forms import govuk_helper, limits_named
from hamlet.models import Organisation, display_name
from hamlet.versions import VersionedModelForm
from mentoring.models import (
    CRITERIA,
    Candidate,
    ContactType,
    Decision,
    HoldingEnd,
    Interview,
    MentorContact,
    MentoringSettings,
    NextStep,
    PeerRole,
    Qualification,
    RecruitmentRound,
    Route,
    Setting,
    SupervisionKind,
    SupervisionSession,
    TrainingRecord,
    TrainingStatus,
    Voice,
)
from residents.forms import ResidentChoiceField
from residents.models import Resident

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class YesNoField(forms.TypedChoiceField):
    """Yes and No radios for a true-or-false field; a saved record shows its answer ticked."""

    def prepare_value(self, value):
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def _yes_no(label: str) -> forms.TypedChoiceField:
    return YesNoField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes or no for ‘{label}’"},
    )


class ContactForm(VersionedModelForm):
    """Quick to fill in: today and now are the defaults, most contacts need three clicks.
    With ``instance``, the correction of a logged contact, opened at its version."""

    stale_noun = "this contact"

    occurred_on = GovukDateField(label="Date", required_message="Enter the date of the contact")
    time_of_day = forms.TimeField(
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        label="Time",
        help_text="For example, 14:30",
        input_formats=TIME_FORMATS,
        error_messages={"required": "Enter the time of the contact", "invalid": "Enter the time like 14:30"},
    )
    out_of_hours = _yes_no("Out of hours?")

    class Meta:
        model = MentorContact
        fields = ["contact_type", "mentee", "setting", "minutes", "out_of_hours", "notes"]
        field_classes = {"mentee": ResidentChoiceField}
        labels = {"mentee": "Who was helped (optional)", "notes": "Notes (optional)"}
        error_messages = {
            "contact_type": {"required": "Select the type of contact"},
            "setting": {"required": "Select where it happened"},
            "minutes": {
                "required": "Enter how many minutes it took",
                "invalid": "Enter the minutes as a whole number, like 15",
                "min_value": "Enter at least 1 minute",
                "max_value": "Enter at most 600 minutes; log a longer contact as several",
            },
        }
        widgets = {"minutes": forms.TextInput(attrs={"inputmode": "numeric"})}

    def __init__(self, *args, mentor: Resident, user, **kwargs):
        instance = kwargs.get("instance")
        when = timezone.localtime(instance.occurred_at) if instance else timezone.localtime()
        initial = {"occurred_on": when.date(), "time_of_day": when.strftime("%H:%M")}
        if not instance:
            rules = MentoringSettings.for_wing(mentor.wing)
            initial["out_of_hours"] = "yes" if rules.is_out_of_hours(when) else "no"
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, **kwargs)
        self.instance.mentor = mentor
        if not instance:
            # Sent back beside the answer, so the view can tell an answer left as it was first
            # shown (worked out again by the service from the time entered) from one chosen.
            self.fields["out_of_hours"].show_hidden_initial = True
            self.fields[
                "out_of_hours"
            ].help_text = (
                f"Worked out from the time and the wing's core day ({rules.core_day_in_words()}), unless you change it"
            )
        mentees = Resident.objects.visible_to(user).current().on_wing(mentor.wing).exclude(pk=mentor.pk)
        layout_mentee = [Field.select("mentee")]
        if instance and instance.mentee_id:
            # A correction keeps the person helped, who may have left the wing since; one
            # the user may not see is kept as it is, and not offered for change.
            kept = Resident.objects.visible_to(user).filter(pk=instance.mentee_id)
            if kept.exists():
                mentees = mentees | kept
            else:
                del self.fields["mentee"]
                layout_mentee = []
        if "mentee" in self.fields:
            self.fields["mentee"].queryset = mentees
            self.fields["mentee"].empty_label = "No one in particular"
        # As the page asks them, so the error summary lists the problems in the same order.
        self.order_fields(
            ["contact_type", "occurred_on", "time_of_day", "mentee", "setting", "minutes", "out_of_hours", "notes"]
        )
        # Radios, without the select's blank "---------" choice.
        for name, choices in (("contact_type", ContactType.choices), ("setting", Setting.choices)):
            self.fields[name].widget = forms.RadioSelect()
            self.fields[name].choices = choices
        self.helper = govuk_helper(
            Field.radios("contact_type", small=True),
            Field("occurred_on"),
            Field.text("time_of_day", field_width=5),
            *layout_mentee,
            Field.radios("setting", small=True, inline=True),
            Field.text("minutes", field_width=3),
            Field.radios("out_of_hours", small=True, inline=True),
            Field.textarea("notes", rows=2),
            *(["version"] if instance else []),
            submit="Save changes" if instance else "Log contact",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("occurred_on") and cleaned.get("time_of_day"):
            self.instance.occurred_at = timezone.make_aware(
                datetime.combine(cleaned["occurred_on"], cleaned["time_of_day"])
            )
        return cleaned


class SupervisionForm(VersionedModelForm):
    stale_noun = "this supervision session"

    held_on = GovukDateField(label="Date of the session", required_message="Enter the date of the session")
    next_due = GovukDateField(label="Next session due", required_message="Enter when the next session is due")
    enough_down_time = _yes_no("Has enough down time?")
    out_of_hours_demands = _yes_no("Asked for help out of hours?")

    class Meta:
        model = SupervisionSession
        fields = ["held_on", "kind", "enough_down_time", "out_of_hours_demands", "hand_back", "notes", "next_due"]
        labels = {
            "kind": "Type of session",
            "hand_back": "Anything to hand back to staff (optional)",
            "notes": "Notes (optional)",
        }

    second_on_the_day = forms.BooleanField(
        label="Yes, record a second session on this day", required=False, widget=forms.CheckboxInput
    )

    def __init__(self, *args, mentor: Resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentor = mentor
        self.fields["kind"].widget = forms.RadioSelect()
        self.fields["kind"].choices = SupervisionKind.choices
        self.helper = govuk_helper(
            Field("held_on"),
            Field.radios("kind", inline=True),
            Fieldset(
                Field.radios("enough_down_time", inline=True),
                Field.radios("out_of_hours_demands", inline=True),
                Field.textarea("hand_back", rows=2),
                legend="Wellbeing and boundaries",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("notes", rows=3),
            Field("next_due"),
            "version",
            submit="Save changes" if self.instance.pk else "Record supervision",
        )

    def clean(self):
        cleaned = super().clean()
        held_on = cleaned.get("held_on")
        same_day = self.mentor.supervision_sessions.filter(held_on=held_on).exclude(pk=self.instance.pk)
        if held_on and not cleaned.get("second_on_the_day") and same_day.exists():
            # Asked only when it applies: the box joins the form beside the date.
            self.helper.layout.insert(1, Field.checkbox("second_on_the_day"))
            self.add_error(
                "second_on_the_day",
                f"A supervision session on {held_on:%-d %B %Y} is already recorded for them."
                " Tick the box to record a second one, or change the date",
            )
        return cleaned


class TrainingForm(forms.ModelForm):
    started_on = GovukDateField(label="Started (optional)", required=False)
    completed_on = GovukDateField(
        label="Completed", required=False, help_text="Needed once it is achieved. For example, 27 3 2026"
    )

    class Meta:
        model = TrainingRecord
        fields = [
            "qualification", "provider", "attained_at", "status", "started_on", "completed_on", "refresher",
            "learning_hours",
        ]  # fmt: skip
        labels = {
            "refresher": "This is a refresher",
            "learning_hours": "Learning hours",
            "provider": "Provider (optional)",
            "attained_at": "Where (optional)",
        }
        error_messages = {
            "qualification": {"required": "Select the qualification"},
            "status": {"required": "Select the status"},
            "learning_hours": {
                "invalid": "Enter the hours as a number, like 12 or 7.5",
                "max_decimal_places": "Enter the hours to at most one decimal place, like 7.5",
                "max_digits": "Enter at most 999 hours",
                "max_whole_digits": "Enter at most 999 hours",
                "min_value": "The hours cannot be negative",
                "max_value": "Enter at most 999 hours",
            },
        }
        widgets = {"learning_hours": forms.TextInput(attrs={"inputmode": "decimal"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["qualification"].queryset = Qualification.objects.filter(retired=False)
        self.fields["qualification"].empty_label = "Select a qualification"
        self.fields["provider"].queryset = Organisation.objects.all()
        self.fields["provider"].empty_label = "Not recorded"
        self.fields["status"].widget = forms.RadioSelect()
        self.fields["status"].choices = TrainingStatus.choices
        self.helper = govuk_helper(
            Field.select("qualification"),
            Field.select("provider"),
            Field.text("attained_at", field_width=20),
            Field.radios("status", inline=True),
            Field("started_on"),
            Field("completed_on"),
            Field.checkbox("refresher"),
            Field.text("learning_hours", field_width=4),
            submit="Save training",
        )

    def clean(self):
        cleaned = super().clean()
        started, completed = cleaned.get("started_on"), cleaned.get("completed_on")
        if started and completed and completed < started:
            self.add_error("completed_on", "The completion date must be on or after the start")
        if cleaned.get("status") == "achieved" and not completed:
            self.add_error("completed_on", "Enter the date it was achieved")
        today = timezone.localdate()
        if completed and completed > today:
            self.add_error("completed_on", "The completion date cannot be in the future")
        if started and started > today and cleaned.get("status") != "planned":
            self.add_error("started_on", "Only planned training can start in the future")
        return cleaned


class HoldingStartForm(forms.Form):
    role = forms.ModelChoiceField(queryset=PeerRole.objects.none(), error_messages={"required": "Select the role"})
    started_on = GovukDateField(label="Started", required_message="Enter the date the role started")

    def __init__(self, *args, resident: Resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = PeerRole.objects.offered().filter(establishment=resident.establishment_id)
        self.fields["role"].empty_label = "Select a role"
        self.helper = govuk_helper(Field.select("role"), Field("started_on"), submit="Start the role")


class HoldingEndForm(forms.Form):
    ended_on = GovukDateField(label="Ended", required_message="Enter the date the role ended")
    reason = forms.ChoiceField(
        choices=[choice for choice in HoldingEnd.choices if choice[0] != HoldingEnd.LEFT_WING],
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the role ended"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field("ended_on"), Field.radios("reason"), Field.text("note"), submit="End the role")


class RoundForm(forms.ModelForm):
    opened_on = GovukDateField(label="Opened", required_message="Enter the date the round opened")

    class Meta:
        model = RecruitmentRound
        fields = ["role", "places", "opened_on"]
        labels = {"places": "Places to fill"}
        error_messages = {
            "role": {"required": "Select the role to recruit to"},
            "places": {
                "required": "Enter how many places there are",
                "invalid": "Enter the places as a whole number, like 2",
                "min_value": "There must be at least 1 place",
                "max_value": "A round has at most 50 places",
            },
        }
        widgets = {"places": forms.TextInput(attrs={"inputmode": "numeric"})}

    def clean_opened_on(self):
        opened = self.cleaned_data["opened_on"]
        if opened and opened > timezone.localdate():
            raise forms.ValidationError("The round cannot open in the future")
        return opened

    def __init__(self, *args, wing, **kwargs):
        super().__init__(*args, initial={"opened_on": timezone.localdate()}, **kwargs)
        self.fields["role"].queryset = PeerRole.objects.offered().filter(establishment=wing.establishment_id)
        self.fields["role"].empty_label = "Select a role"
        self.helper = govuk_helper(
            Field.select("role"), Field.text("places", field_width=2), Field("opened_on"), submit="Open the round"
        )


def _residents_on(wing, user):
    return Resident.objects.visible_to(user).current().on_wing(wing).order_by("pseudonym")


def _candidates_for(wing, user):
    """Who a round may consider: the wing's residents, and people of its establishment referred
    onto a wing who are not on one yet (the study's lifers, interviewed in the main prison)."""
    referred = Q(wing__isnull=True, establishment=wing.establishment_id)
    return Resident.objects.visible_to(user).current().filter(Q(wing=wing) | referred).order_by("pseudonym")


class CandidateForm(forms.Form):
    prefix = "candidate"  # two forms share the round page: keep their field ids apart

    resident = ResidentChoiceField(label="Candidate", error_messages={"required": "Select the candidate"})
    route = forms.ChoiceField(
        label="How they came forward",
        choices=Route.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they came forward"},
    )

    def __init__(self, *args, round, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = _candidates_for(round.wing, user)
        self.fields["resident"].empty_label = "Select a resident"
        # The round page's own <form> posts it (forms cannot nest) and carries the token.
        self.helper = govuk_helper(
            Field.select("resident"), Field.radios("route", inline=True), submit="Add candidate", inner=True
        )


class NominationForm(forms.Form):
    prefix = "nomination"

    candidate = ResidentChoiceField(
        Candidate.objects.none(),
        via="resident",
        label="Who is nominated or endorsed",
        error_messages={"required": "Select the candidate"},
    )
    by = ResidentChoiceField(
        label="Resident nominating or endorsing",
        error_messages={"required": "Select who is nominating or endorsing"},
    )
    kind = forms.ChoiceField(
        label="Nomination or endorsement",
        choices=Voice.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select nomination or endorsement"},
    )
    comment = forms.CharField(
        label="In their words (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, round, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = round.candidates.visible_to(user).select_related("resident")
        self.fields["candidate"].empty_label = "Select a candidate"
        self.fields["by"].queryset = _residents_on(round.wing, user)
        self.fields["by"].empty_label = "Select a resident"
        self.helper = govuk_helper(
            Field.select("candidate"),
            Field.select("by"),
            Field.radios("kind", inline=True),
            Field.textarea("comment"),
            submit="Record",
            inner=True,  # like CandidateForm
        )


class InterviewForm(VersionedModelForm):
    stale_noun = "this interview"

    held_on = GovukDateField(label="Date of the interview", required_message="Enter the date of the interview")

    class Meta:
        model = Interview
        fields = [
            "held_on",
            "interviewers",
            *[name for criterion in CRITERIA for name in (criterion[0], f"{criterion[0]}_notes")],
        ]
        field_classes = {"interviewers": KeysChoiceField}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = staff
        self.fields["interviewers"].widget = forms.CheckboxSelectMultiple()
        self.fields["interviewers"].label_from_instance = display_name
        self.fields["interviewers"].error_messages["required"] = "Select who interviewed"
        layout = [Field("held_on"), Field.checkboxes("interviewers", small=True)]
        for name, label in CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[(score, str(score)) for score in range(1, 5)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text="1 is low, 4 is high",
                error_messages={
                    "required": f"Score ‘{label}’ from 1 to 4",
                    "invalid_choice": f"Score ‘{label}’ from 1 to 4",
                },
            )
            self.fields[f"{name}_notes"].label = f"Notes on ‘{label}’ (optional)"
            layout += [Field.radios(name, inline=True), Field.textarea(f"{name}_notes", rows=2)]
        self.helper = govuk_helper(*layout, "version", submit="Save the scores")

    @property
    def opened_version(self) -> int | None:
        """None when the form was opened before anyone had scored the candidate."""
        return self.cleaned_data["version"]["version"] if self.cleaned_data.get("version") else None


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Decision.choices, widget=forms.RadioSelect, error_messages={"required": "Select the decision"}
    )
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for reserve and not now, so the resident can be told why",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = govuk_helper(Field.radios("decision"), Field.textarea("reason"), submit="Record the decision")


class NextStepForm(forms.ModelForm):
    class Meta:
        model = NextStep
        fields = ["description", "target_role"]
        labels = {"description": "Next step", "target_role": "Towards the role (optional)"}
        error_messages = {"description": {"required": "Enter the next step"}}

    def __init__(self, *args, resident: Resident, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_role"].queryset = PeerRole.objects.offered().filter(establishment=resident.establishment_id)
        self.fields["target_role"].empty_label = "No particular role"
        self.helper = govuk_helper(Field.text("description"), Field.select("target_role"), submit="Save the next step")


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="For example, 08:00 or 17:30",
        widget=forms.TimeInput(format="%H:%M", attrs={"inputmode": "numeric", "spellcheck": "false"}),
        input_formats=TIME_FORMATS,
        error_messages={"required": f"Enter when the {label.lower()}", "invalid": "Enter the time like 17:30"},
    )


CORE_DAY = ["weekday_core_start", "weekday_core_end", "weekend_core_start", "weekend_core_end"]


class MentoringSettingsForm(VersionedModelForm):
    stale_noun = "these settings"

    weekday_core_start = _time("Core day on weekdays starts")
    weekday_core_end = _time("Core day on weekdays ends")
    weekend_core_start = _time("Core day at weekends starts")
    weekend_core_end = _time("Core day at weekends ends")

    class Meta:
        model = MentoringSettings
        fields = [
            "supervision_interval_days",
            "quiet_days",
            "overload_contacts_per_week",
            "overload_out_of_hours_percent",
            *CORE_DAY,
        ]
        labels = {
            "supervision_interval_days": "Days between supervision sessions",
            "quiet_days": "Days without a contact before a mentor is flagged as quiet",
            "overload_contacts_per_week": "Most contacts in 7 days before a mentor is flagged as overloaded",
            "overload_out_of_hours_percent": "Largest share of contacts out of hours, in per cent",
        }
        widgets = {name: forms.TextInput(attrs={"inputmode": "numeric"}) for name in fields if name not in CORE_DAY}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = [name for name in self.Meta.fields if name not in CORE_DAY]
        for name in limits:
            field = self.fields[name]
            field.help_text = ""
            field.error_messages.update(
                {"required": f"Enter: {field.label.lower()}", "invalid": "Enter a whole number, like 7"}
            )
            limits_named(field)
        self.helper = govuk_helper(
            *(Field.text(name, field_width=3) for name in limits),
            Fieldset(
                HTML(
                    '<p class="govuk-body">When staff are on hand. A contact logged outside these hours is'
                    " marked out of hours, unless the person logging it says otherwise.</p>"
                ),
                *(Field.text(name, field_width=5) for name in CORE_DAY),
                legend="The core day",
                legend_size=Size.MEDIUM,
            ),
            "version",
            submit="Save",
        )
