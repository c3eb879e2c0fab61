import django_tables2 as tables
from django.utils.html import format_html

from evaluation.disclosure import Generalisation, banded
from evaluation.models import AssessmentPeriod, Finding
from hamlet.models import display_name
from hamlet.pseudonyms import research_id
from hamlet.tables import NUMERIC, HamletTable
from residents.models import Resident


class ResearchExtractTable(HamletTable):
    caption = "Residents who consented to the evaluation"

    research_id = tables.Column(verbose_name="Research ID", accessor="pk", orderable=False)
    establishment = tables.Column(accessor="establishment__name", verbose_name="Establishment")
    wing = tables.Column(accessor="wing__name", verbose_name="Wing")
    # Not sortable: an order by exact date or count would undo the generalisation.
    sentence_type = tables.Column(verbose_name="Sentence", orderable=False)
    age_band = tables.Column(verbose_name="Age", orderable=False)
    arrived_on = tables.Column(verbose_name="Arrived", orderable=False)
    departed_on = tables.Column(verbose_name="Left", default="", orderable=False)
    stage = tables.Column()
    roles_held = tables.Column(verbose_name="Roles held", orderable=False)
    contacts_logged = tables.Column(verbose_name="Contacts as mentor", orderable=False)

    class Meta:
        model = Resident
        fields = []
        sequence = [
            "research_id",
            "establishment",
            "wing",
            "sentence_type",
            "age_band",
            "arrived_on",
            "departed_on",
            "stage",
            "roles_held",
            "contacts_logged",
        ]
        per_page = 50
        empty_text = "No one who consented to the evaluation matches these filters."
        attrs = {"class": "govuk-table govuk-table--small-text-until-tablet"}

    def __init__(self, *args, generalisation: Generalisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.generalisation = generalisation

    def render_research_id(self, value) -> str:
        return research_id("resident", value)

    def render_sentence_type(self, record) -> str:
        return self.generalisation.sentence_of(record.sentence_type) or "—"

    def render_age_band(self, record) -> str:
        return self.generalisation.age_of(record.age_band) or "—"

    def render_arrived_on(self, record) -> str:
        return self.generalisation.when(record.arrived_on) or "—"

    def render_departed_on(self, record) -> str:
        return self.generalisation.when(record.departed_on)

    def render_roles_held(self, value) -> str:
        return banded(value)

    def render_contacts_logged(self, value) -> str:
        return banded(value)


class PeriodTable(HamletTable):
    """The wing's assessment periods, latest first."""

    caption = "Assessment periods"

    label = tables.Column(verbose_name="Period", linkify=True)
    starts_on = tables.DateColumn(verbose_name="Starts", format="j M Y")
    ends_on = tables.DateColumn(verbose_name="Ends", format="j M Y")
    baseline = tables.BooleanColumn(verbose_name="Baseline", yesno="Yes,")
    stages_rated = tables.Column(verbose_name="Grid stages rated", attrs=NUMERIC)
    closed_on = tables.Column(verbose_name="Status", empty_values=())

    class Meta:
        model = AssessmentPeriod
        fields = []
        sequence = ["label", "starts_on", "ends_on", "baseline", "stages_rated", "closed_on"]
        order_by = "-starts_on"

    def render_closed_on(self, value, record) -> str:
        if value:
            return format_html('<strong class="govuk-tag govuk-tag--grey">Closed {}</strong>', f"{value:%-d %b %Y}")
        return format_html('<strong class="govuk-tag govuk-tag--blue">{}</strong>', "Open")


FINDING_STATUS_TAGS = {"open": "grey", "in_progress": "blue", "done": "green", "dropped": "red"}


class FindingTable(HamletTable):
    """The wing's findings, each with its action's owner, due date and status."""

    caption = "Findings and recommendations"

    summary = tables.Column(verbose_name="Finding", linkify=True)
    kind = tables.Column(verbose_name="Kind")
    period = tables.Column(verbose_name="Period", order_by=("period__starts_on",))
    owner = tables.Column(verbose_name="Owner", empty_values=(), order_by=("owner__first_name", "owner__last_name"))
    due_on = tables.DateColumn(verbose_name="Due", format="j M Y")
    status = tables.Column(verbose_name="Status")

    class Meta:
        model = Finding
        fields = []
        sequence = ["summary", "kind", "period", "owner", "due_on", "status"]
        order_by = "due_on"

    def render_owner(self, record) -> str:
        return display_name(record.owner) if record.owner else "No one yet"

    def render_status(self, value, record) -> str:
        colour = FINDING_STATUS_TAGS.get(record.status, "grey")
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, value)
