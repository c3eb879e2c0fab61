"""Reads for the programme, keyword-only. Counts are made in the database, one grouped query
per question, so a page's queries do not grow with its rows.

Attendance rate: attended ÷ (sessions held − excused). A session is held when it was not
cancelled; a resident's sessions are those with a mark for them. "Not required or
excused", "rest day", "clash" and "sick" are excused; "refused" and "other" are absences.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet, Sum

from hamlet.access import get_visible_or_404
from programme.models import (
    EXCUSED_MARKS,
    Action,
    ActionStatus,
    Answer,
    Attendance,
    AttendanceChange,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Mark,
    Meeting,
    Project,
    ProjectHours,
    Referral,
    ReferralMove,
    Session,
    Suggestion,
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


def held_marks_rate(**lookup) -> Rate:
    """The attendance rate over the marks of sessions held that match ``lookup``: one query."""
    return Rate(**_held_marks().filter(**lookup).aggregate(**_COUNTS))


def _rates_by(*keys: str, **lookup) -> dict:
    """The attendance rate over the marks of sessions held that match ``lookup``, for each value
    of ``keys`` (a tuple of them where there are several): one query."""
    rows = _held_marks().filter(**lookup).values(*keys).annotate(**_COUNTS).order_by()
    if len(keys) == 1:
        return {row.pop(keys[0]): Rate(**row) for row in rows}
    return {tuple(row.pop(key) for key in keys): Rate(**row) for row in rows}


def rates_by_resident(*, cohort: Cohort) -> dict[int, Rate]:
    """Each resident's attendance rate in the cohort: one query."""
    return _rates_by("resident", session__cohort=cohort)


def rates_by_cohort(*, cohorts: list[Cohort]) -> dict[int, Rate]:
    """Each cohort's attendance rate over all its residents' marks: one query."""
    return _rates_by("session__cohort", session__cohort__in=cohorts)


def rates_by_wing(*, wings: list, **lookup) -> dict[int, Rate]:
    """For the dashboards: each wing's attendance rate over the marks of sessions held that
    match ``lookup``: one query, however many wings."""
    return _rates_by("session__cohort__wing", session__cohort__wing__in=wings, **lookup)


def rates_by_enrolment(*, residents: list[Resident]) -> dict[tuple[int, int], Rate]:
    """For a resident's page: their rate in each cohort, keyed by (resident, cohort)."""
    return _rates_by("resident", "session__cohort", resident__in=residents)


def cohorts_on(*, wing, user) -> QuerySet[Cohort]:
    return (
        Cohort.objects.visible_to(user)
        .filter(wing=wing)
        .annotate(enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        .order_by("-starts_on", "-pk")  # an aggregate drops Meta.ordering
    )


def waiting_list(*, wing, user) -> QuerySet[WaitingListEntry]:
    """The wing's waiting-list entries whose residents the user may name (the entries' own rule)."""
    return (
        WaitingListEntry.objects.visible_to(user)
        .filter(resident__wing=wing)
        .select_related("resident__houseblock", "recorded_by")
    )


def referrals_on(*, wing, user) -> QuerySet[Referral]:
    """The referrals onto the wing whose people the user may name (the referrals' own rule)."""
    return Referral.objects.visible_to(user).filter(wing=wing).select_related("resident")


def referral_for_page(*, pk: int, user) -> Referral:
    """One referral through the user's scope (Not Found outside it), with its history."""
    return get_visible_or_404(
        Referral.objects.select_related("resident__establishment", "wing", "recorded_by").prefetch_related(
            Prefetch("history", queryset=ReferralMove.objects.select_related("by"))
        ),
        user,
        pk=pk,
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
        cohort.sessions.annotate(marks=Count("attendances"))
        .order_by("on", "starts_at")  # an aggregate drops Meta.ordering
        .prefetch_related(
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
    referrals = list(resident.referrals.select_related("wing").order_by("-referred_on", "-pk"))
    hours = resident.project_hours.aggregate(total=Sum("hours"), projects=Count("project", distinct=True))
    meetings = list(resident.meetings_attended.select_related("meeting").order_by("-meeting__held_on")[:5])
    return {
        "enrolments": enrolments,
        "waiting": waiting,
        "referrals": referrals,
        "hours": hours,
        "meetings": meetings,
        "meetings_count": resident.meetings_attended.count(),
    }


def days_waiting(entry: WaitingListEntry, today: date) -> int:
    return (today - entry.referred_on).days


# Meetings and suggestions.


def meetings_on(*, wing, user) -> QuerySet[Meeting]:
    return (
        Meeting.objects.visible_to(user)
        .filter(wing=wing)
        .annotate(
            residents=Count("attendees", distinct=True),
            open_actions=Count("actions", filter=Q(actions__status=ActionStatus.OPEN), distinct=True),
        )
        .order_by("-held_on", "-pk")  # an aggregate drops Meta.ordering
    )


def meeting_page(*, meeting: Meeting, user) -> dict:
    """A meeting's people, its own actions, the open actions carried forward to it from
    earlier meetings of the same kind, and the suggestions it answered. ``named``: every
    resident the page names, for its access entry."""
    allowed = nameable(user=user)
    attendees = list(
        meeting.attendees.filter(resident__in=allowed).select_related("resident").order_by("resident__pseudonym")
    )
    actions = Action.objects.select_related("owner_staff", "owner_resident", "meeting")
    own = list(actions.filter(meeting=meeting))
    carried = list(
        actions.filter(meeting__wing=meeting.wing_id, meeting__kind=meeting.kind, meeting__held_on__lt=meeting.held_on)
        .filter(Q(status=ActionStatus.OPEN) | Q(reviewed_at=meeting))
        .distinct()
        .order_by("meeting__held_on", "pk")
    )
    hidden = set(Resident.objects.filter(pk__in=[a.owner_resident_id for a in own + carried if a.owner_resident_id])
                 .exclude(pk__in=allowed).values_list("pk", flat=True))  # fmt: skip
    for action in own + carried:
        action.owner_hidden = action.owner_resident_id in hidden
    answered = list(meeting.suggestions.order_by("received_on", "pk"))
    named = [row.resident for row in attendees] + [
        a.owner_resident for a in own + carried if a.owner_resident_id and not a.owner_hidden
    ]
    return {
        "attendees": attendees,
        "staff_present": list(meeting.staff_present.all()),
        "actions": own,
        "carried": carried,
        "answered": answered,
        "named": named,
    }


def meeting_for_review(*, action: Action, pk: str | None, user) -> Meeting | None:
    """The later meeting of the same kind at which an action is reviewed, if the address names one."""
    if not (pk and pk.isascii() and pk.isdigit()) or len(pk) > 18:
        return None
    return (
        Meeting.objects.visible_to(user)
        .filter(pk=int(pk), wing=action.meeting.wing_id, kind=action.meeting.kind, held_on__gt=action.meeting.held_on)
        .first()
    )


def suggestions_on(*, wing, user) -> QuerySet[Suggestion]:
    """The wing's suggestions; a named one whose resident the user may not open reads as anonymous."""
    return (
        Suggestion.objects.visible_to(user)
        .filter(wing=wing)
        .select_related("meeting", "resident")
        .annotate(named=ExpressionWrapper(Q(resident__in=nameable(user=user)), output_field=BooleanField()))
    )


def you_said_we_did(*, wing) -> list[Suggestion]:
    """Adopted and adapted suggestions, newest answer first: no names, no one's details."""
    return list(
        Suggestion.objects.filter(wing=wing, answer__in=[Answer.ADOPTED, Answer.ADAPTED])
        .select_related("meeting")
        .only("text", "we_did", "answer", "done_on", "received_on", "meeting__held_on", "meeting__kind")
        .order_by("-meeting__held_on", "-pk")
    )


# Community projects and hours.


def projects_on(*, wing, user) -> QuerySet[Project]:
    return (
        Project.objects.visible_to(user)
        .filter(wing=wing)
        .annotate(total=Sum("hours__hours"))
        .order_by("status", "title")  # an aggregate drops Meta.ordering
    )


def project_page(*, project: Project, user) -> dict:
    """Each resident's hours on the project, and its latest entries."""
    allowed = nameable(user=user)
    by_resident = list(
        project.hours.filter(resident__in=allowed)
        .values("resident", "resident__pseudonym")
        .annotate(total=Sum("hours"), days=Count("pk"))
        .order_by("resident__pseudonym")
    )
    latest = list(project.hours.filter(resident__in=allowed).select_related("resident", "recorded_by")[:30])
    return {"by_resident": by_resident, "latest": latest, "total": sum(row["total"] for row in by_resident)}


@dataclass(frozen=True)
class WeeklyHours:
    resident: Resident
    weeks: list  # hours in each week of the cohort, first week first
    total: object


def weekly_hours(*, cohort: Cohort, residents: list[Resident]) -> list[WeeklyHours]:
    """Each resident's community hours in each week of the cohort, from its start: one query."""
    weeks = (cohort.ends_on - cohort.starts_on).days // 7 + 1
    rows = ProjectHours.objects.filter(
        resident__in=residents, on__gte=cohort.starts_on, on__lte=cohort.ends_on
    ).values_list("resident", "on", "hours")
    table = {resident.pk: [0] * weeks for resident in residents}
    for resident_id, on, hours in rows:
        table[resident_id][(on - cohort.starts_on).days // 7] += hours
    return [WeeklyHours(resident, table[resident.pk], sum(table[resident.pk])) for resident in residents]
