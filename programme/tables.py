import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from hamlet.access import identity_shown
from hamlet.tables import NUMERIC, HamletTable, PersonColumn
from programme.models import (
    OPEN_REFERRAL,
    Cohort,
    Enrolment,
    Meeting,
    Project,
    Referral,
    Session,
    Suggestion,
    WaitingListEntry,
)

STATUS_TAGS = {
    "pending": "grey",
    "approved": "green",
    "declined": "red",
    "allocated": "blue",
    "removed": "grey",
    "withdrawn": "grey",
    "planned": "grey",
    "running": "green",
    "finished": "blue",
    "cancelled": "red",
    "referred": "grey",
    "assessed": "light-blue",
    "accepted": "green",
    "moved": "blue",
}


# A column of links needs a heading for screen readers, though sighted users need none.
ACTIONS_HEADING = format_html('<span class="govuk-visually-hidden">{}</span>', "Actions")


def status_tag(value: str, label: str) -> str:
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', STATUS_TAGS.get(value, "grey"), label)


class WaitingListTable(HamletTable):
    """The waiting lists of the wing, longest waiting first, with how long each has waited."""

    caption = "Waiting list"

    resident = PersonColumn(verbose_name="Resident", order_by="resident__pseudonym")
    phase = tables.Column(verbose_name="Waiting for")
    referred_by = tables.Column(verbose_name="Referred by")
    referred_on = tables.DateColumn(verbose_name="Referred", format="j M Y")
    waited = tables.Column(
        verbose_name="Days waiting", accessor="referred_on", attrs=NUMERIC, orderable=False, empty_values=()
    )
    status = tables.Column(verbose_name="Status")
    change = tables.Column(verbose_name=ACTIONS_HEADING, accessor="pk", orderable=False)

    class Meta:
        model = WaitingListEntry
        fields = ["resident", "phase", "referred_by", "referred_on", "waited", "status", "change"]
        order_by = "referred_on"
        per_page = 50
        empty_text = "No one is on the waiting list with these filters."

    def __init__(self, *args, today, can_change: bool, **kwargs):
        self.today, self.can_change = today, can_change
        super().__init__(*args, **kwargs)

    def render_waited(self, record) -> str:
        if record.status not in ("pending", "approved"):
            return "–"
        return str((self.today - record.referred_on).days)

    def render_status(self, record) -> str:
        return status_tag(record.status, record.get_status_display())

    def render_change(self, record) -> str:
        if not (self.can_change and record.moves()):
            return ""
        url = reverse("programme:waiting_move", args=[record.pk])
        return format_html(
            '<a class="govuk-link" href="{}">Change status<span class="govuk-visually-hidden"> of entry {}</span></a>',
            url,
            record.pk,
        )


class ReferralTable(HamletTable):
    """Referrals onto the wing, longest open first, with the days since each referral."""

    caption = "Referrals onto the wing"

    resident = PersonColumn(
        verbose_name="Person referred", order_by="resident__pseudonym", linkify=lambda record: record.get_absolute_url()
    )
    referred_by = tables.Column(verbose_name="Referred by")
    referred_on = tables.DateColumn(verbose_name="Referred", format="j M Y")
    days = tables.Column(
        verbose_name="Days since referral", accessor="referred_on", attrs=NUMERIC, orderable=False, empty_values=()
    )
    status = tables.Column(verbose_name="Status")
    status_on = tables.DateColumn(verbose_name="Since", format="j M Y")

    class Meta:
        model = Referral
        fields = ["resident", "referred_by", "referred_on", "days", "status", "status_on"]
        order_by = "referred_on"
        per_page = 50
        empty_text = "No referrals with these filters."

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def render_days(self, record) -> str:
        # Counted while the referral is open; a closed one has stopped waiting.
        if record.status not in OPEN_REFERRAL:
            return "–"
        return str((self.today - record.referred_on).days)

    def render_status(self, record) -> str:
        return status_tag(record.status, record.get_status_display())


class CohortTable(HamletTable):
    caption = "Cohorts, latest first"

    name = tables.Column(verbose_name="Cohort", linkify=lambda record: record.get_absolute_url())
    phase = tables.Column(verbose_name="Phase")
    starts_on = tables.DateColumn(verbose_name="Starts", format="j M Y")
    ends_on = tables.DateColumn(verbose_name="Ends", format="j M Y")
    enrolled = tables.Column(verbose_name="Enrolled now", attrs=NUMERIC)
    rate = tables.Column(verbose_name="Attendance", accessor="pk", attrs=NUMERIC, orderable=False)
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Cohort
        fields = ["name", "phase", "starts_on", "ends_on", "enrolled", "rate", "status"]
        per_page = 50
        empty_text = "No cohorts yet."

    def __init__(self, *args, rates: dict, **kwargs):
        self.rates = rates
        super().__init__(*args, **kwargs)

    def render_rate(self, record) -> str:
        rate = self.rates.get(record.pk)
        return str(rate) if rate else "no sessions yet"

    def render_status(self, record) -> str:
        return status_tag(record.status, record.get_status_display())


class EnrolmentTable(HamletTable):
    """A cohort's residents, with each one's attendance rate (``selectors.cohort_page``)."""

    caption = "Residents"

    resident = PersonColumn(verbose_name="Resident")
    enrolled_on = tables.DateColumn(verbose_name="Enrolled", format="j M Y")
    rate = tables.Column(verbose_name="Attendance", accessor="pk", attrs=NUMERIC)
    status = tables.Column(verbose_name="Status")
    actions = tables.Column(verbose_name=ACTIONS_HEADING, accessor="pk", empty_values=())

    class Meta:
        model = Enrolment
        fields = ["resident", "enrolled_on", "rate", "status", "actions"]
        orderable = False
        per_page = 100
        empty_text = "No one is enrolled yet."

    def __init__(self, *args, can_change: bool, **kwargs):
        self.can_change = can_change
        super().__init__(*args, **kwargs)

    def render_rate(self, record) -> str:
        rate = record.rate
        if rate.percent is None:
            return "no sessions yet"
        return format_html(
            '{}% <span class="govuk-body-s">({} of {})</span>', rate.percent, rate.attended, rate.counted
        )

    def render_status(self, record) -> str:
        text = record.get_status_display()
        if record.ended_on:
            text += f" {record.ended_on:%-d %b %Y}"
        if record.graduated_on:
            text += ", graduated"
        return text

    def render_actions(self, record) -> str:
        if not (self.can_change and record.status == "enrolled"):
            return ""
        name = record.resident.pseudonym
        return format_html(
            '<a class="govuk-link" href="{}">Completed or left<span class="govuk-visually-hidden">: {}</span></a><br>'
            '<a class="govuk-link" href="{}">Move<span class="govuk-visually-hidden"> {}</span></a>',
            reverse("programme:enrolment_end", args=[record.pk]),
            name,
            reverse("programme:enrolment_move", args=[record.pk]),
            name,
        )


class SessionTable(HamletTable):
    caption = "Sessions"

    on = tables.DateColumn(verbose_name="Date", format="D j M Y", linkify=lambda record: record.get_absolute_url())
    time = tables.Column(verbose_name="Time", accessor="starts_at")
    topic = tables.Column(verbose_name="Topic")
    delivered_by = tables.Column(verbose_name="Delivered by")
    marks = tables.Column(verbose_name="Marks recorded", attrs=NUMERIC)
    note = tables.Column(verbose_name="Note", accessor="pk", empty_values=())

    class Meta:
        model = Session
        fields = ["on", "time", "topic", "delivered_by", "marks", "note"]
        orderable = False
        per_page = 100
        empty_text = "No sessions yet: add them from a weekly plan."

    def render_time(self, record) -> str:
        return f"{record.starts_at:%H:%M} to {record.ends_at:%H:%M}"

    def render_note(self, record) -> str:
        notes = []
        if record.is_cancelled:
            notes.append(f"Cancelled: {record.get_cancel_reason_display().lower()}")
        if record.moved_from:
            notes.append(f"Moved from the bank holiday on {record.moved_from:%-d %B}")
        if record.catch_up_for.all():
            notes.append("Catch-up")
        user = self.request.user if getattr(self, "request", None) else None
        mentors = ", ".join(identity_shown(user, mentor) for mentor in record.co_delivered_by.all())
        if mentors:
            notes.append(f"Co-delivered by {mentors}")
        return "; ".join(notes)


class MeetingTable(HamletTable):
    caption = "Meetings, latest first"

    held_on = tables.DateColumn(verbose_name="Held", format="j M Y", linkify=lambda record: record.get_absolute_url())
    kind = tables.Column(verbose_name="Meeting")
    residents = tables.Column(verbose_name="Residents there", attrs=NUMERIC)
    open_actions = tables.Column(verbose_name="Open actions", attrs=NUMERIC)

    class Meta:
        model = Meeting
        fields = ["held_on", "kind", "residents", "open_actions"]
        per_page = 50
        empty_text = "No meetings recorded yet."

    def render_kind(self, record) -> str:
        return f"{record.get_kind_display()}: {record.title}" if record.title else record.get_kind_display()


class SuggestionTable(HamletTable):
    caption = "Suggestions and evaluation forms, newest first"

    received_on = tables.DateColumn(verbose_name="Received", format="j M Y")
    source = tables.Column(verbose_name="From")
    text = tables.Column(verbose_name="What they said")
    answer = tables.Column(verbose_name="Answer", empty_values=())
    change = tables.Column(verbose_name=ACTIONS_HEADING, accessor="pk", orderable=False)

    class Meta:
        model = Suggestion
        fields = ["received_on", "source", "text", "answer", "change"]
        per_page = 50
        empty_text = "No suggestions recorded yet."

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def render_source(self, record) -> str:
        who = identity_shown(self.user, record.resident) if record.resident_id and record.named else "anonymous"
        part = "" if record.mentor_part == "none" else f"; a peer mentor {record.get_mentor_part_display().lower()}"
        return f"{record.get_source_display()} ({who}{part})"

    def render_answer(self, record) -> str:
        if not record.answer:
            return "Not answered yet"
        at = f" at the {record.meeting}" if record.meeting_id else ""
        return f"{record.get_answer_display()}{at}"

    def render_change(self, record) -> str:
        if not self.user.has_perm("programme.change_suggestion"):
            return ""
        label = "Change the answer" if record.answer else "Answer"
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> to the suggestion of {}</span></a>',
            reverse("programme:suggestion_answer", args=[record.pk]),
            label,
            f"{record.received_on:%-d %B}",
        )


class ProjectTable(HamletTable):
    caption = "Community projects"

    title = tables.Column(verbose_name="Project", linkify=lambda record: record.get_absolute_url())
    for_whom = tables.Column(verbose_name="For")
    proposed_by = tables.Column(verbose_name="Proposed by")
    total = tables.Column(verbose_name="Hours given", attrs=NUMERIC, default=0)
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Project
        fields = ["title", "for_whom", "proposed_by", "total", "status"]
        per_page = 50
        empty_text = "No community projects yet."

    def render_for_whom(self, record) -> str:
        return (
            f"{record.get_for_whom_display()}: {record.beneficiary}"
            if record.beneficiary
            else record.get_for_whom_display()
        )
