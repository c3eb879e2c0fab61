import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from hamlet.access import identity_shown
from hamlet.columns import DateColumn
from hamlet.tables import HamletTable, PersonColumn
from residents.models import Resident


class ResidentTable(HamletTable):
    caption = "Residents"

    pseudonym = PersonColumn(linkify=True, verbose_name="Pseudonym")
    prison_number = PersonColumn(field="prison_number", verbose_name="Prison number")
    houseblock = tables.Column(verbose_name="Where", order_by=("houseblock__name", "room"), default="Not allocated")
    sentence_type = tables.Column(verbose_name="Sentence")
    stage = tables.Column()
    arrived_on = DateColumn(verbose_name="Arrived", format="j M Y", default="Not on a wing yet")
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


class RetentionTable(HamletTable):
    caption = "Records due for anonymisation, longest gone first"

    pseudonym = PersonColumn(linkify=True, verbose_name="Resident")
    wing = tables.Column(verbose_name="Wing", accessor="wing__name")
    departed_on = tables.DateColumn(verbose_name="Left", format="j M Y")
    anonymise = tables.Column(
        verbose_name=format_html('<span class="govuk-visually-hidden">{}</span>', "Action"),
        accessor="pk",
        orderable=False,
    )

    class Meta:
        model = Resident
        fields = ["pseudonym", "wing", "departed_on", "anonymise"]
        per_page = 50
        empty_text = "No records are due."

    def render_anonymise(self, record) -> str:
        url = reverse("residents:anonymise", args=[record.pk])
        return format_html(
            '<a class="govuk-link" href="{}">Anonymise<span class="govuk-visually-hidden"> {}</span></a>',
            url,
            identity_shown(self.request.user, record),
        )
