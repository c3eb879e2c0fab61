import django_tables2 as tables

from hamlet.columns import DateColumn
from hamlet.tables import HamletTable
from residents.models import Resident


class ResidentTable(HamletTable):
    caption = "Residents"

    pseudonym = tables.Column(linkify=True, verbose_name="Pseudonym")
    prison_number = tables.Column(verbose_name="Prison number")
    houseblock = tables.Column(verbose_name="Where", order_by=("houseblock__name", "room"), default="Not allocated")
    sentence_type = tables.Column(verbose_name="Sentence")
    stage = tables.Column()
    arrived_on = DateColumn(verbose_name="Arrived", format="j M Y")
    departed_on = DateColumn(verbose_name="Left", format="j M Y", default="")

    class Meta:
        model = Resident
        fields = [
            "pseudonym",
            "prison_number",
            "houseblock",
            "room",
            "sentence_type",
            "stage",
            "arrived_on",
            "departed_on",
        ]
        order_by = "pseudonym"
        per_page = 50
        empty_text = "No residents match these filters."
        attrs = {"class": "govuk-table govuk-table--small-text-until-tablet"}

    def render_houseblock(self, value, record) -> str:
        return f"{value}, room {record.room}" if record.room else str(value)
