import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from hamlet.tables import NUMERIC, HamletTable
from mentoring.models import RecruitmentRound


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
            return mark_safe('<strong class="govuk-tag govuk-tag--green">Open</strong>')
        return f"Closed {date_format(record.closed_on, 'j M Y')}"
