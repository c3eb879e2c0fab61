import django_tables2 as tables

from hamlet.columns import DateColumn
from hamlet.pseudonyms import research_id
from hamlet.tables import HamletTable
from residents.models import Resident


class ResearchExtractTable(HamletTable):
    caption = "Residents who consented to the evaluation"

    research_id = tables.Column(verbose_name="Research ID", accessor="pk", orderable=False)
    establishment = tables.Column(accessor="establishment__name", verbose_name="Establishment")
    wing = tables.Column(accessor="wing__name", verbose_name="Wing")
    sentence_type = tables.Column(verbose_name="Sentence")
    age_band = tables.Column(verbose_name="Age")
    arrived_on = DateColumn(verbose_name="Arrived", format="M Y")
    departed_on = DateColumn(verbose_name="Left", format="M Y", default="")
    stage = tables.Column()
    roles_held = tables.Column(verbose_name="Roles held", attrs={"cell": {"class": "govuk-table__cell--numeric"}})
    contacts_logged = tables.Column(
        verbose_name="Contacts as mentor", attrs={"cell": {"class": "govuk-table__cell--numeric"}}
    )

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

    def render_research_id(self, value) -> str:
        return research_id("resident", value)
