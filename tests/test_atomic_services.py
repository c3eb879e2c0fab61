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
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

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
from residents import services as residents_services
from residents.models import Resident, Stage, SupportContact
from residents.resources import check_import
from tests.mentoring.factories import PeerRoleFactory, RoleHoldingFactory, SupervisionSessionFactory
from tests.residents.factories import ResidentFactory, SupportContactFactory

TODAY = timezone.localdate()
SERVICE_APPS = ["hamlet", "residents", "mentoring", "programme", "evaluation"]

# Services that write nothing: they only check.
NO_WRITES = {"residents.services.check_within_stay", "mentoring.services.check_holds_a_role"}


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
            wing=wing, establishment=wing.establishment, prison_number="B2000CD", pseudonym="Juniper",
            sentence_type="short", age_band="30-39", arrived_on=TODAY, limited_access=True,
        )  # fmt: skip
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
            resident=Resident.objects.get(pk=resident.pk), contact_on=TODAY, staff=staff,
            contact_type="room_visit", notes="Talked about the course",
        )  # fmt: skip
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
            mentor=Resident.objects.get(pk=holding.resident_id), occurred_at=timezone.now() - timedelta(hours=1),
            contact_type=ContactType.WELCOME, setting=Setting.HOUSEBLOCK, minutes=15, recorded_by=staff,
        )  # fmt: skip
        return mentoring_services.contact_log(contact=contact)

    return run


def _supervision(get):
    holding, staff = get("holding"), get("staff")

    def run():
        session = SupervisionSession(
            mentor=Resident.objects.get(pk=holding.resident_id), held_on=TODAY, supervisor=staff,
            enough_down_time=True, out_of_hours_demands=False, notes="Fine", next_due=TODAY + timedelta(days=7),
        )  # fmt: skip
        return mentoring_services.supervision_record(session=session)

    return run


def _supervision_update(get):
    session = get("supervision_session")

    def run():
        fresh = SupervisionSession.objects.get(pk=session.pk)
        fresh.notes = "Wants more down time"
        return mentoring_services.supervision_update(session=fresh, version=fresh.version)

    return run


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
            candidate=Candidate.objects.get(pk=candidate.pk), held_on=TODAY, ready=3, wants_responsibility=4,
            emotional_skills=3, practical_skills=2, life_skills=3,
        )  # fmt: skip
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


ATOMIC: dict[str, Case] = {
    "residents.services.resident_admit": _admit,
    "residents.services.residents_admit": _admit_many,
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
    "mentoring.services.supervision_record": _supervision,
    "mentoring.services.supervision_update": _supervision_update,
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
