"""Every evaluation page not checked beside its instrument, and the site report: its queries do
not grow with the records it shows. And the ladder, like the grid, loses no update."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation.models import (
    Attribute,
    AttributeCount,
    AttributeSurvey,
    ClimateCount,
    ClimateIndicator,
    ClimateMonth,
    RoleRung,
    StaffFilled,
    StaffMonth,
)
from tests.evaluation.factories import (
    AssessmentPeriodFactory,
    FindingFactory,
    MappingScoreFactory,
    RelationalMappingFactory,
    StaffPostFactory,
    VoiceFactory,
)
from tests.hamlet.factories import WingFactory
from tests.mentoring.factories import (
    CandidateFactory,
    MentorContactFactory,
    NextStepFactory,
    PeerRoleFactory,
    RecruitmentRoundFactory,
    RoleHoldingFactory,
    SupervisionSessionFactory,
    TrainingRecordFactory,
)
from tests.programme.factories import AttendanceFactory, CohortFactory, EnrolmentFactory, SessionFactory
from tests.residents.factories import ResidentFactory, StageChangeFactory, SupportContactFactory


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(period, number: int) -> None:
    """More of every record the pages below show."""
    wing = period.wing
    VoiceFactory(period=period, kind="barrier", priority=number + 1, summary=f"Barrier {number}")
    FindingFactory(period=period, summary=f"Finding {number}")
    role = PeerRoleFactory(establishment=wing.establishment, is_cfo_role=True, title=f"CFO role {number}")
    holder = ResidentFactory(wing=wing)
    RoleHoldingFactory(resident=holder, role=role)
    TrainingRecordFactory(resident=holder)
    post = StaffPostFactory(wing=wing, title=f"Post {number}")
    record = StaffMonth.objects.get_or_create(wing=wing, month=date(2026, 11, 1))[0]
    StaffFilled.objects.create(record=record, post=post, count=1)
    survey = AttributeSurvey.objects.get_or_create(period=period, defaults={"interviews": 20})[0]
    attribute = Attribute.objects.exclude(counts__survey=survey).first()
    AttributeCount.objects.create(survey=survey, attribute=attribute, interviews=number + 1)


@pytest.mark.parametrize(
    "page",
    ["evaluation:voices", "evaluation:findings", "evaluation:attributes", "evaluation:staff_team",
     "evaluation:delivery_model"],
)  # fmt: skip
def test_the_pages_queries_do_not_grow_with_their_records(client, manager, period, page):
    client.force_login(manager)
    url = reverse(page, args=[period.pk]) if page in ("evaluation:voices", "evaluation:attributes") else reverse(page)
    _more(period, 0)
    before = _count(client, url)
    for number in range(1, 5):
        _more(period, number)
    assert _count(client, url) == before


def test_two_managers_placing_a_role_on_the_ladder_do_not_overwrite_each_other(
    client, manager, period, peer_mentor_role
):
    RoleRung.objects.create(period=period, role=peer_mentor_role, rung=1, evidence="Staff told them")
    client.force_login(manager)
    url = reverse("evaluation:rung_rate", args=[period.pk, peer_mentor_role.pk])
    opened = client.get(url).context["form"]["version"].value()
    client.post(url, {"rung": "2", "evidence": "First", "version": opened})
    response = client.post(url, {"rung": "3", "evidence": "Second", "version": opened})
    assert "Someone else saved this role's rung" in response.context["form"].non_field_errors()[0]
    assert RoleRung.objects.get(period=period).evidence == "First"


def _another_of_everything(period, number: int) -> None:
    """One more of each record the site report counts, on the period's wing and on a new wing,
    and an earlier period: residents, a cohort with an enrolment, a session and a mark, mappings,
    mentor contacts, training, recruitment, support, climate, findings and voices."""
    _more(period, number)
    wing = period.wing
    for each in (wing, WingFactory(establishment=wing.establishment, name=f"Wing {number}")):
        resident = ResidentFactory(wing=each)
        cohort = CohortFactory(wing=each, name=f"Report cohort {number}", phase=("phase_1", "phase_2")[number % 2])
        EnrolmentFactory(cohort=cohort, resident=resident)
        AttendanceFactory(session=SessionFactory(cohort=cohort), resident=resident, supported_by=resident)
        StageChangeFactory(resident=resident, stage="phase_1")
        SupportContactFactory(resident=resident)
        MentorContactFactory(mentor=resident)
        SupervisionSessionFactory(mentor=resident)
        NextStepFactory(resident=resident)
        CandidateFactory(round=RecruitmentRoundFactory(wing=each), resident=resident)
        mapped = period if each == wing else AssessmentPeriodFactory(wing=each)
        MappingScoreFactory(mapping=RelationalMappingFactory(period=mapped, cohort=cohort), element=f"Element {number}")
    # An earlier period, mapped too: the report compares the period with the one before it.
    day = period.starts_on - timedelta(weeks=number + 1)
    earlier = AssessmentPeriodFactory(wing=wing, label=f"Earlier {number}", starts_on=day, ends_on=day)
    RelationalMappingFactory(period=earlier, cohort=CohortFactory(wing=wing, starts_on=day), held_on=day)
    indicator = ClimateIndicator.objects.get_or_create(name=f"Indicator {number}")[0]
    month = ClimateMonth.objects.get_or_create(wing=wing, month=period.ends_on.replace(day=1))[0]
    ClimateCount.objects.create(record=month, indicator=indicator, count=number + 3)


def test_the_site_reports_queries_do_not_grow_with_wings_residents_cohorts_or_periods(client, manager, period):
    client.force_login(manager)
    url = reverse("evaluation:site_report")
    _another_of_everything(period, 0)
    before = _count(client, url)
    for number in range(1, 4):
        _another_of_everything(period, number)
    assert _count(client, url) == before
