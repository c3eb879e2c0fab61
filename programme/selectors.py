"""Reads for the programme, keyword-only. Counts are made in the database, one grouped query
per question, so a page's queries do not grow with its rows.

Attendance rate: attended ÷ (sessions held − excused). A session is held when it was not
cancelled; a resident's sessions are those with a mark for them. "Not required or
excused", "rest day", "clash" and "sick" are excused; "refused" and "other" are absences.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from programme.models import (
    EXCUSED_MARKS,
    Attendance,
    AttendanceChange,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Session,
    WaitingListEntry,
)
from residents.models import Resident
from residents.selectors import nameable


@dataclass(frozen=True)
class Rate:
    attended: int
    excused: int
    marked: int

    @property
    def counted(self) -> int:
        """The sessions that count: those held with a mark, less the excused."""
        return self.marked - self.excused

    @property
    def percent(self) -> int | None:
        return round(100 * self.attended / self.counted) if self.counted else None

    def __str__(self) -> str:
        return "no sessions yet" if self.percent is None else f"{self.percent}%"


NO_RATE = Rate(0, 0, 0)

_COUNTS = {
    "attended": Count("pk", filter=Q(mark=Mark.ATTENDED)),
    "excused": Count("pk", filter=Q(mark__in=EXCUSED_MARKS)),
    "marked": Count("pk"),
}


def _held_marks() -> QuerySet:
    return Attendance.objects.filter(session__cancel_reason="")


def rates_by_resident(*, cohort: Cohort) -> dict[int, Rate]:
    """Each resident's attendance rate in the cohort: one query."""
    rows = _held_marks().filter(session__cohort=cohort).values("resident").annotate(**_COUNTS).order_by()
    return {row.pop("resident"): Rate(**row) for row in rows}


def rates_by_cohort(*, cohorts: list[Cohort]) -> dict[int, Rate]:
    """Each cohort's attendance rate over all its residents' marks: one query."""
    rows = _held_marks().filter(session__cohort__in=cohorts).values("session__cohort").annotate(**_COUNTS).order_by()
    return {row.pop("session__cohort"): Rate(**row) for row in rows}


def rates_by_enrolment(*, residents: list[Resident]) -> dict[tuple[int, int], Rate]:
    """For a resident's page: their rate in each cohort, keyed by (resident, cohort)."""
    rows = (
        _held_marks()
        .filter(resident__in=residents)
        .values("resident", "session__cohort")
        .annotate(**_COUNTS)
        .order_by()
    )
    return {(row.pop("resident"), row.pop("session__cohort")): Rate(**row) for row in rows}


def cohorts_on(*, wing, user) -> QuerySet[Cohort]:
    return (
        Cohort.objects.visible_to(user)
        .filter(wing=wing)
        .annotate(enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
    )


def waiting_list(*, wing, user) -> QuerySet[WaitingListEntry]:
    """The wing's waiting-list entries whose residents the user may name."""
    return (
        WaitingListEntry.objects.visible_to(user)
        .filter(resident__wing=wing, resident__in=nameable(user=user))
        .select_related("resident__houseblock", "recorded_by")
    )


def cohort_page(*, cohort: Cohort, user) -> dict:
    """The cohort's enrolments with each resident's rate, its sessions, and its rate."""
    enrolments = list(
        cohort.enrolments.filter(resident__in=nameable(user=user))
        .select_related("resident")
        .order_by("status", "resident__pseudonym")
    )
    rates = rates_by_resident(cohort=cohort)
    for enrolment in enrolments:
        enrolment.rate = rates.get(enrolment.resident_id, NO_RATE)
    sessions = list(
        cohort.sessions.annotate(marks=Count("attendances")).prefetch_related(
            Prefetch("co_delivered_by", queryset=Resident.objects.filter(pk__in=nameable(user=user))),
            Prefetch("catch_up_for", queryset=Resident.objects.only("pk")),
        )
    )
    return {
        "enrolments": enrolments,
        "sessions": sessions,
        "rate": rates_by_cohort(cohorts=[cohort]).get(cohort.pk, NO_RATE),
        "facilitators": list(cohort.facilitators.all()),
        "peer_mentors": list(cohort.peer_mentors.filter(pk__in=nameable(user=user))),
    }


def register_residents(*, session: Session, user) -> list[Resident]:
    """Who the register lists: for a catch-up, the residents it is for; otherwise everyone
    enrolled in the cohort on the session's day (including those who later left or moved,
    whose marks stay), and anyone already marked."""
    if session.catch_up_for.exists():
        people = session.catch_up_for.all()
    else:
        enrolled = Enrolment.objects.filter(cohort=session.cohort_id, enrolled_on__lte=session.on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=session.on)
        )
        people = Resident.objects.filter(Q(enrolments__in=enrolled) | Q(attendances__session=session))
    return list(people.filter(pk__in=nameable(user=user)).distinct().select_related("houseblock").order_by("pseudonym"))


def register_marks(*, session: Session) -> dict[int, Attendance]:
    return {mark.resident_id: mark for mark in session.attendances.select_related("recorded_by")}


def corrections(*, session: Session, user) -> list[AttendanceChange]:
    """Every earlier value of the session's marks, newest first, each with ``after``: the
    mark it was changed to (the next correction's earlier value, or the mark as it is now)."""
    changes = list(
        AttendanceChange.objects.filter(attendance__session=session, attendance__resident__in=nameable(user=user))
        .select_related("attendance__resident", "changed_by", "recorded_by")
        .order_by("-changed_at", "-pk")
    )
    newer: dict[int, str] = {}
    for change in changes:  # newest first, so the newer value of each mark is already known
        change.after = newer.get(change.attendance_id, change.attendance.get_mark_display())
        newer[change.attendance_id] = change.get_mark_display()
    return changes


def resident_programme(*, resident: Resident) -> dict:
    """A resident's waiting-list entries and enrolments, each with its attendance rate."""
    enrolments = list(resident.enrolments.select_related("cohort").order_by("-enrolled_on", "-pk"))
    rates = rates_by_enrolment(residents=[resident])
    for enrolment in enrolments:
        enrolment.rate = rates.get((resident.pk, enrolment.cohort_id), NO_RATE)
    waiting = list(resident.waiting_list_entries.order_by("-referred_on", "-pk"))
    return {"enrolments": enrolments, "waiting": waiting}


def days_waiting(entry: WaitingListEntry, today: date) -> int:
    return (today - entry.referred_on).days
