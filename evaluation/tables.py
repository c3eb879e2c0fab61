import django_tables2 as tables
from django.utils.html import format_html

from evaluation.disclosure import Generalisation, banded
from evaluation.models import AssessmentPeriod
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
