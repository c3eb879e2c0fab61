"""Writes for the programme: keyword-only, atomic, each refusal a ValidationError naming its
field. The engagement journey is moved only through ``residents.services.journey_move``."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from hamlet import computed
from hamlet.versions import save_if_unchanged
from programme import calendar
from programme.models import (
    REASON_NEEDED,
    REFERRAL_MOVES,
    WAITING_MOVES,
    Action,
    ActionStatus,
    Answer,
    Attendance,
    AttendanceChange,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Meeting,
    MeetingAttendee,
    Phase,
    PhaseSettings,
    Project,
    ProjectHours,
    ProjectStatus,
    Referral,
    ReferralMove,
    ReferralStatus,
    Session,
    Suggestion,
    WaitingListEntry,
    WaitingMove,
    WaitingStatus,
    WithdrawalReason,
)
from residents.models import DepartureReason, NonAssociation, Resident, Stage
from residents.selectors import names_a_resident, visible_ids
from residents.services import (
    check_within_stay,
    journey_move,
    resident_move_onto_wing,
    resident_refer,
    resident_referral_close,
)

PHASE_STAGE = {Phase.PHASE_1: Stage.PHASE_1, Phase.PHASE_2: Stage.PHASE_2}


def _to_phase(resident: Resident, cohort: Cohort, *, on: date, by, note: str) -> None:
    """Move the resident to the cohort's phase on the journey, from ``on`` or the cohort's
    start if later (which may be ahead: the move takes effect on its day)."""
    journey_move(
        resident=resident,
        stage=PHASE_STAGE[cohort.phase],
        on=max(on, cohort.starts_on),
        by=by,
        note=note,
        future_allowed=True,
    )


@transaction.atomic
def phase_settings_save(*, setting: PhaseSettings, version: int | None) -> PhaseSettings:
    """Save a wing's settings for one phase; the first save creates them."""
    setting.full_clean()
    if setting.pk is None:
        if PhaseSettings.objects.filter(wing=setting.wing, phase=setting.phase).exists():
            raise ValidationError("Someone else saved these settings while you were editing. Open them again.")
        setting.save()
    else:
        save_if_unchanged(setting, version=version)
    return setting


# The waiting list.


@transaction.atomic
def waiting_add(*, entry: WaitingListEntry, by) -> WaitingListEntry:
    resident = entry.resident
    if not resident.is_current:
        raise ValidationError({"resident": "This resident has left the wing"})
    check_within_stay(resident, entry.referred_on, "referred_on")
    if WaitingListEntry.objects.open().filter(resident=resident, phase=entry.phase).exists():
        raise ValidationError({"resident": f"{resident} is already waiting for {Phase(entry.phase).label}"})
    if Enrolment.objects.open().filter(resident=resident, phase=entry.phase).exists():
        raise ValidationError({"resident": f"{resident} is already enrolled in a {Phase(entry.phase).label} cohort"})
    entry.status, entry.status_on, entry.recorded_by = WaitingStatus.PENDING, entry.referred_on, by
    entry.full_clean()
    entry.save()
    WaitingMove.objects.create(entry=entry, to_status=entry.status, on=entry.referred_on, by=by)
    return entry


@transaction.atomic
def waiting_move(*, entry: WaitingListEntry, to: str, on: date, reason: str, by, version: int) -> WaitingListEntry:
    """Move an entry to another status, as WAITING_MOVES allows: declining, removing or
    withdrawing needs a reason, and so does reinstating."""
    before = WaitingStatus(entry.status)
    if to not in WAITING_MOVES[before]:
        raise ValidationError({"status": f"An entry that is {before.label.lower()} cannot be moved to that status"})
    reason = reason.strip()
    reinstating = to == WaitingStatus.PENDING
    if (to in REASON_NEEDED or reinstating) and not reason:
        verb = "reinstating" if reinstating else f"moving to {WaitingStatus(to).label.lower()}"
        raise ValidationError({"reason": f"Give a reason for {verb}"})
    if on < entry.status_on:
        raise ValidationError({"on": f"The date must be on or after {entry.status_on:%-d %B %Y}, the last change"})
    check_within_stay(entry.resident, on, "on")
    if reinstating and WaitingListEntry.objects.open().filter(resident=entry.resident, phase=entry.phase).exists():
        raise ValidationError({"status": "This resident already has an open entry on this waiting list"})
    entry.status, entry.status_on, entry.reason = to, on, reason
    save_if_unchanged(entry, version=version)
    WaitingMove.objects.create(entry=entry, from_status=before, to_status=to, on=on, reason=reason, by=by)
    return entry


# Referrals onto the wing.


@transaction.atomic
def referral_add(*, referral: Referral, resident: Resident, by) -> Referral:
    """Refer a person from elsewhere in the establishment onto the wing: their record, on no
    wing yet (``residents.services.resident_refer``), and the referral, together."""
    if referral.referred_on > timezone.localdate():
        raise ValidationError({"referred_on": "The date of the referral cannot be in the future"})
    resident.establishment_id = referral.wing.establishment_id
    referral.resident = resident_refer(resident=resident, by=by)
    referral.status, referral.status_on, referral.recorded_by = ReferralStatus.REFERRED, referral.referred_on, by
    referral.full_clean()
    referral.save()
    ReferralMove.objects.create(referral=referral, to_status=referral.status, on=referral.referred_on, by=by)
    return referral


# The resident's fields whose refusals (``Resident.clean``) belong to the move form's.
_ARRIVAL_FIELDS = {"arrived_on": "on", "houseblock": "houseblock", "room": "room"}


@transaction.atomic
def referral_move(
    *, referral: Referral, to: str, on: date, reason: str, by, version: int, houseblock=None, room: str = ""
) -> Referral:
    """Move a referral on, as REFERRAL_MOVES allows. Declining needs a reason. Moving onto the
    wing admits the person to it from ``on`` (houseblock and room optional); declining and
    withdrawing close their record, as anyone's who left (both through the residents app)."""
    before = ReferralStatus(referral.status)
    if to not in REFERRAL_MOVES[before]:
        raise ValidationError({"to": f"A referral that is {before.label.lower()} cannot be moved to that status"})
    reason = reason.strip()
    if to == ReferralStatus.DECLINED and not reason:
        raise ValidationError({"reason": "Give the reason the referral was declined"})
    if on < referral.status_on:
        raise ValidationError({"on": f"The date must be on or after {referral.status_on:%-d %B %Y}, the last change"})
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future"})
    if to != ReferralStatus.MOVED and (houseblock is not None or room):
        raise ValidationError({"houseblock": "A houseblock and room are given only when they move onto the wing"})
    referral.status, referral.status_on, referral.reason = to, on, reason
    save_if_unchanged(referral, version=version)
    resident = referral.resident
    if to == ReferralStatus.MOVED:
        try:
            resident_move_onto_wing(
                resident=resident, wing=referral.wing, arrived_on=on, houseblock=houseblock, room=room, by=by
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            on_the_form: dict[str, list] = {}
            for name, errors in error.error_dict.items():
                on_the_form.setdefault(_ARRIVAL_FIELDS.get(name, NON_FIELD_ERRORS), []).extend(errors)
            raise ValidationError(on_the_form) from None
    elif to in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        resident_referral_close(resident=resident, on=on, by=by, field="on")
    ReferralMove.objects.create(referral=referral, from_status=before, to_status=to, on=on, reason=reason, by=by)
    return referral


# Cohorts and enrolment.


def _cohort_end(starts_on: date, weeks: int) -> date:
    return starts_on + timedelta(weeks=weeks, days=-1)


@transaction.atomic
def cohort_create(*, cohort: Cohort, facilitators: Iterable, peer_mentors: Iterable[Resident]) -> Cohort:
    setting = PhaseSettings.of(cohort.wing, cohort.phase)
    cohort.ends_on = _cohort_end(cohort.starts_on, setting.weeks)
    if not cohort.location:
        cohort.location = setting.location
    cohort.full_clean()
    cohort.save()
    cohort.facilitators.set(facilitators)
    cohort.peer_mentors.set(peer_mentors)
    return cohort


@dataclass(frozen=True)
class EnrolCheck:
    """What enrolling these residents would do to the cohort's size."""

    size_after: int
    largest: int

    @property
    def oversized(self) -> bool:
        return self.size_after > self.largest


def _enrolled(cohort: Cohort) -> list[Enrolment]:
    return list(cohort.enrolments.open().select_related("resident"))


def _keep_apart(cohort: Cohort, joining: list[Resident], user) -> None:
    """Refuse a resident who must not be placed with someone in the cohort (or joining with
    them), naming the other person only if the user may open their record."""
    people = [enrolment.resident for enrolment in _enrolled(cohort)] + joining
    ids = {person.pk for person in people}
    clashes = NonAssociation.objects.filter(first__in=ids, second__in=ids)
    joining_ids = {person.pk for person in joining}
    named = visible_ids(user=user, ids=ids)
    by_id = {person.pk: person for person in people}
    for clash in clashes:
        if clash.first_id not in joining_ids and clash.second_id not in joining_ids:
            continue  # already together: not this enrolment's doing
        newcomer, other = (clash.first_id, clash.second_id)
        if newcomer not in joining_ids:
            newcomer, other = other, newcomer
        who = by_id[other].pseudonym if other in named else "someone already in this cohort or joining it"
        raise ValidationError(
            {"entries": f"{by_id[newcomer]} cannot join this cohort: they must be kept apart from {who}."}
        )


def _phase_1_completed(resident: Resident) -> bool:
    return resident.enrolments.filter(phase=Phase.PHASE_1, status=EnrolmentStatus.COMPLETED).exists()


def _size_check(*, cohort: Cohort, count: int) -> EnrolCheck:
    setting = PhaseSettings.of(cohort.wing, cohort.phase)
    return EnrolCheck(size_after=cohort.enrolments.open().count() + count, largest=setting.max_size)


@transaction.atomic
def cohort_enrol(
    *, cohort: Cohort, entries: list[WaitingListEntry], on: date, accept_size: bool, by
) -> list[Enrolment]:
    """Enrol residents from the phase's waiting list, in one go: all of them or none."""
    if cohort.status in (CohortStatus.FINISHED, CohortStatus.CANCELLED):
        raise ValidationError(f"This cohort is {cohort.get_status_display().lower()}: no one can join it")
    if not entries:
        raise ValidationError({"entries": "Select at least one resident from the waiting list"})
    for entry in entries:
        resident = entry.resident
        if entry.phase != cohort.phase or entry.status != WaitingStatus.APPROVED:
            raise ValidationError({"entries": f"{resident} is not approved on the {cohort.get_phase_display()} list"})
        if not resident.is_current or resident.wing_id != cohort.wing_id:
            raise ValidationError({"entries": f"{resident} is not on {cohort.wing.name} now"})
        if cohort.phase == Phase.PHASE_2 and not _phase_1_completed(resident):
            raise ValidationError({"entries": f"{resident} has not completed Phase 1, so cannot start Phase 2"})
        if Enrolment.objects.open().filter(resident=resident, phase=cohort.phase).exists():
            raise ValidationError(
                {"entries": f"{resident} is already enrolled in a {cohort.get_phase_display()} cohort"}
            )
        check_within_stay(resident, on, "on")
    _keep_apart(cohort, [entry.resident for entry in entries], by)
    check = _size_check(cohort=cohort, count=len(entries))
    if check.oversized and not accept_size:
        raise ValidationError(
            {
                "accept_size": f"The cohort would have {check.size_after} residents, more than its {check.largest}. "
                "Tick the box to enrol them anyway."
            }
        )
    enrolments = []
    for entry in entries:
        enrolments.append(
            Enrolment.objects.create(
                cohort=cohort,
                resident=entry.resident,
                phase=cohort.phase,
                enrolled_on=on,
                waiting_entry=entry,
                recorded_by=by,
            )
        )
        before = entry.status
        entry.status, entry.status_on = WaitingStatus.ALLOCATED, on
        entry.save(update_fields=["status", "status_on"])
        WaitingMove.objects.create(
            entry=entry, from_status=before, to_status=entry.status, on=on, by=by, reason=f"Enrolled in {cohort}"
        )
        if cohort.status == CohortStatus.RUNNING:
            _to_phase(entry.resident, cohort, on=on, by=by, note=f"Joined {cohort}")
    return enrolments


@transaction.atomic
def cohort_start(*, cohort: Cohort, by) -> Cohort:
    """The cohort runs: each enrolled resident moves to the phase on the journey, dated the
    cohort's start (which may be ahead: the move takes effect on its day)."""
    if cohort.status != CohortStatus.PLANNED:
        raise ValidationError(f"Only a planned cohort can start; this one is {cohort.get_status_display().lower()}")
    enrolled = _enrolled(cohort)
    if not enrolled:
        raise ValidationError("Enrol residents before starting the cohort")
    cohort.status = CohortStatus.RUNNING
    cohort.save(update_fields=["status"])
    for enrolment in enrolled:
        _to_phase(enrolment.resident, cohort, on=cohort.starts_on, by=by, note=f"Started {cohort}")
    return cohort


@transaction.atomic
def cohort_finish(*, cohort: Cohort) -> Cohort:
    if cohort.status != CohortStatus.RUNNING:
        raise ValidationError("Only a running cohort can finish")
    if cohort.enrolments.open().exists():
        raise ValidationError("Record each resident's completion or withdrawal before finishing the cohort")
    cohort.status = CohortStatus.FINISHED
    cohort.save(update_fields=["status"])
    return cohort


def _close(enrolment: Enrolment, *, status: str, on: date) -> None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError("This enrolment has already ended")
    if on < enrolment.enrolled_on:
        raise ValidationError({"ended_on": "The date must be on or after the resident was enrolled"})
    check_within_stay(enrolment.resident, on, "ended_on")
    enrolment.status, enrolment.ended_on = status, on


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, ended_on: date, graduated_on: date | None, attended_ceremony: bool | None, by
) -> Enrolment:
    """The resident completed the phase; completing Phase 2 completes the journey."""
    if enrolment.cohort.status != CohortStatus.RUNNING:
        raise ValidationError("A resident completes a phase once their cohort is running")
    _close(enrolment, status=EnrolmentStatus.COMPLETED, on=ended_on)
    if graduated_on and graduated_on < ended_on:
        raise ValidationError({"graduated_on": "Graduation must be on or after the day they completed"})
    enrolment.graduated_on, enrolment.attended_ceremony = graduated_on, attended_ceremony
    enrolment.full_clean()
    enrolment.save()
    if enrolment.phase == Phase.PHASE_2:
        journey_move(
            resident=enrolment.resident, stage=Stage.COMPLETED, on=ended_on, by=by, note=f"Completed {enrolment.cohort}"
        )
    return enrolment


# Where a withdrawal returns the resident to on the journey.
AFTER_WITHDRAWAL = {Phase.PHASE_1: Stage.READY, Phase.PHASE_2: Stage.PHASE_1}


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, ended_on: date, reason: str, justification: str, by) -> Enrolment:
    justification = justification.strip()
    if not justification:
        raise ValidationError({"justification": "Say why the resident is leaving the cohort"})
    _close(enrolment, status=EnrolmentStatus.WITHDRAWN, on=ended_on)
    enrolment.end_reason, enrolment.justification = reason, justification
    enrolment.full_clean()
    enrolment.save()
    if enrolment.cohort.status == CohortStatus.RUNNING:
        journey_move(
            resident=enrolment.resident,
            stage=AFTER_WITHDRAWAL[enrolment.phase],
            on=ended_on,
            by=by,
            note=f"Left {enrolment.cohort}: {enrolment.get_end_reason_display().lower()}",
        )
    return enrolment


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, to: Cohort, on: date, by) -> Enrolment:
    """Move a resident to another cohort of the same phase; their marks stay with the sessions
    they attended."""
    if to.pk == enrolment.cohort_id or to.phase != enrolment.phase or to.wing_id != enrolment.cohort.wing_id:
        raise ValidationError({"to": "Choose another cohort of the same phase on this wing"})
    if to.status in (CohortStatus.FINISHED, CohortStatus.CANCELLED):
        raise ValidationError({"to": f"That cohort is {to.get_status_display().lower()}"})
    _close(enrolment, status=EnrolmentStatus.MOVED, on=on)
    enrolment.save()
    _keep_apart(to, [enrolment.resident], by)
    moved = Enrolment.objects.create(
        cohort=to,
        resident=enrolment.resident,
        phase=to.phase,
        enrolled_on=on,
        waiting_entry=enrolment.waiting_entry,
        recorded_by=by,
    )
    if to.status == CohortStatus.RUNNING:
        _to_phase(enrolment.resident, to, on=on, by=by, note=f"Moved to {to}")
    return moved


@transaction.atomic
def end_on_departure(*, resident: Resident, departed_on: date, reason: str, by) -> None:
    """Inside the departure's transaction: open enrolments end as withdrawn (left the wing,
    with the departure's reason) and open waiting-list entries are removed."""
    why = DepartureReason(reason).label
    for enrolment in resident.enrolments.open():
        enrolment.status, enrolment.ended_on = EnrolmentStatus.WITHDRAWN, max(departed_on, enrolment.enrolled_on)
        enrolment.end_reason, enrolment.justification = WithdrawalReason.LEFT_WING, why
        enrolment.save()
    for entry in resident.waiting_list_entries.open():
        before = entry.status
        on = max(departed_on, entry.status_on)
        entry.status, entry.status_on, entry.reason = WaitingStatus.REMOVED, on, f"Left the wing: {why}"
        entry.save()
        WaitingMove.objects.create(
            entry=entry, from_status=before, to_status=entry.status, on=on, reason=entry.reason, by=by
        )


# Sessions and the register.


@transaction.atomic
def sessions_generate(
    *, cohort: Cohort, weekdays: list[int], starts_at: time, ends_at: time, topic: str, delivered_by: str
) -> list[Session]:
    """The cohort's sessions from a weekly plan over the phase's length. A session that falls
    on a bank holiday moves to the end of the sequence, so the course keeps its number of
    sessions. Slots the cohort already has are left as they are."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The session must end after it starts"})
    weeks = (cohort.ends_on - cohort.starts_on).days // 7 + 1
    planned = calendar.weekly_dates(cohort.starts_on, weekdays=weekdays, weeks=weeks)
    taken = _overlapping(cohort, [day for day, _ in planned], starts_at, ends_at)
    sessions = [
        Session(
            cohort=cohort,
            on=day,
            moved_from=moved_from,
            starts_at=starts_at,
            ends_at=ends_at,
            topic=topic,
            delivered_by=delivered_by,
            location=cohort.location,
        )
        for day, moved_from in planned
        if day not in taken
    ]
    if not sessions:
        raise ValidationError(
            {"weekdays": "The cohort already has a session at these times on every one of these days"}
        )
    for session in sessions:
        session.full_clean()
        session.save()
    return sessions


# A catch-up may follow the cohort's last week by up to four weeks.
CATCH_UP_AFTER = timedelta(weeks=4)


def _overlapping(cohort: Cohort, days, starts_at: time, ends_at: time) -> set:
    """The days among ``days`` on which the cohort already has a session overlapping these times."""
    clashes = cohort.sessions.filter(on__in=list(days), starts_at__lt=ends_at, ends_at__gt=starts_at)
    return set(clashes.values_list("on", flat=True))


@transaction.atomic
def session_add(*, session: Session, catch_up_for: Iterable[Resident]) -> Session:
    cohort = session.cohort
    if session.ends_at <= session.starts_at:
        raise ValidationError({"ends_at": "The session must end after it starts"})
    if not cohort.starts_on <= session.on <= cohort.ends_on + CATCH_UP_AFTER:
        last = cohort.ends_on + CATCH_UP_AFTER
        raise ValidationError(
            {"on": f"The date must be in the cohort's weeks, from {cohort.starts_on:%-d %B %Y} to {last:%-d %B %Y}"}
        )
    if _overlapping(cohort, [session.on], session.starts_at, session.ends_at):
        raise ValidationError({"starts_at": "The cohort already has a session at this time on this day"})
    session.location = session.location or session.cohort.location
    session.full_clean()
    session.save()
    session.catch_up_for.set(catch_up_for)
    return session


@transaction.atomic
def session_cancel(*, session: Session, reason: str, note: str, version: int) -> Session:
    if session.is_cancelled:
        raise ValidationError("This session is already cancelled")
    if session.attendances.exists():
        raise ValidationError("Attendance has been recorded for this session, so it took place and cannot be cancelled")
    session.cancel_reason, session.cancel_note = reason, note.strip()
    save_if_unchanged(session, version=version)
    return session


@transaction.atomic
def session_reinstate(*, session: Session, version: int) -> Session:
    if not session.is_cancelled:
        raise ValidationError("This session is not cancelled")
    session.cancel_reason, session.cancel_note = "", ""
    save_if_unchanged(session, version=version)
    return session


@dataclass(frozen=True)
class MarkEntry:
    """One row of the register as submitted."""

    resident: Resident
    mark: str  # "" for not recorded
    other_reason: str = ""
    supported_by: Resident | None = None


@transaction.atomic
def register_save(
    *, session: Session, rows: list[MarkEntry], co_delivered_by: Iterable[Resident], version: int, by
) -> int:
    """Save the register of one session in one go. A changed mark keeps what it said before
    (``AttendanceChange``); an unchanged one is left alone. Returns how many marks changed."""
    if session.is_cancelled:
        raise ValidationError("This session was cancelled: reinstate it before taking the register")
    if session.on > timezone.localdate():
        raise ValidationError("The register can be taken on the day of the session or after it")
    existing = {mark.resident_id: mark for mark in session.attendances.all()}
    now = timezone.now()
    changed = 0
    for row in rows:
        other = row.other_reason.strip() if row.mark == Mark.OTHER else ""
        if row.mark == Mark.OTHER and not other:
            raise ValidationError({f"{row.resident.pk}-other_reason": f"Say why {row.resident} did not attend"})
        if row.supported_by and row.mark != Mark.ATTENDED:
            raise ValidationError(
                {f"{row.resident.pk}-supported_by": f"A peer mentor supports {row.resident} only if they attended"}
            )
        mark = existing.get(row.resident.pk)
        if not row.mark:
            if mark is not None:
                raise ValidationError(
                    {f"{row.resident.pk}-mark": f"{row.resident} already has a mark: correct it rather than remove it"}
                )
            continue
        new = (row.mark, other, row.supported_by.pk if row.supported_by else None)
        if mark is None:
            Attendance.objects.create(
                session=session,
                resident=row.resident,
                mark=row.mark,
                other_reason=other,
                supported_by=row.supported_by,
                recorded_by=by,
                recorded_at=now,
            )
            changed += 1
        elif (mark.mark, mark.other_reason, mark.supported_by_id) != new:
            AttendanceChange.objects.create(
                attendance=mark,
                mark=mark.mark,
                other_reason=mark.other_reason,
                supported_by_id=mark.supported_by_id,
                recorded_by_id=mark.recorded_by_id,
                recorded_at=mark.recorded_at,
                changed_by=by,
                changed_at=now,
            )
            mark.mark, mark.other_reason, mark.supported_by = new[0], new[1], row.supported_by
            mark.recorded_by, mark.recorded_at = by, now
            mark.save()
            changed += 1
    # Moving the session's version on is what stops a second register saved from an older page.
    save_if_unchanged(session, version=version)
    session.co_delivered_by.set(co_delivered_by)
    return changed


# Meetings, actions and suggestions.

PRISON_NUMBER_IN_TEXT = re.compile(r"\b[A-Z][0-9]{4}[A-Z]{2}\b", re.IGNORECASE)


def _check_minutes(text: str, field: str) -> None:
    """Minutes and answers name people by pseudonym only, never by prison number."""
    if PRISON_NUMBER_IN_TEXT.search(text or ""):
        raise ValidationError({field: "Name residents by pseudonym only: take the prison number out"})


def _set_attendees(meeting: Meeting, attendees: Iterable[Resident], mentors: set[int]) -> None:
    meeting.attendees.all().delete()
    # bulk_create sends no signals: the dashboards' held figures are told here.
    computed.changed([meeting.wing.establishment_id])
    MeetingAttendee.objects.bulk_create(
        MeetingAttendee(meeting=meeting, resident=resident, as_peer_mentor=resident.pk in mentors)
        for resident in attendees
    )


def _check_meeting(meeting: Meeting, attendees: list[Resident], mentors: set[int]) -> None:
    if meeting.held_on > timezone.localdate():
        raise ValidationError({"held_on": "The meeting cannot be in the future"})
    _check_minutes(meeting.minutes, "minutes")
    if mentors - {resident.pk for resident in attendees}:
        raise ValidationError({"mentors_there": "A peer mentor marked here must be among the residents there"})
    meeting.full_clean()


@transaction.atomic
def meeting_record(
    *, meeting: Meeting, staff_present: Iterable, attendees: Iterable[Resident], peer_mentors: Iterable[Resident], by
) -> Meeting:
    """Record a meeting, who was there (residents, and which of them as peer mentors)."""
    attendees, mentors = list(attendees), {resident.pk for resident in peer_mentors}
    meeting.recorded_by = by
    _check_meeting(meeting, attendees, mentors)
    meeting.save()
    meeting.staff_present.set(staff_present)
    _set_attendees(meeting, attendees, mentors)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    version: int,
    staff_present: Iterable,
    attendees: Iterable[Resident],
    peer_mentors: Iterable[Resident],
) -> Meeting:
    attendees, mentors = list(attendees), {resident.pk for resident in peer_mentors}
    _check_meeting(meeting, attendees, mentors)
    save_if_unchanged(meeting, version=version)
    meeting.staff_present.set(staff_present)
    _set_attendees(meeting, attendees, mentors)
    return meeting


@transaction.atomic
def action_add(*, action: Action) -> Action:
    _check_minutes(action.description, "description")
    if action.owner_staff_id and action.owner_resident_id:
        raise ValidationError({"owner_resident": "Give one owner: a member of staff or a resident"})
    if action.due_on and action.due_on < action.meeting.held_on:
        raise ValidationError({"due_on": "The due date must be on or after the meeting"})
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_review(*, action: Action, status: str, done_on: date | None, at: Meeting | None, version: int) -> Action:
    """Review an action, at a later meeting of the same kind or between meetings."""
    if status == ActionStatus.DONE and not done_on:
        raise ValidationError({"done_on": "Enter the date it was done"})
    if done_on and done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date cannot be in the future"})
    if done_on and done_on < action.meeting.held_on:
        raise ValidationError({"done_on": "The date must be on or after the meeting that agreed it"})
    action.status, action.done_on = status, done_on if status == ActionStatus.DONE else None
    save_if_unchanged(action, version=version)
    if at is not None:
        action.reviewed_at.add(at)
    return action


def _names_no_one(text: str, wing_id: int, field: str) -> None:
    """What the notice board prints names no resident of the wing, by pseudonym or prison number."""
    if names_a_resident(text, wing_id=wing_id):
        raise ValidationError(
            {field: "This names a resident of the wing. The board names no one: write it without the name"}
        )


@transaction.atomic
def suggestion_add(*, suggestion: Suggestion) -> Suggestion:
    if suggestion.received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date cannot be in the future"})
    _check_minutes(suggestion.text, "text")
    _names_no_one(suggestion.text, suggestion.wing_id, "text")
    suggestion.full_clean()
    suggestion.save()
    return suggestion


@transaction.atomic
def suggestion_answer(*, suggestion: Suggestion, version: int) -> Suggestion:
    """Answer a suggestion at the meeting it was taken to: adopted or adapted with what was
    done, or declined with a reason."""
    errors = {}
    if suggestion.answer == Answer.DECLINED and not suggestion.reason.strip():
        errors["reason"] = "Say why it was declined"
    if suggestion.answer in (Answer.ADOPTED, Answer.ADAPTED) and not suggestion.we_did.strip():
        errors["we_did"] = "Say what was done, in words for the notice board"
    if suggestion.answer and suggestion.meeting_id is None:
        errors["meeting"] = "Choose the meeting that answered it"
    if suggestion.meeting_id and suggestion.meeting.held_on < suggestion.received_on:
        errors["meeting"] = "Choose a meeting held on or after the day the suggestion came in"
    if suggestion.done_on and suggestion.done_on > timezone.localdate():
        errors["done_on"] = "The date cannot be in the future"
    elif suggestion.done_on and suggestion.done_on < suggestion.received_on:
        errors["done_on"] = "The date must be on or after the day the suggestion came in"
    if errors:
        raise ValidationError(errors)
    _check_minutes(suggestion.we_did, "we_did")
    _check_minutes(suggestion.reason, "reason")
    _names_no_one(suggestion.we_did, suggestion.wing_id, "we_did")
    suggestion.full_clean()
    save_if_unchanged(suggestion, version=version)
    return suggestion


# Community projects.

MOST_HOURS_A_DAY = Decimal(12)


@transaction.atomic
def project_add(*, project: Project) -> Project:
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_update(*, project: Project, version: int) -> Project:
    project.full_clean()
    save_if_unchanged(project, version=version)
    return project


@transaction.atomic
def hours_log(*, entry: ProjectHours, by) -> ProjectHours:
    """Hours a resident gave to a project on a day: while they live on the project's wing, not
    in the future, and no more than twelve hours a day across every project."""
    project, resident = entry.project, entry.resident
    if project.status in (ProjectStatus.IDEA, ProjectStatus.DROPPED):
        raise ValidationError(
            f"Hours are logged once a project is agreed; this one is {project.get_status_display().lower()}"
        )
    if resident.wing_id != project.wing_id:
        raise ValidationError({"resident": f"{resident} does not live on {project.wing.name}"})
    check_within_stay(resident, entry.on, "on")
    if ProjectHours.objects.filter(project=project, resident=resident, on=entry.on).exists():
        raise ValidationError({"on": f"Hours on this day are already logged for {resident} on this project"})
    that_day = ProjectHours.objects.filter(resident=resident, on=entry.on).aggregate(total=Sum("hours"))["total"] or 0
    if that_day + entry.hours > MOST_HOURS_A_DAY:
        raise ValidationError({"hours": f"{resident} would have more than 12 hours on this day across every project"})
    entry.recorded_by = by
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def hours_remove(*, entry: ProjectHours) -> None:
    """Take out hours logged in error (to correct them, remove and log again); the audit
    trail keeps what they were and who removed them."""
    entry.delete()
