"""All or nothing.

Every service writes through a transaction, so a failure half way leaves nothing behind.
Each test here runs a service again and again, making it fail at its 2nd write, then its
3rd, and so on until it gets through: after every failure the whole database (every table,
the audit trail included) must be exactly as it was before. The failure is injected where
the service talks to the database, with Django's ``connection.execute_wrapper``: the SQL
that would have been the n-th INSERT, UPDATE or DELETE raises instead. The database stays
real; nothing about the service is replaced, so what other apps add through
the resident contract (``on_departure``, ``anonymise``) and django-auditlog's entries are inside the test.

How the list was found, and how it stays complete:
- every public function of every app's ``services.py`` (found by import, below), plus the
  version check every edit page saves through (``hamlet.versions.save_if_unchanged``) and the
  importer (``residents.resources.check_import``, which writes a row per resident);
- a search of the apps for writes outside those (``.save(``, ``.create(``, ``.update(``,
  ``.delete(``, ``bulk_create``, ``get_or_create``, ``.set(``, ``.add(``, ``.clear(``): the
  rest are access-log entries written in one statement (``residents.audit``), role sync
  after ``migrate`` and the demo loaders, none of them a service. (Opening a round, a
  training record and a next step were saved in their views until issue 9 made them
  services; no view saves a model now, and ``tests/test_get_never_writes.py`` holds every
  GET to writing nothing.) That search found one
  multi-row write in a view — an interview's scores saved apart from its interviewers — now
  ``mentoring.services.interview_save``.

``test_every_service_is_listed`` fails when a new service function appears in no list, so
a new one is tested the day it is written. Every service turned out to write more than one
row: an audited save is the row plus its audit entry.
"""

import importlib
import inspect
from collections.abc import Callable
from datetime import date, time, timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import (
    AssessmentPeriod,
    Attribute,
    AttributeSurvey,
    ClimateIndicator,
    ClimateMonth,
    Finding,
    GridRating,
    RelationalMapping,
    RoleDeliveryNote,
    RoleRung,
    StaffMonth,
    StaffPost,
    Voice,
)
from hamlet import services as hamlet_services
from hamlet import versions
from hamlet.models import Wing
from mentoring import models as mentoring_models
from mentoring import services as mentoring_services
from mentoring.models import (
    Candidate,
    ContactType,
    Interview,
    MentorContact,
    RecruitmentRound,
    RoleHolding,
    Setting,
    SupervisionSession,
)
from programme import services as programme_services
from programme.models import (
    Action,
    Attendance,
    Cohort,
    Enrolment,
    Meeting,
    PhaseSettings,
    Project,
    ProjectHours,
    Referral,
    Session,
    Suggestion,
    WaitingListEntry,
)
from residents import services as residents_services
from residents.models import Resident, Stage, SupportContact
from residents.resources import check_import
from tests.evaluation.factories import VoiceFactory
from tests.mentoring.factories import PeerRoleFactory, RoleHoldingFactory, SupervisionSessionFactory
from tests.programme.factories import CohortFactory, EnrolmentFactory, WaitingListEntryFactory
from tests.residents.factories import ResidentFactory, SupportContactFactory

TODAY = timezone.localdate()
SERVICE_APPS = ["hamlet", "residents", "mentoring", "programme", "evaluation"]

# Services that write nothing: they only check.
NO_WRITES = {
    "residents.services.check_within_stay",
    "mentoring.services.check_holds_a_role",
    "evaluation.services.check_names_no_one",
}


class InjectedFailure(Exception):
    """The failure this test makes happen half way through a service."""


class FailAt:
    """A ``connection.execute_wrapper`` that lets ``n - 1`` writes through and fails the n-th."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, n: int):
        self.n, self.writes, self.fired = n, 0, False

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.WRITES):
            self.writes += 1
            if self.writes == self.n:
                self.fired = True
                raise InjectedFailure(f"write {self.n}: {sql[:60]}")
        return execute(sql, params, many, context)


def database() -> dict[str, list[tuple]]:
    """Every row of every table, so any partial write shows."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


# Each service that writes: a function of the test's fixtures returning a call of the
# service on records fetched afresh from the database (a failed call may have changed the
# objects it was given, but must not have changed the database).
Case = Callable[[Callable[[str], object]], Callable[[], object]]


def _admit(get):
    wing, staff = get("hamlet_wing"), get("staff")

    def run():
        resident = Resident(
            wing=wing,
            establishment=wing.establishment,
            prison_number="B2000CD",
            pseudonym="Juniper",
            sentence_type="short",
            age_band="30-39",
            arrived_on=TODAY,
            limited_access=True,
        )
        return residents_services.resident_admit(resident=resident, by=staff, permitted_staff=[staff])

    return run


def _admit_many(get):
    wing, staff = get("hamlet_wing"), get("staff")
    # A limited-access record holds the first one's number, so the establishment's trail notes it.
    ResidentFactory(wing=wing, prison_number="B3000CD", limited_access=True)

    def run():
        residents = [
            ResidentFactory.build(wing=wing, prison_number=number, houseblock=None, room="", arrived_on=TODAY)
            for number in ["B3000CD", "B3001CD"]
        ]
        return residents_services.residents_admit(residents=residents, by=staff)

    return run


def _referred_person() -> Resident:
    return Resident(prison_number="B4000CD", pseudonym="Tansy", sentence_type="life", age_band="40-49")


def _refer(get):
    wing, staff = get("hamlet_wing"), get("staff")

    def run():
        person = _referred_person()
        person.establishment = wing.establishment
        return residents_services.resident_refer(resident=person, by=staff)

    return run


def _move_onto_wing(get):
    referral, staff, wing = get("referral"), get("staff"), get("hamlet_wing")
    return lambda: residents_services.resident_move_onto_wing(
        resident=Resident.objects.get(pk=referral.resident_id),
        wing=wing,
        arrived_on=TODAY,
        houseblock=wing.houseblocks.first(),
        room="5",
        by=staff,
    )


def _referral_close(get):
    referral, staff = get("referral"), get("staff")
    return lambda: residents_services.resident_referral_close(
        resident=Resident.objects.get(pk=referral.resident_id), on=TODAY, by=staff
    )


def _update(get):
    resident, staff, manager = get("resident"), get("staff"), get("manager")

    def run():
        fresh = Resident.objects.get(pk=resident.pk)
        fresh.room, fresh.limited_access = "14", True
        return residents_services.resident_update(
            resident=fresh, version=fresh.version, by=staff, permitted_staff=[staff, manager]
        )

    return run


def _change_stage(get):
    resident, staff = get("resident"), get("staff")
    return lambda: residents_services.resident_change_stage(
        resident=Resident.objects.get(pk=resident.pk), stage=Stage.READY, changed_on=TODAY, note="Keen", by=staff
    )


def _journey_move(get):
    resident, staff = get("resident"), get("staff")
    return lambda: residents_services.journey_move(
        resident=Resident.objects.get(pk=resident.pk), stage=Stage.PHASE_1, on=TODAY, note="Cohort 4", by=staff
    )


def _journey_catch_up(get):
    resident, staff = get("resident"), get("staff")
    for stage in (Stage.PRE_ENGAGEMENT, Stage.READY):
        # Two residents whose change, recorded ahead of its day, has now come.
        person = Resident.objects.get(pk=resident.pk) if stage == Stage.READY else ResidentFactory(wing=resident.wing)
        residents_services.journey_move(
            resident=person, stage=stage, on=TODAY + timedelta(days=7), by=staff, future_allowed=True
        )
    return lambda: residents_services.journey_catch_up(today=TODAY + timedelta(days=7))


def _support(get):
    resident, staff = get("resident"), get("staff")

    def run():
        contact = SupportContact(
            resident=Resident.objects.get(pk=resident.pk),
            contact_on=TODAY,
            staff=staff,
            contact_type="room_visit",
            notes="Talked about the course",
        )
        return residents_services.support_log(contact=contact)

    return run


def _depart(get):
    resident, staff = get("resident"), get("staff")
    get("holding")
    return lambda: residents_services.resident_depart(
        resident=Resident.objects.get(pk=resident.pk), departed_on=TODAY, reason="released", by=staff
    )


def _non_association(get):
    resident, staff = get("resident"), get("staff")
    other = ResidentFactory(wing=get("hamlet_wing"), pseudonym="Rowan")
    return lambda: residents_services.non_association_add(
        resident=Resident.objects.get(pk=resident.pk), other=other, reason="Conflict on the landing", by=staff
    )


def _anonymise(get):
    gone, staff = get("long_gone_resident"), get("staff")
    SupportContactFactory(
        resident=gone, contact_on=gone.arrived_on, staff=staff, contact_type="anxiety", notes="Private detail"
    )
    SupervisionSessionFactory(mentor=gone, held_on=gone.arrived_on, notes="Private detail")
    return lambda: residents_services.resident_anonymise(
        resident=Resident.objects.get(pk=gone.pk), by=staff, today=TODAY
    )


def _redact(get):
    resident = get("resident")
    for room in ("2", "3"):  # two audit entries to redact
        fresh = Resident.objects.get(pk=resident.pk)
        fresh.room = room
        fresh.save()
    return lambda: residents_services.redact_audit_trail(
        Resident.objects.get(pk=resident.pk), {Resident: ([resident.pk], {"room"})}
    )


def _start_role(get):
    resident, role = get("resident"), get("peer_mentor_role")
    return lambda: mentoring_services.role_holding_start(
        resident=Resident.objects.get(pk=resident.pk), role=role, started_on=TODAY
    )


def _end_role(get):
    holding = get("holding")
    return lambda: mentoring_services.role_holding_end(
        holding=RoleHolding.objects.get(pk=holding.pk), ended_on=TODAY, reason="stepped_down"
    )


def _end_roles_on_departure(get):
    holding, staff = get("holding"), get("staff")
    second_role = PeerRoleFactory(establishment=get("drake_hall"), title="Listener", single_issue=True)
    RoleHoldingFactory(resident=holding.resident, role=second_role, started_on=holding.started_on)
    return lambda: mentoring_services.end_roles_on_departure(
        resident=holding.resident, departed_on=TODAY, reason="released", by=staff
    )


def _contact(get):
    holding, staff = get("holding"), get("staff")

    def run():
        contact = MentorContact(
            mentor=Resident.objects.get(pk=holding.resident_id),
            occurred_at=timezone.now() - timedelta(hours=1),
            contact_type=ContactType.WELCOME,
            setting=Setting.HOUSEBLOCK,
            minutes=15,
            recorded_by=staff,
        )
        return mentoring_services.contact_log(contact=contact)

    return run


def _contact_update(get):
    contact, staff = get("mentor_contact"), get("staff")

    def run():
        fresh = MentorContact.objects.get(pk=contact.pk)
        fresh.minutes = 45
        return mentoring_services.contact_update(contact=fresh, version=fresh.version, by=staff)

    return run


def _contact_remove(get):
    contact, manager = get("mentor_contact"), get("manager")
    return lambda: mentoring_services.contact_remove(contact=MentorContact.objects.get(pk=contact.pk), by=manager)


def _supervision(get):
    holding, staff = get("holding"), get("staff")

    def run():
        session = SupervisionSession(
            mentor=Resident.objects.get(pk=holding.resident_id),
            held_on=TODAY,
            supervisor=staff,
            enough_down_time=True,
            out_of_hours_demands=False,
            notes="Fine",
            next_due=TODAY + timedelta(days=7),
        )
        return mentoring_services.supervision_record(session=session)

    return run


def _supervision_update(get):
    session = get("supervision_session")

    def run():
        fresh = SupervisionSession.objects.get(pk=session.pk)
        fresh.notes = "Wants more down time"
        return mentoring_services.supervision_update(session=fresh, version=fresh.version)

    return run


def _hand_back_dealt_with(get):
    session, staff = get("supervision_session"), get("staff")
    SupervisionSession.objects.filter(pk=session.pk).update(hand_back="Wants fewer night calls")
    return lambda: mentoring_services.hand_back_dealt_with(
        session=SupervisionSession.objects.get(pk=session.pk), by=staff, on=TODAY
    )


def _candidate_add(get):
    recruitment_round = get("recruitment_round")
    other = ResidentFactory(wing=get("hamlet_wing"), pseudonym="Rowan")
    return lambda: mentoring_services.candidate_add(
        round=RecruitmentRound.objects.get(pk=recruitment_round.pk), resident=other, route="self"
    )


def _nomination(get):
    candidate = get("candidate")
    voice = ResidentFactory(wing=get("hamlet_wing"), pseudonym="Rowan")
    return lambda: mentoring_services.nomination_add(
        candidate=Candidate.objects.get(pk=candidate.pk), by=voice, kind="nomination", comment="She listens"
    )


def _decide(get):
    candidate, manager = get("candidate"), get("manager")
    return lambda: mentoring_services.candidate_decide(
        candidate=Candidate.objects.get(pk=candidate.pk), decision="appointed", reason="", by=manager
    )


def _round_close(get):
    recruitment_round = get("recruitment_round")
    return lambda: mentoring_services.round_close(
        round=RecruitmentRound.objects.get(pk=recruitment_round.pk), closed_on=TODAY
    )


def _interview(get):
    candidate, staff, manager = get("candidate"), get("staff"), get("manager")

    def run():
        interview = Interview(
            candidate=Candidate.objects.get(pk=candidate.pk),
            held_on=TODAY,
            ready=3,
            wants_responsibility=4,
            emotional_skills=3,
            practical_skills=2,
            life_skills=3,
        )
        return mentoring_services.interview_save(interview=interview, interviewers=[staff, manager])

    return run


def _wing_edit(save: Callable[..., object]) -> Case:
    """The wing's edit page saves through ``save(wing, version)``."""

    def case(get):
        wing = get("hamlet_wing")

        def run():
            fresh = Wing.objects.get(pk=wing.pk)
            fresh.capacity = 41
            return save(fresh, fresh.version)

        return run

    return case


def _training(get):
    resident = get("resident")
    qualification = mentoring_models.Qualification.objects.create(name="Listener training")
    return lambda: mentoring_services.training_record_add(
        record=mentoring_models.TrainingRecord(qualification=qualification, status="achieved", completed_on=TODAY),
        resident=Resident.objects.get(pk=resident.pk),
    )


def _next_step(get):
    resident, staff = get("holding").resident, get("staff")  # a next step needs a peer role
    return lambda: mentoring_services.next_step_add(
        step=mentoring_models.NextStep(description="Sit in on the forum"), resident=resident, by=staff
    )


def _settings(get):
    wing = get("hamlet_wing")  # none saved yet: the first save makes them
    return lambda: mentoring_services.mentoring_settings_save(
        settings=mentoring_models.MentoringSettings(wing=wing, quiet_days=10), version=None
    )


def _round_open(get):
    wing, role, manager = get("hamlet_wing"), get("peer_mentor_role"), get("manager")
    return lambda: mentoring_services.round_open(
        round=RecruitmentRound(role=role, places=2, opened_on=TODAY), wing=wing, by=manager
    )


def _import(get):
    wing, staff = get("hamlet_wing"), get("staff")
    arrived = f"{TODAY - timedelta(days=3):%d/%m/%Y}"
    csv = (
        "prison_number,pseudonym,houseblock,room,sentence_type,age_band,arrived_on,cats_id\n"
        f"B1111AA,Saffron,Houseblock 1,3,Short,30 to 39,{arrived},\n"
        f"B2222BB,Marigold,Houseblock 2,,life,40-49,{arrived},\n"
    )

    def run():
        check = check_import(wing=wing, name="residents.csv", content=csv.encode(), commit=True, by=staff)
        if check.problems:  # the importer reports a failed row rather than raising
            raise InjectedFailure(check.problems)
        return check

    return run


# The programme. Each case fetches its records afresh, so a failed call cannot pass on
# objects it changed.


def _phase_settings(get):
    wing = get("hamlet_wing")

    def run():
        setting = PhaseSettings.of(wing, "phase_2")
        setting.weekly_hours = 25
        return programme_services.phase_settings_save(setting=setting, version=None)

    return run


def _referral_add(get):
    wing, staff = get("hamlet_wing"), get("staff")
    return lambda: programme_services.referral_add(
        referral=Referral(wing=wing, referred_by="self", why="Asked at education", referred_on=TODAY),
        resident=_referred_person(),
        by=staff,
    )


def _referral_move(get):
    referral, staff = get("referral"), get("staff")
    Referral.objects.filter(pk=referral.pk).update(status="accepted")

    def run():
        fresh = Referral.objects.select_related("resident", "wing").get(pk=referral.pk)
        return programme_services.referral_move(
            referral=fresh,
            to="moved",
            on=TODAY,
            reason="",
            houseblock=fresh.wing.houseblocks.first(),
            room="6",
            by=staff,
            version=fresh.version,
        )

    return run


def _waiting_add(get):
    resident, staff = get("resident"), get("staff")
    return lambda: programme_services.waiting_add(
        entry=WaitingListEntry(
            resident=Resident.objects.get(pk=resident.pk), phase="phase_2", referred_by="self", referred_on=TODAY
        ),
        by=staff,
    )


def _waiting_move(get):
    entry, staff = get("waiting_entry"), get("staff")

    def run():
        fresh = WaitingListEntry.objects.select_related("resident").get(pk=entry.pk)
        return programme_services.waiting_move(
            entry=fresh, to="declined", on=TODAY, reason="Not yet", by=staff, version=fresh.version
        )

    return run


def _cohort_create(get):
    wing, staff, mentor = get("hamlet_wing"), get("staff"), get("mentor")
    return lambda: programme_services.cohort_create(
        cohort=Cohort(wing=wing, phase="phase_1", name="Cohort 7", starts_on=TODAY, location=""),
        facilitators=[staff],
        peer_mentors=[mentor],
    )


def _cohort_enrol(get):
    cohort, entry, staff = get("cohort"), get("waiting_entry"), get("staff")
    second = WaitingListEntryFactory(resident=ResidentFactory(wing=cohort.wing, pseudonym="Hazel"))
    return lambda: programme_services.cohort_enrol(
        cohort=Cohort.objects.get(pk=cohort.pk),
        on=TODAY,
        accept_size=False,
        by=staff,
        entries=list(WaitingListEntry.objects.filter(pk__in=[entry.pk, second.pk]).select_related("resident")),
    )


def _cohort_start(get):
    cohort, staff = get("cohort"), get("staff")
    Cohort.objects.filter(pk=cohort.pk).update(status="planned")
    EnrolmentFactory(cohort=cohort, resident=ResidentFactory(wing=cohort.wing, pseudonym="Hazel"))
    get("enrolment")
    return lambda: programme_services.cohort_start(cohort=Cohort.objects.get(pk=cohort.pk), by=staff)


def _cohort_finish(get):
    cohort = get("cohort")
    EnrolmentFactory(cohort=cohort, status="completed", ended_on=TODAY)
    return lambda: programme_services.cohort_finish(cohort=Cohort.objects.get(pk=cohort.pk))


def _fresh_enrolment(get):
    enrolment = get("enrolment")
    return lambda: Enrolment.objects.select_related("cohort", "resident").get(pk=enrolment.pk)


def _enrolment_complete(get):
    fresh, staff = _fresh_enrolment(get), get("staff")
    return lambda: programme_services.enrolment_complete(
        enrolment=fresh(), ended_on=TODAY, graduated_on=TODAY, attended_ceremony=True, by=staff
    )


def _enrolment_withdraw(get):
    fresh, staff = _fresh_enrolment(get), get("staff")
    return lambda: programme_services.enrolment_withdraw(
        enrolment=fresh(), ended_on=TODAY, reason="health", justification="In hospital", by=staff
    )


def _enrolment_move(get):
    fresh, staff, cohort = _fresh_enrolment(get), get("staff"), get("cohort")
    other = CohortFactory(wing=cohort.wing, name="Cohort 2", status="running")
    return lambda: programme_services.enrolment_move(enrolment=fresh(), to=other, on=TODAY, by=staff)


def _end_on_departure(get):
    enrolment, staff = get("enrolment"), get("staff")
    WaitingListEntryFactory(resident=enrolment.resident, phase="phase_2", status="pending")
    return lambda: programme_services.end_on_departure(
        resident=Resident.objects.get(pk=enrolment.resident_id), departed_on=TODAY, reason="released", by=staff
    )


def _sessions_generate(get):
    cohort = get("cohort")
    return lambda: programme_services.sessions_generate(
        cohort=Cohort.objects.get(pk=cohort.pk),
        weekdays=[1, 3],
        starts_at=time(9, 30),
        ends_at=time(12),
        topic="employability",
        delivered_by="cfo_staff",
    )


def _session_add(get):
    cohort, enrolment = get("cohort"), get("enrolment")

    def run():
        session = Session(
            cohort=Cohort.objects.get(pk=cohort.pk),
            on=TODAY,
            starts_at=time(14),
            ends_at=time(15),
            topic="other",
            delivered_by="cfo_staff",
        )
        return programme_services.session_add(session=session, catch_up_for=[enrolment.resident])

    return run


def _session_cancel(get):
    session = get("programme_session")
    return lambda: programme_services.session_cancel(
        session=Session.objects.get(pk=session.pk), reason="operational", note="Lock-down", version=session.version
    )


def _session_reinstate(get):
    session = get("programme_session")
    Session.objects.filter(pk=session.pk).update(cancel_reason="operational")
    return lambda: programme_services.session_reinstate(session=Session.objects.get(pk=session.pk), version=1)


def _register(get):
    session, enrolment, staff, mentor = get("programme_session"), get("enrolment"), get("staff"), get("mentor")
    other = EnrolmentFactory(cohort=session.cohort, resident=ResidentFactory(wing=session.cohort.wing)).resident
    Attendance.objects.create(session=session, resident=other, mark="attended", recorded_at=timezone.now())

    def run():
        rows = [
            programme_services.MarkEntry(resident=enrolment.resident, mark="attended"),
            programme_services.MarkEntry(resident=other, mark="sick"),
        ]
        return programme_services.register_save(
            session=Session.objects.get(pk=session.pk), rows=rows, co_delivered_by=[mentor], version=1, by=staff
        )

    return run


def _meeting_record(get):
    wing, staff, resident = get("hamlet_wing"), get("staff"), get("mentor")
    return lambda: programme_services.meeting_record(
        meeting=Meeting(wing=wing, kind="hig", held_on=TODAY, minutes="Seeds"),
        staff_present=[staff],
        attendees=[resident],
        peer_mentors=[resident],
        by=staff,
    )


def _meeting_update(get):
    meeting, staff, resident = get("meeting"), get("staff"), get("resident")

    def run():
        fresh = Meeting.objects.get(pk=meeting.pk)
        fresh.minutes = "Seeds, and a rota"
        return programme_services.meeting_update(
            meeting=fresh, version=fresh.version, staff_present=[staff], attendees=[resident], peer_mentors=[]
        )

    return run


def _action_add(get):
    meeting, staff = get("meeting"), get("staff")
    return lambda: programme_services.action_add(
        action=Action(meeting=Meeting.objects.get(pk=meeting.pk), description="Paint", owner_staff=staff)
    )


def _action_review(get):
    action, meeting = get("meeting_action"), get("meeting")
    later = Meeting.objects.create(wing=meeting.wing, kind=meeting.kind, held_on=TODAY)

    def run():
        fresh = Action.objects.select_related("meeting").get(pk=action.pk)
        return programme_services.action_review(
            action=fresh, status="done", done_on=TODAY, at=later, version=fresh.version
        )

    return run


def _suggestion_add(get):
    wing = get("hamlet_wing")
    return lambda: programme_services.suggestion_add(
        suggestion=Suggestion(wing=wing, source="box", received_on=TODAY, text="Plants")
    )


def _suggestion_answer(get):
    suggestion, meeting = get("suggestion"), get("meeting")

    def run():
        fresh = Suggestion.objects.get(pk=suggestion.pk)
        fresh.meeting, fresh.answer, fresh.we_did = meeting, "adopted", "Plants on every landing"
        return programme_services.suggestion_answer(suggestion=fresh, version=fresh.version)

    return run


def _project_add(get):
    wing = get("hamlet_wing")
    return lambda: programme_services.project_add(
        project=Project(wing=wing, title="Bird boxes", proposed_by="resident", for_whom="wing")
    )


def _project_update(get):
    project = get("project")

    def run():
        fresh = Project.objects.get(pk=project.pk)
        fresh.status = "done"
        return programme_services.project_update(project=fresh, version=fresh.version)

    return run


def _hours_log(get):
    project, resident, staff = get("project"), get("resident"), get("staff")
    return lambda: programme_services.hours_log(
        entry=ProjectHours(project=Project.objects.get(pk=project.pk), resident=resident, on=TODAY, hours=3), by=staff
    )


def _hours_remove(get):
    entry = get("project_hours")
    return lambda: programme_services.hours_remove(entry=ProjectHours.objects.get(pk=entry.pk))


# The evaluation.


def _period_fresh(get):
    period = get("period")
    return lambda: AssessmentPeriod.objects.get(pk=period.pk)


def _period_add(get):
    wing = get("hamlet_wing")
    return lambda: evaluation_services.period_add(
        period=AssessmentPeriod(wing=wing, label="Baseline", starts_on=date(2025, 1, 6), ends_on=date(2025, 3, 2))
    )


def _period_update(get):
    fresh = _period_fresh(get)

    def run():
        period = fresh()
        period.label = "Follow-up one"
        return evaluation_services.period_update(period=period, version=period.version)

    return run


def _period_close(get):
    fresh, manager = _period_fresh(get), get("manager")

    def run():
        period = fresh()
        return evaluation_services.period_close(period=period, version=period.version, by=manager)

    return run


def _period_reopen(get):
    fresh, manager = _period_fresh(get), get("manager")
    AssessmentPeriod.objects.filter(pk=fresh().pk).update(closed_on=TODAY)

    def run():
        period = fresh()
        return evaluation_services.period_reopen(
            period=period, version=period.version, reason="Late evidence", by=manager
        )

    return run


def _grid_rate(get):
    period, manager = get("period"), get("manager")
    return lambda: evaluation_services.grid_rate(
        rating=GridRating(period=period, stage=2, rating="green", evidence="Reflection in every cohort"),
        version=None,
        by=manager,
    )


def _rung_rate(get):
    period, manager, role = get("period"), get("manager"), get("peer_mentor_role")
    return lambda: evaluation_services.rung_rate(
        rung=RoleRung(period=period, role=role, rung=2, evidence="Feedback forms"), version=None, by=manager
    )


def _mapping_save(get):
    period, staff, cohort = get("period"), get("staff"), get("cohort")
    return lambda: evaluation_services.mapping_save(
        mapping=RelationalMapping(period=period, cohort=cohort, held_on=TODAY),
        scores={("peer_mentors", "trusted"): 8, ("wing_community", "trusted"): 6},
        version=None,
        by=staff,
    )


def _climate_save(get):
    wing, staff = get("hamlet_wing"), get("staff")
    return lambda: evaluation_services.climate_save(
        record=ClimateMonth(wing=wing, month=date(2025, 11, 1)),
        counts={indicator.pk: 2 for indicator in ClimateIndicator.objects.all()[:2]},
        version=None,
        by=staff,
    )


def _voice_save(get):
    period = get("period")
    return lambda: evaluation_services.voice_save(
        voice=Voice(period=period, kind="barrier", priority=1, summary="Too few jobs"), version=None
    )


def _voice_remove(get):
    voice = get("voice")
    VoiceFactory(period=voice.period, kind="barrier")  # a second, so the removal is not the only row
    return lambda: evaluation_services.voice_remove(voice=Voice.objects.get(pk=voice.pk))


def _finding_save(get):
    period = get("period")
    return lambda: evaluation_services.finding_save(
        finding=Finding(period=period, kind="lesson", summary="Recruit early"), version=None
    )


def _finding_progress(get):
    finding, manager = get("finding"), get("manager")

    def run():
        fresh = Finding.objects.select_related("period").get(pk=finding.pk)
        return evaluation_services.finding_progress(
            finding=fresh, note="Raised at the HiG", status="in_progress", on=TODAY, version=fresh.version, by=manager
        )

    return run


def _attributes_save(get):
    period = get("period")
    return lambda: evaluation_services.attributes_save(
        survey=AttributeSurvey(period=period, interviews=10),
        counts={attribute.pk: 4 for attribute in Attribute.objects.all()[:2]},
        version=None,
    )


def _staff_post_save(get):
    post = get("staff_post")

    def run():
        fresh = StaffPost.objects.get(pk=post.pk)
        fresh.funded = 3
        return evaluation_services.staff_post_save(post=fresh, version=fresh.version)

    return run


def _staff_month_save(get):
    post = get("staff_post")
    return lambda: evaluation_services.staff_month_save(
        record=StaffMonth(wing=post.wing, month=date(2025, 11, 1)), counts={post.pk: 1}, version=None
    )


def _delivery_note_save(get):
    role = get("peer_mentor_role")
    return lambda: evaluation_services.delivery_note_save(
        note=RoleDeliveryNote(role=role, training="Level 2 mentoring"), version=None
    )


ATOMIC: dict[str, Case] = {
    "residents.services.resident_admit": _admit,
    "residents.services.residents_admit": _admit_many,
    "residents.services.resident_refer": _refer,
    "residents.services.resident_move_onto_wing": _move_onto_wing,
    "residents.services.resident_referral_close": _referral_close,
    "residents.services.resident_update": _update,
    "residents.services.resident_change_stage": _change_stage,
    "residents.services.journey_move": _journey_move,
    "residents.services.journey_catch_up": _journey_catch_up,
    "residents.services.support_log": _support,
    "residents.services.resident_depart": _depart,
    "residents.services.non_association_add": _non_association,
    "residents.services.resident_anonymise": _anonymise,
    "residents.services.redact_audit_trail": _redact,
    "mentoring.services.role_holding_start": _start_role,
    "mentoring.services.role_holding_end": _end_role,
    "mentoring.services.end_roles_on_departure": _end_roles_on_departure,
    "mentoring.services.contact_log": _contact,
    "mentoring.services.contact_update": _contact_update,
    "mentoring.services.contact_remove": _contact_remove,
    "mentoring.services.supervision_record": _supervision,
    "mentoring.services.supervision_update": _supervision_update,
    "mentoring.services.hand_back_dealt_with": _hand_back_dealt_with,
    "mentoring.services.candidate_add": _candidate_add,
    "mentoring.services.nomination_add": _nomination,
    "mentoring.services.candidate_decide": _decide,
    "mentoring.services.round_close": _round_close,
    "mentoring.services.interview_save": _interview,
    "mentoring.services.training_record_add": _training,
    "mentoring.services.next_step_add": _next_step,
    "mentoring.services.mentoring_settings_save": _settings,
    "mentoring.services.round_open": _round_open,
    "hamlet.services.wing_update": _wing_edit(lambda wing, v: hamlet_services.wing_update(wing=wing, version=v)),
    "hamlet.versions.save_if_unchanged": _wing_edit(lambda wing, v: versions.save_if_unchanged(wing, version=v)),
    "residents.resources.check_import": _import,
    "programme.services.phase_settings_save": _phase_settings,
    "programme.services.referral_add": _referral_add,
    "programme.services.referral_move": _referral_move,
    "programme.services.waiting_add": _waiting_add,
    "programme.services.waiting_move": _waiting_move,
    "programme.services.cohort_create": _cohort_create,
    "programme.services.cohort_enrol": _cohort_enrol,
    "programme.services.cohort_start": _cohort_start,
    "programme.services.cohort_finish": _cohort_finish,
    "programme.services.enrolment_complete": _enrolment_complete,
    "programme.services.enrolment_withdraw": _enrolment_withdraw,
    "programme.services.enrolment_move": _enrolment_move,
    "programme.services.end_on_departure": _end_on_departure,
    "programme.services.sessions_generate": _sessions_generate,
    "programme.services.session_add": _session_add,
    "programme.services.session_cancel": _session_cancel,
    "programme.services.session_reinstate": _session_reinstate,
    "programme.services.register_save": _register,
    "programme.services.meeting_record": _meeting_record,
    "programme.services.meeting_update": _meeting_update,
    "programme.services.action_add": _action_add,
    "programme.services.action_review": _action_review,
    "programme.services.suggestion_add": _suggestion_add,
    "programme.services.suggestion_answer": _suggestion_answer,
    "programme.services.project_add": _project_add,
    "programme.services.project_update": _project_update,
    "programme.services.hours_log": _hours_log,
    "programme.services.hours_remove": _hours_remove,
    "evaluation.services.period_add": _period_add,
    "evaluation.services.period_update": _period_update,
    "evaluation.services.period_close": _period_close,
    "evaluation.services.period_reopen": _period_reopen,
    "evaluation.services.grid_rate": _grid_rate,
    "evaluation.services.rung_rate": _rung_rate,
    "evaluation.services.mapping_save": _mapping_save,
    "evaluation.services.climate_save": _climate_save,
    "evaluation.services.voice_save": _voice_save,
    "evaluation.services.voice_remove": _voice_remove,
    "evaluation.services.finding_save": _finding_save,
    "evaluation.services.finding_progress": _finding_progress,
    "evaluation.services.attributes_save": _attributes_save,
    "evaluation.services.staff_post_save": _staff_post_save,
    "evaluation.services.staff_month_save": _staff_month_save,
    "evaluation.services.delivery_note_save": _delivery_note_save,
}


def _service_functions() -> set[str]:
    found = set()
    for app in SERVICE_APPS:
        try:
            module = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError:
            continue
        found |= {
            f"{module.__name__}.{name}"
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if not name.startswith("_") and function.__module__ == module.__name__
        }
    return found


def test_every_service_is_listed():
    listed = set(ATOMIC) | NO_WRITES
    assert _service_functions() <= listed, "add the new service to ATOMIC (with a case) or NO_WRITES"
    for name in listed:  # and nothing listed has gone
        module, function = name.rsplit(".", 1)
        assert inspect.isfunction(getattr(importlib.import_module(module), function, None)), name


@pytest.mark.parametrize("name", ATOMIC.keys())
def test_a_failure_half_way_through_a_service_leaves_nothing_behind(name, request, db):
    run = ATOMIC[name](request.getfixturevalue)
    before = database()
    n = 2
    while True:
        failure = FailAt(n)
        with connection.execute_wrapper(failure):
            try:
                run()
            except InjectedFailure:
                pass
        if not failure.fired:
            break
        assert database() == before, f"{name} left rows behind when its write {n} failed"
        n += 1
    writes = failure.writes
    assert writes >= 2, f"{name} wrote {writes} row(s); it belongs in a single-write list"
    assert database() != before, f"{name} did not write once it was let through"
