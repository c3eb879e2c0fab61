"""The programme's synthetic data keeps the programme's rules."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from programme.models import Attendance, Enrolment, MeetingAttendee


@pytest.fixture
def small(db, monkeypatch):
    monkeypatch.setenv("HAMLET_SYNTHETIC", "1")
    call_command("generate_data", scale="small", seed=3, verbosity=0)


def test_enrolments_marks_and_meetings_keep_the_programmes_rules(small):
    today = timezone.localdate()
    assert Enrolment.objects.count() > 300
    assert Attendance.objects.count() > 5_000
    # One open enrolment per phase, and Phase 2 only after Phase 1 was completed.
    assert not Enrolment.objects.open().values("resident", "phase").annotate(n=Count("pk")).filter(n__gt=1).exists()
    for enrolment in Enrolment.objects.filter(phase="phase_2").select_related("cohort"):
        assert Enrolment.objects.filter(
            resident=enrolment.resident_id, phase="phase_1", status="completed", ended_on__lt=enrolment.cohort.starts_on
        ).exists()
    # Within the stay, and nothing marked in the future.
    assert not Enrolment.objects.filter(enrolled_on__lt=F("resident__arrived_on")).exists()
    assert not Enrolment.objects.filter(Q(resident__departed_on__lt=F("ended_on"))).exists()
    assert not Attendance.objects.filter(session__on__gt=today).exists()
    assert not MeetingAttendee.objects.filter(meeting__held_on__lt=F("resident__arrived_on")).exists()


def test_referrals_keep_their_rules(small):
    from programme.models import Referral

    today = timezone.localdate()
    assert Referral.objects.open().count() >= 2
    # Open: a person of the establishment on no wing; moved: on the wing since the move.
    assert not Referral.objects.open().filter(Q(resident__wing__isnull=False) | Q(resident__departed_on__isnull=False))
    assert Referral.objects.filter(status="moved").exists()
    assert not Referral.objects.filter(status="moved").exclude(resident__arrived_on=F("status_on")).exists()
    assert not Referral.objects.filter(status="moved").exclude(resident__wing=F("wing")).exists()
    # Declined or withdrawn: the record closed that day, as anyone's who left.
    closed = Referral.objects.filter(status__in=["declined", "withdrawn"])
    assert closed.exists()
    assert not closed.exclude(resident__departed_on=F("status_on"), resident__departure_reason="referral_closed")
    assert not Referral.objects.filter(Q(status_on__lt=F("referred_on")) | Q(status_on__gt=today)).exists()
    assert not Referral.objects.filter(status="declined", reason="").exists()
