"""The site report (issue 15): one document for a wing and a period, in the study's order,
from the instruments' selectors; the evaluator's version names no one and hides small counts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from evaluation.report import SECTIONS
from mentoring.models import ContactType
from tests.evaluation.factories import AssessmentPeriodFactory, FindingFactory, VoiceFactory
from tests.mentoring.factories import CandidateFactory, MentorContactFactory, RecruitmentRoundFactory
from tests.programme.factories import AttendanceFactory, EnrolmentFactory, SessionFactory
from tests.residents.factories import ResidentFactory

URL = reverse("evaluation:site_report")


def _report(client, user, **query):
    client.force_login(user)
    return client.get(URL, query)


def _row(content: str, label: str) -> str:
    """The text of the table row whose heading is ``label``, tags stripped."""
    match = re.search(rf"<tr[^>]*>\s*<th[^>]*>{re.escape(label)}</th>(.*?)</tr>", content, re.S)
    assert match, f"no row {label}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def test_it_has_every_section_in_the_studys_order(client, manager, period):
    content = _report(client, manager).content.decode()
    places = [content.index(f'id="{anchor}">{escape(section.title)}</h2>') for anchor, section in SECTIONS.items()]
    assert places == sorted(places)
    assert len(SECTIONS) == 15


def test_it_shows_the_latest_period_unless_the_form_chose_another(client, manager, hamlet_wing, period):
    earlier = AssessmentPeriodFactory(
        wing=hamlet_wing, label="Baseline", starts_on=period.starts_on - timedelta(weeks=20),
        ends_on=period.starts_on - timedelta(days=1), baseline=True,
    )  # fmt: skip
    assert _report(client, manager).context["period"] == period
    chosen = _report(client, manager, period=earlier.pk)
    assert chosen.context["period"] == earlier
    assert "Site report: Baseline" in chosen.content.decode()


def test_another_prisons_period_or_a_made_up_one_is_not_found(client, staff, other_wing, period):
    elsewhere = AssessmentPeriodFactory(wing=other_wing, label="Osprey baseline")
    for value in (elsewhere.pk, "abc", "²", "9" * 30):
        assert _report(client, staff, period=value).status_code == 404


def test_a_period_of_another_of_ones_own_wings_gives_way_to_the_current_wings_latest(
    client, evaluator, other_wing, period
):
    # The evaluator sees both prisons and is looking at the Hamlet: the other wing's period in
    # the address (kept across a switch of wing) is not this wing's report.
    elsewhere = AssessmentPeriodFactory(wing=other_wing, label="Beacon baseline")
    response = _report(client, evaluator, period=elsewhere.pk)
    assert response.status_code == 302
    assert response.url == URL


def test_a_wing_without_periods_says_so(client, manager, hamlet_wing):
    response = _report(client, manager)
    assert response.status_code == 200
    assert "The wing has no assessment periods yet" in response.content.decode()


@pytest.fixture
def small_counts(period, hamlet_wing, holding, manager):
    """Three welcomes and twelve bridging contacts by the wing's one mentor, a finding the
    manager owns, and a round with two candidates."""
    for count, kind in ((3, ContactType.WELCOME), (12, ContactType.BRIDGING)):
        for number in range(count):
            MentorContactFactory(
                mentor=holding.resident,
                contact_type=kind,
                minutes=10,
                occurred_at=timezone.now() - timedelta(hours=number),
            )
    FindingFactory(period=period, kind="challenge", summary="No room for supervision", owner=manager)
    VoiceFactory(period=period, kind="impact_mentors", summary="A second chance")
    recruiting = RecruitmentRoundFactory(wing=hamlet_wing, role=holding.role)
    CandidateFactory(round=recruiting, route="peer")
    CandidateFactory(round=recruiting, route="self")


def test_the_wings_own_version_shows_every_count_and_who_owns_each_action(client, manager, small_counts):
    content = _report(client, manager).content.decode()
    assert _row(content, "Warm welcome to a newcomer") == "3 30 0 1"
    assert _row(content, "Bridging into engagement") == "12 120 0 1"
    assert _row(content, "All contacts") == "15 0"
    assert "Morgan Hale" in content
    assert "A second chance" in content


def test_the_evaluators_version_hides_small_counts_their_totals_and_staff_names(client, evaluator, small_counts):
    content = _report(client, evaluator).content.decode()
    assert _row(content, "Warm welcome to a newcomer") == "fewer than 5 not shown 0 fewer than 5"
    assert _row(content, "Bridging into engagement") == "12 120 0 fewer than 5"
    # 15 less the 12 shown would give the welcomes away.
    assert _row(content, "All contacts") == "not shown 0"
    recruitment = content[content.index('id="recruitment"') : content.index('id="engagement"')]
    assert _row(recruitment, "Peer mentors") == "1 2 fewer than 5 0 fewer than 5 0 0 0 0 0"
    assert "Morgan" not in content
    assert "Hale" not in content
    assert "No room for supervision" in content
    assert "pseudonymised version" in content


def test_attendance_rates_on_fewer_than_ten_sessions_are_hidden_from_evaluators(
    client, manager, evaluator, period, cohort, resident
):
    EnrolmentFactory(cohort=cohort, resident=resident)
    for day in range(1, 4):
        AttendanceFactory(session=SessionFactory(cohort=cohort, on=timezone.localdate() - timedelta(days=day)),
                          resident=resident)  # fmt: skip
    assert _row(_report(client, manager).content.decode(), str(cohort)).endswith("3 0 100%")
    assert _row(_report(client, evaluator).content.decode(), str(cohort)).endswith("3 0 not shown (fewer than 10)")


def test_it_names_no_resident_to_anyone(client, manager, evaluator, small_counts, resident, cohort):
    EnrolmentFactory(cohort=cohort, resident=ResidentFactory(wing=cohort.wing, pseudonym="Wren"))
    for user in (manager, evaluator):
        content = _report(client, user).content.decode()
        for name in (resident.pseudonym, resident.prison_number, "Wren"):
            assert name not in content


def test_a_cohorts_enrolled_count_is_hidden_where_it_would_give_away_a_hidden_part(
    client, manager, evaluator, period, cohort
):
    today = timezone.localdate()
    for _ in range(6):
        EnrolmentFactory(cohort=cohort, status="completed", ended_on=today)
    EnrolmentFactory(cohort=cohort, status="withdrawn", ended_on=today, end_reason="health")
    manager_row = _row(_report(client, manager).content.decode(), str(cohort))
    evaluator_row = _row(_report(client, evaluator).content.decode(), str(cohort))
    assert re.search(r" 7 6 1 0 0 0 no sessions yet$", manager_row)
    # Seven enrolled less six completed would be the one who withdrew.
    assert re.search(r" not shown 6 fewer than 5 0 0 0 no sessions yet$", evaluator_row)
