import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from hamlet.access import identity_shown
from hamlet.tables import NUMERIC, HamletTable
from mentoring.models import PeerRole, RecruitmentRound, mentor_url


def _heading(title: str, hint: str):
    """A column heading with Appendix 2's own explanation under it."""
    return format_html('{}<span class="govuk-body-s govuk-!-display-block">{}</span>', title, hint)


def _yes_no(title: str, hint: str) -> tables.BooleanColumn:
    return tables.BooleanColumn(verbose_name=_heading(title, hint), yesno="Yes,No")


class PeerRoleTable(HamletTable):
    """The establishment's peer involvement roles, in the columns of Appendix 2 of the study."""

    title = tables.Column(verbose_name="Peer involvement role title")
    pay = tables.Column(verbose_name=_heading("Paid/ Unpaid", "As per PSO 4460 payment guidance"))
    induction = _yes_no("Induction", "For example: formal induction, orientation, navigation, signposting or crisis")
    single_issue = _yes_no(
        "Single issue/skill/task", "For example: specific health condition, skill or crisis orientated role profile"
    )
    bridging = _yes_no("Bridging role", "For example: formal recruitment, sustaining and motivating participation role")
    representation = tables.Column(
        verbose_name=_heading(
            "Collective/civic representation",
            "For example: formal wing decision-making forum (WDF) and/or Prisoner Council (PC) roles",
        )
    )

    class Meta:
        model = PeerRole
        fields = ["title", "pay", "induction", "single_issue", "bridging", "representation"]
        per_page = 50
        empty_text = "No peer roles have been set up for this establishment. An administrator adds them."
        attrs = {"class": "govuk-table govuk-table--small-text-until-tablet"}

    def render_title(self, record):
        cfo = format_html(' <strong class="govuk-tag govuk-tag--blue">{}</strong>', "CFO") if record.is_cfo_role else ""
        notes = (
            format_html('<span class="govuk-body-s govuk-!-display-block">{}</span>', record.notes)
            if record.notes
            else ""
        )
        return format_html("{}{}{}", record.title, cfo, notes)

    def render_pay(self, record) -> str:
        return record.pay_display


class RoundTable(HamletTable):
    caption = "Recruitment rounds, newest first"

    role = tables.Column(verbose_name="Role", linkify=lambda record: record.get_absolute_url(), order_by="role__title")
    opened_on = tables.DateColumn(verbose_name="Opened", format="j M Y")
    places = tables.Column(verbose_name="Places", attrs=NUMERIC)
    candidate_count = tables.Column(verbose_name="Candidates", attrs=NUMERIC)
    closed_on = tables.Column(verbose_name="Status", default="")

    class Meta:
        model = RecruitmentRound
        fields = ["role", "opened_on", "places", "candidate_count", "closed_on"]
        per_page = 50
        empty_text = "No recruitment rounds yet."

    def render_role(self, record) -> str:
        return record.role.title

    def render_closed_on(self, record) -> str:
        if record.is_open:
            return format_html('<strong class="govuk-tag govuk-tag--green">{}</strong>', "Open")
        return f"Closed {date_format(record.closed_on, 'j M Y')}"


class WorkloadTable(HamletTable):
    """Each current mentor's last 7 and 28 days (``selectors.mentor_workload``), flags last."""

    caption = "Current mentors, with their last 7 and 28 days"

    mentor = tables.Column(verbose_name="Mentor", order_by="mentor__pseudonym")
    contacts_week = tables.Column(verbose_name="Contacts, last 7 days", attrs=NUMERIC)
    out_of_hours_percent = tables.Column(verbose_name="Out of hours, last 7 days", attrs=NUMERIC)
    contacts_four_weeks = tables.Column(verbose_name="Contacts, last 28 days", attrs=NUMERIC)
    supervision = tables.Column(verbose_name="Supervision", accessor="last_supervision", orderable=False, default="")
    training = tables.Column(verbose_name="Training", accessor="achieved", orderable=False)
    flags = tables.Column(verbose_name="Flags", accessor="flagged", orderable=False)
    hand_backs = tables.Column(
        verbose_name="Handed back to staff", orderable=False, attrs={"td": {"class": "hamlet-free-text"}}
    )

    class Meta:
        per_page = 50
        attrs = {"class": "govuk-table govuk-table--small-text-until-tablet"}

    def render_mentor(self, value) -> str:
        name = identity_shown(self.request.user, value)
        return format_html('<a class="govuk-link" href="{}">{}</a>', mentor_url(value), name)

    def render_out_of_hours_percent(self, value) -> str:
        return f"{value}%"

    def render_supervision(self, record) -> str:
        if not record.last_supervision:
            return "None recorded"
        last, due = date_format(record.last_supervision, "j M"), date_format(record.next_supervision_due, "j M")
        return f"Last {last}, next due {due}"

    def render_training(self, record) -> str:
        return f"{record.achieved} achieved" + (f", {record.in_progress} in progress" if record.in_progress else "")

    def render_flags(self, record) -> str:
        tags = [
            (record.overloaded, "red", "Overloaded"),
            (record.supervision_overdue, "orange", "Supervision overdue"),
            (record.quiet, "yellow", f"Quiet for {record.quiet_for} days"),
            (record.no_supervision_yet, "blue", "No supervision yet"),
            (record.no_training, "grey", "No training recorded"),
        ]
        shown = [(colour, text) for flagged, colour, text in tags if flagged]
        if not shown:
            return "None"
        return format_html_join(" ", '<strong class="govuk-tag govuk-tag--{}">{}</strong>', shown)

    def render_hand_backs(self, value) -> str:
        # Until dealt with on the mentor's page.
        return format_html_join(
            "", '<p class="govuk-body-s govuk-!-margin-bottom-1">{}</p>', ((text,) for text in value)
        )
