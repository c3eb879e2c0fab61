"""The synthetic data behind the benchmark: made through the apps' models, keeping their
rules, and the same every time for the same seed."""

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamlet.models import Establishment
from hamlet.roles import Role
from hamlet.synthetic import SYNTHETIC_PASSWORD
from mentoring.models import (
    Candidate,
    HoldingEnd,
    Interview,
    MentorContact,
    RoleHolding,
    SupervisionSession,
    TrainingRecord,
)
from residents.models import PRISON_NUMBER_RE, Resident, StageChange, SupportContact


@pytest.fixture
def allowed(monkeypatch):
    monkeypatch.setenv("HAMLET_SYNTHETIC", "1")


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    # Generated once for the tests that only read it, and rolled back after the last.
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("HAMLET_SYNTHETIC", "1")
        with transaction.atomic():
            call_command("generate_data", scale="small", seed=7, verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.fixture
def small(_generated, db):
    pass


def _stays():
    return {
        pk: (arrived, departed)
        for pk, arrived, departed in Resident.objects.values_list("pk", "arrived_on", "departed_on")
    }


def _within(stays, pk, on):
    arrived, departed = stays[pk]
    return arrived <= on <= (departed or timezone.localdate())


def test_every_resident_is_clearly_fake_and_valid(small):
    residents = list(Resident.objects.all())
    assert len(residents) > 500
    for resident in residents[::25]:
        resident.full_clean()
    assert all(re.match(PRISON_NUMBER_RE, r.prison_number) and r.prison_number.startswith("S") for r in residents)
    assert set(Establishment.objects.values_list("name", flat=True)) == {
        "HMP Synthetic 001",
        "HMP Synthetic 002",
        "HMP Synthetic 003",
    }


def test_every_residents_stage_is_their_latest_stage_change_and_the_first_is_on_arrival(small):
    changes = {}
    for change in StageChange.objects.order_by("changed_on", "pk"):
        changes.setdefault(change.resident_id, []).append(change)
    stays = _stays()
    # People referred onto a wing who never moved onto it have no journey: it starts on arrival.
    assert not any(pk in changes for pk in Resident.objects.filter(wing__isnull=True).values_list("pk", flat=True))
    for resident in Resident.objects.filter(wing__isnull=False):
        journey = changes[resident.pk]
        assert journey[0].changed_on == resident.arrived_on
        assert journey[-1].stage == resident.stage
        assert all(_within(stays, resident.pk, change.changed_on) for change in journey)


def test_every_contact_is_within_its_mentors_stay_and_a_peer_mentor_holding(small):
    stays = _stays()
    holdings = {}
    for holding in RoleHolding.objects.filter(role__is_cfo_role=True):
        holdings.setdefault(holding.resident_id, []).append(holding)
    now = timezone.now()
    contacts = list(MentorContact.objects.all())
    assert len(contacts) > 5000
    for contact in contacts:
        on = timezone.localdate(contact.occurred_at)
        assert contact.occurred_at < now
        assert _within(stays, contact.mentor_id, on)
        assert any(h.started_on <= on <= (h.ended_on or on) for h in holdings[contact.mentor_id])
        assert contact.mentee_id != contact.mentor_id
        if contact.mentee_id:
            assert _within(stays, contact.mentee_id, on)
    for contact in contacts[::100]:
        contact.full_clean()


def test_supervision_training_and_support_fall_within_the_stay(small):
    stays = _stays()
    for session in SupervisionSession.objects.all():
        assert _within(stays, session.mentor_id, session.held_on)
        assert session.next_due > session.held_on
    for record in TrainingRecord.objects.all():
        assert _within(stays, record.resident_id, record.started_on)
    for contact in SupportContact.objects.all():
        assert _within(stays, contact.resident_id, contact.contact_on)


def test_holdings_are_within_the_stay_and_end_when_the_resident_leaves(small):
    stays = _stays()
    for holding in RoleHolding.objects.select_related("resident"):
        assert _within(stays, holding.resident_id, holding.started_on)
        if holding.resident.departed_on:
            assert (holding.ended_on, holding.end_reason) == (holding.resident.departed_on, HoldingEnd.LEFT_WING)
    assert not RoleHolding.objects.current().filter(resident__departed_on__isnull=False).exists()


def test_candidates_were_living_on_the_wing_and_interviews_follow_the_opening(small):
    for candidate in Candidate.objects.select_related("round", "resident"):
        assert candidate.resident.wing_id == candidate.round.wing_id
        assert candidate.resident.arrived_on <= candidate.round.opened_on
    for interview in Interview.objects.select_related("candidate__round"):
        assert interview.candidate.round.opened_on <= interview.held_on <= timezone.localdate()
    assert Candidate.objects.filter(round__closed_on__isnull=True).exists()


def test_managers_and_evaluators_have_the_password_and_an_authenticator(small):
    manager = get_user_model().objects.get(username="manager.001")
    evaluator = get_user_model().objects.get(username="evaluator.01")
    assert manager.groups.get().name == Role.CUSTODY_MANAGER.value
    assert evaluator.staff_profile.establishments.count() == 2  # the first region's two establishments
    assert manager.check_password(SYNTHETIC_PASSWORD)
    assert TOTPDevice.objects.filter(user__in=[manager, evaluator], confirmed=True).count() == 2


def test_the_audit_trail_and_access_entries_are_there(small):
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() > 5000
    assert LogEntry.objects.filter(action=LogEntry.Action.CREATE).count() > Resident.objects.count()


def test_contacts_reach_into_the_last_week(small):
    # The workload page has something to count: mentors logged contacts in the last seven days.
    week = timezone.now() - timedelta(days=7)
    assert MentorContact.objects.filter(occurred_at__gte=week).exists()
