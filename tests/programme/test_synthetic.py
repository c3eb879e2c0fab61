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
