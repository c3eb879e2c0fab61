import django_tables2 as tables

from residents.models import Resident


class ResidentTable(tables.Table):
    pseudonym = tables.Column(linkify=True, verbose_name="Pseudonym")
    prison_number = tables.Column(verbose_name="Prison number")
    houseblock = tables.Column(order_by=("houseblock__name",), default="Not allocated")
    room = tables.Column(default="")
    sentence_type = tables.Column(verbose_name="Sentence")
    stage = tables.Column()
    arrived_on = tables.DateColumn(verbose_name="Arrived", format="j M Y")
    departed_on = tables.DateColumn(verbose_name="Left", format="j M Y", default="")

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
        empty_text = "No residents match these filters."
        attrs = {"class": "govuk-table"}
