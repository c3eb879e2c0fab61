"""The programme's rules, through its services: the waiting list's moves, enrolment, the
journey, sessions from a weekly plan with bank holidays, and the register's corrections."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programme import calendar, services
from programme.models import (
    Attendance,
    AttendanceChange,
    Cohort,
    Enrolment,
    Mark,
    Phase,
    WaitingListEntry,
    WaitingStatus,
    WithdrawalReason,
)
from residents.models import NonAssociation, Stage
from residents.services import resident_depart
from tests.programme.factories import CohortFactory, EnrolmentFactory, SessionFactory, WaitingListEntryFactory
from tests.residents.factories import ResidentFactory

TODAY = timezone.localdate()


def _approved(wing, count: int, phase=Phase.PHASE_1) -> list[WaitingListEntry]:
    return [WaitingListEntryFactory(resident=ResidentFactory(wing=wing), phase=phase) for _ in range(count)]


def _enrol(cohort, entries, staff, accept_size=False):
    on = min(cohort.starts_on, TODAY)
    return services.cohort_enrol(cohort=cohort, entries=entries, on=on, accept_size=accept_size, by=staff)


# The waiting list.


def test_a_move_the_status_does_not_allow_is_refused(waiting_entry, staff):
    waiting_entry.status = WaitingStatus.DECLINED
    waiting_entry.save()
    with pytest.raises(ValidationError) as refused:
        services.waiting_move(entry=waiting_entry, to=WaitingStatus.APPROVED, on=TODAY, reason="", by=staff,
                              version=waiting_entry.version)  # fmt: skip
    assert "cannot be moved" in str(refused.value)


def test_declining_and_reinstating_need_a_reason_and_are_recorded(waiting_entry, staff):
    with pytest.raises(ValidationError) as refused:
        services.waiting_move(entry=waiting_entry, to=WaitingStatus.DECLINED, on=TODAY, reason="  ", by=staff,
                              version=waiting_entry.version)  # fmt: skip
    assert refused.value.message_dict == {"reason": ["Give a reason for moving to declined"]}
    services.waiting_move(entry=waiting_entry, to=WaitingStatus.DECLINED, on=TODAY, reason="Not ready", by=staff,
                          version=waiting_entry.version)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.waiting_move(entry=waiting_entry, to=WaitingStatus.PENDING, on=TODAY, reason="", by=staff,
                              version=waiting_entry.version)  # fmt: skip
    assert refused.value.message_dict == {"reason": ["Give a reason for reinstating"]}
    services.waiting_move(entry=waiting_entry, to=WaitingStatus.PENDING, on=TODAY, reason="Asked again", by=staff,
                          version=waiting_entry.version)  # fmt: skip
    history = list(waiting_entry.history.values_list("from_status", "to_status", "reason", "by"))
    assert history == [
        ("approved", "declined", "Not ready", staff.pk),
        ("declined", "pending", "Asked again", staff.pk),
    ]


def test_a_resident_waits_once_for_each_phase(waiting_entry, staff):
    again = WaitingListEntry(resident=waiting_entry.resident, phase=Phase.PHASE_1, referred_by="self",
                             referred_on=TODAY)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.waiting_add(entry=again, by=staff)
    assert "already waiting for Phase 1" in str(refused.value)


# Enrolment.


def test_enrolling_several_at_once_allocates_their_entries(cohort, staff):
    entries = _approved(cohort.wing, 3)
    enrolled = _enrol(cohort, entries, staff)
    assert len(enrolled) == 3
    assert set(WaitingListEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list("status", flat=True)) == {
        "allocated"
    }


def test_past_the_largest_cohort_the_user_must_accept_the_size(cohort, staff):
    entries = _approved(cohort.wing, 11)
    with pytest.raises(ValidationError) as refused:
        _enrol(cohort, entries, staff)
    assert refused.value.message_dict["accept_size"][0].startswith(
        "The cohort would have 11 residents, more than its 10"
    )
    assert not cohort.enrolments.exists()
    assert len(_enrol(cohort, entries, staff, accept_size=True)) == 11


def test_a_non_association_in_the_cohort_is_refused_naming_only_whom_the_user_may_open(cohort, staff, other_staff):
    there = EnrolmentFactory(cohort=cohort, resident=ResidentFactory(wing=cohort.wing, pseudonym="Wren")).resident
    [entry] = _approved(cohort.wing, 1)
    first, second = sorted([there, entry.resident], key=lambda r: r.pk)
    NonAssociation.objects.create(first=first, second=second, reason="Safety")
    with pytest.raises(ValidationError) as refused:
        _enrol(cohort, [entry], staff)
    assert "must be kept apart from Wren" in str(refused.value)
    there.limited_access = True
    there.save()
    with pytest.raises(ValidationError) as refused:
        _enrol(cohort, [entry], staff)
    assert "Wren" not in str(refused.value)
    assert "someone already in this cohort or joining it" in str(refused.value)
    assert cohort.enrolments.count() == 1


def test_phase_2_waits_for_phase_1_to_be_completed(hamlet_wing, staff):
    phase_2 = CohortFactory(wing=hamlet_wing, phase=Phase.PHASE_2, status="running")
    [entry] = _approved(hamlet_wing, 1, phase=Phase.PHASE_2)
    with pytest.raises(ValidationError) as refused:
        _enrol(phase_2, [entry], staff)
    assert "has not completed Phase 1" in str(refused.value)
    EnrolmentFactory(resident=entry.resident, cohort=CohortFactory(wing=hamlet_wing), status="completed",
                     ended_on=TODAY - timedelta(days=2))  # fmt: skip
    assert len(_enrol(phase_2, [entry], staff)) == 1


def test_one_open_enrolment_per_phase_and_phase_1_can_start_again_after_leaving(cohort, staff):
    [entry] = _approved(cohort.wing, 1)
    [enrolment] = _enrol(cohort, [entry], staff)
    later = CohortFactory(wing=cohort.wing, name="Later", starts_on=TODAY)
    again = WaitingListEntryFactory(resident=entry.resident)
    with pytest.raises(ValidationError) as refused:
        _enrol(later, [again], staff)
    assert "already enrolled in a Phase 1 cohort" in str(refused.value)
    services.enrolment_withdraw(enrolment=enrolment, ended_on=TODAY, reason=WithdrawalReason.HEALTH,
                                justification="In hospital for a fortnight", by=staff)  # fmt: skip
    assert len(_enrol(later, [again], staff)) == 1


def test_the_database_holds_one_open_enrolment_per_phase(enrolment):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(cohort=CohortFactory(wing=enrolment.cohort.wing), resident=enrolment.resident,
                                 phase=Phase.PHASE_1, enrolled_on=TODAY)  # fmt: skip


# The journey.


def test_starting_a_cohort_moves_its_residents_to_the_phase_on_its_start(hamlet_wing, staff):
    cohort = CohortFactory(wing=hamlet_wing, starts_on=TODAY + timedelta(days=14))
    [entry] = _approved(hamlet_wing, 1)
    _enrol(cohort, [entry], staff)
    resident = entry.resident
    assert resident.stage_changes.count() == 0  # enrolling moves no one
    services.cohort_start(cohort=cohort, by=staff)
    resident.refresh_from_db()
    change = resident.stage_changes.get()
    assert (change.stage, change.changed_on, change.recorded_by) == (Stage.PHASE_1, cohort.starts_on, staff)
    assert resident.stage == Stage.NOT_ENGAGED  # it takes effect on the cohort's day


def test_withdrawing_and_completing_move_the_journey(hamlet_wing, staff):
    phase_1 = CohortFactory(wing=hamlet_wing, status="running", starts_on=TODAY - timedelta(days=60))
    resident = ResidentFactory(wing=hamlet_wing, arrived_on=TODAY - timedelta(days=90))
    first = EnrolmentFactory(cohort=phase_1, resident=resident)
    services.enrolment_withdraw(enrolment=first, ended_on=TODAY - timedelta(days=50), reason="changed_mind",
                                justification="Wanted a break", by=staff)  # fmt: skip
    resident.refresh_from_db()
    assert resident.stage == Stage.READY
    second = EnrolmentFactory(cohort=phase_1, resident=resident, enrolled_on=TODAY - timedelta(days=40))
    services.enrolment_complete(enrolment=second, ended_on=TODAY - timedelta(days=20), graduated_on=None,
                                attended_ceremony=None, by=staff)  # fmt: skip
    phase_2 = CohortFactory(
        wing=hamlet_wing, phase=Phase.PHASE_2, status="running", starts_on=TODAY - timedelta(days=10)
    )
    give_back = EnrolmentFactory(cohort=phase_2, resident=resident)
    services.enrolment_withdraw(enrolment=give_back, ended_on=TODAY - timedelta(days=5), reason="health",
                                justification="Back when well", by=staff)  # fmt: skip
    resident.refresh_from_db()
    assert resident.stage == Stage.PHASE_1
    again = EnrolmentFactory(cohort=phase_2, resident=resident, enrolled_on=TODAY - timedelta(days=4))
    services.enrolment_complete(enrolment=again, ended_on=TODAY, graduated_on=TODAY, attended_ceremony=True, by=staff)
    resident.refresh_from_db()
    assert resident.stage == Stage.COMPLETED


def test_moving_to_another_cohort_keeps_the_marks(enrolment, programme_session, staff):
    mark = Attendance.objects.create(session=programme_session, resident=enrolment.resident, mark="attended",
                                               recorded_at=timezone.now())  # fmt: skip
    other = CohortFactory(wing=enrolment.cohort.wing, name="Cohort 2")
    moved = services.enrolment_move(enrolment=enrolment, to=other, on=TODAY, by=staff)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ended_on) == ("moved", TODAY)
    assert (moved.cohort, moved.status) == (other, "enrolled")
    assert Attendance.objects.filter(pk=mark.pk).exists()


def test_leaving_the_wing_ends_enrolments_and_waiting_entries(enrolment, waiting_entry, staff):
    resident = enrolment.resident
    WaitingListEntryFactory(resident=resident, phase=Phase.PHASE_2, status="pending")
    resident_depart(resident=resident, departed_on=TODAY, reason="transferred", by=staff)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ended_on, enrolment.end_reason, enrolment.justification) == (
        "withdrawn", TODAY, "left_wing", "Transferred"
    )  # fmt: skip
    entry = resident.waiting_list_entries.get()
    assert (entry.status, entry.reason) == ("removed", "Left the wing: Transferred")
    waiting_entry.refresh_from_db()
    assert waiting_entry.status == "approved"  # someone else's entry is untouched


# Sessions.


def test_a_bank_holiday_session_moves_to_the_end_of_the_sequence(hamlet_wing):
    # Summer bank holiday 2026 is Monday 31 August.
    assert calendar.is_bank_holiday(date(2026, 8, 31))
    cohort = CohortFactory(wing=hamlet_wing, starts_on=date(2026, 8, 17), ends_on=date(2026, 10, 11))
    sessions = services.sessions_generate(cohort=cohort, weekdays=[0], starts_at=time(9, 30), ends_at=time(12),
                                          topic="thinking_skills", delivered_by="prime_provider")  # fmt: skip
    assert len(sessions) == 8
    assert date(2026, 8, 31) not in [session.on for session in sessions]
    last = sessions[-1]
    assert (last.on, last.moved_from) == (date(2026, 10, 12), date(2026, 8, 31))


def test_generating_again_adds_no_duplicate_sessions(cohort):
    plan = {"weekdays": [1, 3], "starts_at": time(9, 30), "ends_at": time(12), "topic": "employability",
            "delivered_by": "cfo_staff"}  # fmt: skip
    first = services.sessions_generate(cohort=cohort, **plan)
    assert len(first) == 16
    with pytest.raises(ValidationError) as refused:
        services.sessions_generate(cohort=cohort, **plan)
    assert "already has a session at these times" in str(refused.value)
    assert cohort.sessions.count() == 16


def test_a_session_with_marks_cannot_be_cancelled(programme_session, resident, staff):
    Attendance.objects.create(session=programme_session, resident=resident, mark="attended", recorded_at=timezone.now())
    with pytest.raises(ValidationError):
        services.session_cancel(session=programme_session, reason="operational", note="", version=1)


# The register.


def test_a_correction_keeps_the_earlier_mark(programme_session, enrolment, staff, manager):
    resident = enrolment.resident
    row = services.MarkEntry(resident=resident, mark=Mark.ATTENDED)
    assert services.register_save(session=programme_session, rows=[row], co_delivered_by=[], version=1, by=staff) == 1
    corrected = services.MarkEntry(resident=resident, mark=Mark.SICK)
    assert services.register_save(session=programme_session, rows=[corrected], co_delivered_by=[], version=2,
                                  by=manager) == 1  # fmt: skip
    mark = Attendance.objects.get()
    assert (mark.mark, mark.recorded_by) == ("sick", manager)
    earlier = AttendanceChange.objects.get()
    assert (earlier.mark, earlier.recorded_by, earlier.changed_by) == ("attended", staff, manager)


def test_a_register_saved_from_an_older_page_is_refused(programme_session, enrolment, staff):
    from hamlet.versions import StaleEdit

    row = services.MarkEntry(resident=enrolment.resident, mark=Mark.ATTENDED)
    services.register_save(session=programme_session, rows=[row], co_delivered_by=[], version=1, by=staff)
    refused = services.MarkEntry(resident=enrolment.resident, mark=Mark.REFUSED)
    with pytest.raises(StaleEdit):
        services.register_save(session=programme_session, rows=[refused], co_delivered_by=[], version=1, by=staff)
    assert Attendance.objects.get().mark == "attended"
    assert not AttendanceChange.objects.exists()


def test_other_needs_its_reason_and_a_mentor_supports_only_someone_who_attended(programme_session, enrolment, staff):
    resident = enrolment.resident
    with pytest.raises(ValidationError) as refused:
        services.register_save(session=programme_session, rows=[services.MarkEntry(resident, Mark.OTHER, "  ")],
                               co_delivered_by=[], version=1, by=staff)  # fmt: skip
    assert refused.value.message_dict == {f"{resident.pk}-other_reason": [f"Say why {resident} did not attend"]}
    with pytest.raises(ValidationError):
        services.register_save(session=programme_session, rows=[services.MarkEntry(resident, Mark.SICK, "", resident)],
                               co_delivered_by=[], version=1, by=staff)  # fmt: skip
    assert not Attendance.objects.exists()


def test_the_register_is_not_taken_for_a_future_or_cancelled_session(cohort, enrolment, staff):
    future = SessionFactory(cohort=cohort, on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.register_save(session=future, rows=[], co_delivered_by=[], version=1, by=staff)
    cancelled = SessionFactory(cohort=cohort, on=TODAY - timedelta(days=3), cancel_reason="operational")
    with pytest.raises(ValidationError):
        services.register_save(session=cancelled, rows=[], co_delivered_by=[], version=1, by=staff)
    assert Cohort.objects.get().sessions.count() == 2
