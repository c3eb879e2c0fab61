"""The participation ladder (issue 14): the figures beside each role counted against
hand-built records with the answers worked out by hand, and placing a role through the page."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import ladder
from evaluation.models import RoleRung
from tests.evaluation.factories import AssessmentPeriodFactory
from tests.mentoring.factories import PeerRoleFactory, RoleHoldingFactory
from tests.programme.factories import CohortFactory, SessionFactory, SuggestionFactory
from tests.residents.factories import ResidentFactory

START, END = date(2026, 3, 2), date(2026, 4, 26)


def test_each_roles_holders_and_the_sessions_they_co_delivered_in_the_period(hamlet_wing, other_wing, drake_hall):
    mentors, listeners = PeerRoleFactory(establishment=drake_hall), PeerRoleFactory(establishment=drake_hall)

    def holder(role, started_on, ended_on=None):
        resident = ResidentFactory(wing=hamlet_wing, arrived_on=date(2025, 1, 6))
        ended = {"ended_on": ended_on, "end_reason": "stepped_down"} if ended_on else {}
        RoleHoldingFactory(resident=resident, role=role, started_on=started_on, **ended)
        return resident

    ada = holder(mentors, date(2025, 6, 1))  # holds it throughout
    bea = holder(mentors, date(2025, 6, 1), ended_on=date(2026, 3, 2))  # stepped down on the first day
    holder(mentors, date(2025, 6, 1), ended_on=date(2026, 3, 1))  # stepped down the day before
    holder(mentors, date(2026, 4, 27))  # started the day after
    cy = holder(listeners, date(2026, 4, 26))  # started on the last day
    cohort = CohortFactory(wing=hamlet_wing, starts_on=date(2026, 2, 2), ends_on=date(2026, 6, 1))
    elsewhere = CohortFactory(wing=other_wing, starts_on=date(2026, 2, 2), ends_on=date(2026, 6, 1))
    for on, by, fields in [
        (START, [ada, bea], {}),  # one session, two of the role: counted once
        (date(2026, 3, 9), [ada], {}),
        (date(2026, 3, 16), [ada], {"cancel_reason": "operational"}),  # not held
        (date(2026, 3, 1), [ada], {}),  # the day before
        (END, [cy], {}),
    ]:
        SessionFactory(cohort=cohort, on=on, **fields).co_delivered_by.set(by)
    SessionFactory(cohort=elsewhere, on=date(2026, 3, 10)).co_delivered_by.set([ada])  # another wing's

    figures = ladder.role_evidence(wing_id=hamlet_wing.pk, establishment_id=drake_hall.pk, starts_on=START, ends_on=END)
    assert figures == {
        mentors.pk: ladder.RoleFigures(holders=2, sessions_co_delivered=2),
        listeners.pk: ladder.RoleFigures(holders=1, sessions_co_delivered=1),
    }


def test_the_consultation_peer_mentors_carried_counts_course_forms_and_suggestions_brought(hamlet_wing, other_wing):
    for source, part, received_on in [
        ("course_form", "handed_out", START),
        ("course_form", "collected", END),
        ("course_form", "none", START),  # no peer mentor's part
        ("box", "handed_out", START),  # not a feedback form
        ("box", "brought", date(2026, 3, 20)),
        ("course_form", "collected", date(2026, 3, 1)),  # the day before
    ]:
        SuggestionFactory(wing=hamlet_wing, source=source, mentor_part=part, received_on=received_on)
    SuggestionFactory(wing=other_wing, source="course_form", mentor_part="collected", received_on=START)
    assert ladder.wing_evidence(wing_id=hamlet_wing.pk, starts_on=START, ends_on=END) == {"forms": 2, "brought": 1}


def _post(client, url: str, data: dict):
    response = client.get(url)
    return client.post(url, {**data, "version": response.context["form"]["version"].value() or ""})


def test_a_manager_places_a_role_and_the_ladder_marks_its_rung_in_words(client, manager, period, peer_mentor_role):
    earlier = AssessmentPeriodFactory(wing=period.wing, label="Baseline", starts_on=date(2025, 1, 6),
                                      ends_on=date(2025, 3, 2), closed_on=date(2025, 3, 3))  # fmt: skip
    RoleRung.objects.create(period=earlier, role=peer_mentor_role, rung=1, evidence="Staff told them")
    client.force_login(manager)
    url = reverse("evaluation:rung_rate", args=[period.pk, peer_mentor_role.pk])
    response = _post(client, url, {"rung": "2", "evidence": "Feedback forms", "plan": "Decide the open day together"})
    assert response.status_code == 302
    page = client.get(reverse("evaluation:ladder", args=[period.pk]))
    item = page.context["roles"][0]
    assert [str(rung) for rung, current in item.steps if current] == ["2: Consultation"]
    assert str(item.next_rung) == "3: Participation"
    assert [(str(each), rung and rung.rung) for each, rung in item.history] == [("Baseline", 1), ("Follow-up", 2)]
    content = page.content.decode()
    assert 'aria-current="step">2: Consultation <strong class="govuk-tag govuk-tag--blue">Current rung' in content


def test_a_plan_naming_a_resident_is_refused_and_another_prisons_role_is_not_found(
    client, manager, period, peer_mentor_role, resident, other_prison
):
    client.force_login(manager)
    url = reverse("evaluation:rung_rate", args=[period.pk, peer_mentor_role.pk])
    response = _post(client, url, {"rung": "3", "evidence": "Forms", "plan": f"Ask {resident.prison_number}"})
    assert "This names a resident of the wing" in str(response.context["form"].errors["plan"])
    assert not RoleRung.objects.exists()
    elsewhere = PeerRoleFactory(establishment=other_prison, is_cfo_role=True)
    assert client.get(reverse("evaluation:rung_rate", args=[period.pk, elsewhere.pk])).status_code == 404


def test_the_ladders_queries_do_not_grow_with_roles_or_periods(client, manager, period):
    client.force_login(manager)
    url = reverse("evaluation:ladder", args=[period.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    for number in range(3):
        role = PeerRoleFactory(establishment=period.wing.establishment, is_cfo_role=True)
        earlier = AssessmentPeriodFactory(wing=period.wing, starts_on=date(2024, number + 1, 1),
                                          ends_on=date(2024, number + 1, 20))  # fmt: skip
        RoleRung.objects.create(period=earlier, role=role, rung=number, evidence="Then")
        RoleRung.objects.create(period=period, role=role, rung=number + 1, evidence="Now")
    assert count() == before
