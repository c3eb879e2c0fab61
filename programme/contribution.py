"""The programme's part of the resident contract (``residents.contract``): enrolments end
and waiting-list entries close when the resident leaves; waiting lists and cohorts join the
resident's page and timeline; subject access and anonymisation reach every programme record
about the person; the home page counts the wing's cohorts. Declared on ProgrammeConfig.

A session is shared by its cohort: the person's own row in it is their mark (their
``Attendance`` and its earlier values), which anonymisation blanks; the session and the
cohort are shared records, whose text only loses the person's name."""

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse

from hamlet.contributions import Figure, HomePanel, Span
from programme import selectors
from programme.models import (
    OPEN_WAITING,
    PHASE_DEFAULTS,
    Action,
    Attendance,
    AttendanceChange,
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Meeting,
    MeetingAttendee,
    Phase,
    PhaseSettings,
    ProjectHours,
    Referral,
    ReferralMove,
    Session,
    Suggestion,
    WaitingListEntry,
    WaitingMove,
)
from programme.selectors import Rate
from programme.services import end_on_departure
from residents.contract import Anonymisation, Panel, ResidentContribution, SubjectAccess, TimelineEvent
from residents.models import Resident
from residents.subject_access import readable


class ProgrammeContribution(ResidentContribution):
    def on_departure(self, *, resident: Resident, departed_on, reason, by) -> None:
        end_on_departure(resident=resident, departed_on=departed_on, reason=reason, by=by)

    def panel(self, resident: Resident, user) -> Panel | None:
        if not user.has_perm("programme.view_cohort"):
            return None
        return Panel("Programme", "programme/_resident_panel.html", selectors.resident_programme(resident=resident))

    def timeline(self, resident: Resident) -> list[TimelineEvent]:
        events = []
        for move in ReferralMove.objects.filter(referral__resident=resident).select_related("referral__wing"):
            referral = move.referral
            if not move.from_status:
                title, byline = (
                    f"Referred onto {referral.wing.name}",
                    f"Referred by: {referral.get_referred_by_display()}",
                )
            else:
                title, byline = f"Referral onto {referral.wing.name}: {move.get_to_status_display().lower()}", ""
            events.append(TimelineEvent(move.on, title, byline, move.reason, order=0))
        for entry in resident.waiting_list_entries.all():
            title = f"Added to the {entry.get_phase_display()} waiting list"
            events.append(
                TimelineEvent(entry.referred_on, title, f"Referred by: {entry.get_referred_by_display()}", order=1)
            )
        for enrolment in resident.enrolments.select_related("cohort"):
            events.append(TimelineEvent(enrolment.enrolled_on, f"Enrolled in {enrolment.cohort}", order=2))
            if enrolment.ended_on:
                title = f"{enrolment.get_status_display()}: {enrolment.cohort}"
                if enrolment.end_reason:
                    title += f" ({enrolment.get_end_reason_display().lower()})"
                events.append(TimelineEvent(enrolment.ended_on, title, description=enrolment.justification, order=7))
            if enrolment.graduated_on:
                attended = {True: "attended the celebration", False: "did not attend the celebration"}
                events.append(
                    TimelineEvent(
                        enrolment.graduated_on,
                        f"Graduated from {enrolment.cohort}",
                        attended.get(enrolment.attended_ceremony, ""),
                        order=8,
                    )
                )
        for row in resident.meetings_attended.select_related("meeting"):
            title = f"At the {row.meeting.get_kind_display()}" + (" as a peer mentor" if row.as_peer_mentor else "")
            events.append(TimelineEvent(row.meeting.held_on, title, order=6))
        return events

    def subject_access(self, resident: Resident) -> SubjectAccess:
        referrals = list(resident.referrals.select_related("wing", "recorded_by"))
        referral_moves = list(
            ReferralMove.objects.filter(referral__resident=resident).select_related("by", "referral__wing")
        )
        waiting = list(resident.waiting_list_entries.all())
        moves = list(WaitingMove.objects.filter(entry__resident=resident).select_related("by", "entry"))
        enrolments = list(resident.enrolments.select_related("cohort"))
        marks = list(resident.attendances.select_related("session__cohort", "recorded_by"))
        changes = list(AttendanceChange.objects.filter(attendance__resident=resident).select_related("attendance"))
        attended = list(resident.meetings_attended.select_related("meeting"))
        actions = list(resident.meeting_actions.select_related("meeting"))
        suggestions = list(resident.suggestions.select_related("meeting"))
        hours = list(resident.project_hours.select_related("project"))
        records = {
            Referral: referrals,
            ReferralMove: referral_moves,
            WaitingListEntry: waiting,
            WaitingMove: moves,
            Enrolment: enrolments,
            Attendance: marks,
            AttendanceChange: changes,
            MeetingAttendee: attended,
            Action: actions,
            Suggestion: suggestions,
            ProjectHours: hours,
        }
        sessions = {mark.session_id: mark.session for mark in marks}
        # As a peer mentor they supported others: which session, never who or why.
        supported = Attendance.objects.filter(supported_by=resident).select_related("session__cohort")
        sections = {
            "referrals onto the wing": [readable(row, exclude={"resident"}) for row in referrals],
            "referral changes": [
                {"referral onto": row.referral.wing.name, **readable(row, exclude={"referral"})}
                for row in referral_moves
            ],
            "waiting lists": [readable(row, exclude={"resident"}) for row in waiting],
            "waiting list changes": [
                {"phase": row.entry.get_phase_display(), **readable(row, exclude={"entry"})} for row in moves
            ],
            "cohorts": [
                {"cohort": str(row.cohort), **readable(row, exclude={"resident", "cohort", "waiting_entry"})}
                for row in enrolments
            ],
            # A peer mentor who supported them is another resident: not named.
            "attendance": [
                {
                    "session": str(sessions[row.session_id]),
                    **readable(row, exclude={"resident", "session", "supported_by"}),
                    "supported by a peer mentor": "yes" if row.supported_by_id else "no",
                }
                for row in marks
            ],
            "corrected attendance marks": [readable(row, exclude={"attendance", "supported_by"}) for row in changes],
            # A meeting's minutes are everyone's: which meeting, and their own part in it.
            "meetings attended": [
                {"meeting": str(row.meeting), "as a peer mentor": "yes" if row.as_peer_mentor else "no"}
                for row in attended
            ],
            "meeting actions they own": [
                {"meeting": str(row.meeting), **readable(row, exclude={"meeting", "owner_resident", "reviewed_at"})}
                for row in actions
            ],
            "suggestions they made": [
                {
                    "taken to": str(row.meeting) if row.meeting_id else "",
                    **readable(row, exclude={"wing", "resident", "meeting"}),
                }
                for row in suggestions
            ],
            "community hours": [
                {"project": str(row.project), "date": row.on.isoformat(), "hours": str(row.hours)} for row in hours
            ],
            "sessions where they supported someone as a peer mentor": [
                {"session": str(row.session), "date": row.session.on.isoformat()} for row in supported
            ],
        }
        return SubjectAccess(sections=sections, records=records)

    def anonymise(self, resident: Resident) -> Anonymisation:
        # Shared: cohorts and sessions the person was in, supported, co-delivered or caught up
        # in, and everyone else's rows in them, lose only the person's name from their text.
        cohorts = Cohort.objects.filter(Q(enrolments__resident=resident) | Q(peer_mentors=resident))
        sessions = Session.objects.filter(
            Q(cohort__in=cohorts) | Q(co_delivered_by=resident) | Q(catch_up_for=resident)
        ).distinct()
        return Anonymisation(
            own={
                Referral: Referral.objects.filter(resident=resident),
                ReferralMove: ReferralMove.objects.filter(referral__resident=resident),
                WaitingListEntry: WaitingListEntry.objects.filter(resident=resident),
                WaitingMove: WaitingMove.objects.filter(entry__resident=resident),
                Enrolment: Enrolment.objects.filter(resident=resident),
                Attendance: Attendance.objects.filter(resident=resident),
                AttendanceChange: AttendanceChange.objects.filter(attendance__resident=resident),
                MeetingAttendee: MeetingAttendee.objects.filter(resident=resident),
                Action: Action.objects.filter(owner_resident=resident),
                Suggestion: Suggestion.objects.filter(resident=resident),
                ProjectHours: ProjectHours.objects.filter(resident=resident),
            },
            shared={
                Cohort: cohorts.distinct(),
                Meeting: Meeting.objects.filter(
                    Q(attendees__resident=resident) | Q(actions__owner_resident=resident)
                ).distinct(),
                Session: sessions,
                Enrolment: Enrolment.objects.filter(cohort__in=cohorts).exclude(resident=resident),
                Attendance: Attendance.objects.filter(Q(session__in=sessions) | Q(supported_by=resident)).exclude(
                    resident=resident
                ),
                AttendanceChange: AttendanceChange.objects.filter(
                    Q(attendance__session__in=sessions)
                    | Q(supported_by=resident)
                    | Q(attendance__supported_by=resident)
                ).exclude(attendance__resident=resident),
            },
        )

    def first_recorded(self, resident: Resident):
        dates = [
            resident.waiting_list_entries.aggregate(day=Min("referred_on"))["day"],
            resident.enrolments.aggregate(day=Min("enrolled_on"))["day"],
        ]
        return min((day for day in dates if day), default=None)

    def home_figures(self, *, wings: list, user, today, span) -> list[Figure]:
        return home_figures(wings=wings, user=user, today=today, span=span)

    def home_panels(self, *, wing, user, today, span) -> list[HomePanel]:
        if not user.has_perm("programme.view_suggestion"):
            return []
        latest = selectors.you_said_we_did(wing=wing)[:1]
        url = reverse("programme:you_said_we_did")
        return [HomePanel("You said, we did", "programme/_home_you_said.html", {"latest": latest}, url=url)]


def home_figures(*, wings: list, user, today, span: Span) -> list[Figure]:
    """The wing's programme: the waiting list and cohorts now, and attendance, community
    hours and meeting actions within the span. One grouped query for each kind of record."""
    statuses = {status.value: Count("resident", distinct=True, filter=Q(status=status)) for status in OPEN_WAITING}
    waiting = {
        row.pop("resident__wing"): row
        for row in WaitingListEntry.objects.open()
        .filter(resident__wing__in=wings, resident__departed_on__isnull=True)
        .values("resident__wing")
        .annotate(people=Count("resident", distinct=True), **statuses)
        .order_by()
    }
    cohorts = {
        row.pop("wing"): row
        for row in Cohort.objects.filter(wing__in=wings, status=CohortStatus.RUNNING)
        .values("wing")
        .annotate(
            cohorts=Count("pk", distinct=True),
            residents=Count(
                "enrolments__resident", distinct=True, filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)
            ),
            phase_2=Count(
                "enrolments__resident",
                distinct=True,
                filter=Q(enrolments__status=EnrolmentStatus.ENROLLED, phase=Phase.PHASE_2),
            ),
        )
        .order_by()
    }
    marks = selectors.rates_by_wing(wings=wings, session__on__gte=span.start, session__on__lte=span.end)
    overall = selectors.rates_by_wing(wings=wings, session__cohort__status=CohortStatus.RUNNING, session__on__lte=today)
    held = {
        row["cohort__wing"]: row["sessions"]
        for row in Session.objects.held(today=span.end)
        .filter(cohort__wing__in=wings, on__gte=span.start)
        .values("cohort__wing")
        .annotate(sessions=Count("pk"))
        .order_by()
    }
    hours = {
        row["project__wing"]: row["hours"]
        for row in ProjectHours.objects.filter(project__wing__in=wings, on__gte=span.start, on__lte=span.end)
        .values("project__wing")
        .annotate(hours=Sum("hours"))
        .order_by()
    }
    weekly = {
        setting.wing_id: setting.weekly_hours
        for setting in PhaseSettings.objects.filter(wing__in=wings, phase=Phase.PHASE_2)
    }
    default_weekly = PHASE_DEFAULTS[Phase.PHASE_2]["weekly_hours"]
    actions = {
        row.pop("meeting__wing"): row
        for row in Action.objects.open()
        .filter(meeting__wing__in=wings)
        .values("meeting__wing")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
        .order_by()
    }
    suggestions = {
        row.pop("wing"): row
        for row in Suggestion.objects.filter(wing__in=wings)
        .filter(Q(received_on__gte=span.start, received_on__lte=span.end) | Q(answer=""))
        .values("wing")
        .annotate(
            received=Count("pk", filter=Q(received_on__gte=span.start, received_on__lte=span.end)),
            unanswered=Count("pk", filter=Q(answer="")),
        )
        .order_by()
    }
    can_see = user.has_perm("programme.view_cohort")
    suggestions_url = reverse("programme:suggestions") if user.has_perm("programme.view_suggestion") else ""
    waiting_url = reverse("programme:waiting_list") if user.has_perm("programme.view_waitinglistentry") else ""
    meetings_url = reverse("programme:meetings") if user.has_perm("programme.view_meeting") else ""
    projects_url = reverse("programme:projects") if user.has_perm("programme.view_project") else ""
    cohorts_url = reverse("programme:index") if can_see else ""
    waiting_total = "Waiting for a phase"
    figures = [
        Figure("Waiting list", waiting_total, {w: row["people"] for w, row in waiting.items()}, url=waiting_url),
    ]
    for status in OPEN_WAITING:
        figures.append(
            Figure(
                "Waiting list",
                status.label,
                {w: row[status.value] for w, row in waiting.items()},
                url=f"{waiting_url}?status={status.value}" if waiting_url else "",
                part_of=waiting_total,
            )
        )
    # A place is counted for each phase a resident attends: a running cohort's residents.
    target = {
        wing.pk: round(cohorts.get(wing.pk, {}).get("phase_2", 0) * weekly.get(wing.pk, default_weekly) * span.days / 7)
        for wing in wings
        if weekly.get(wing.pk, default_weekly)
    }
    group = "Cohorts"
    figures += [
        Figure(group, "Cohorts running", {w: row["cohorts"] for w, row in cohorts.items()}, url=cohorts_url),
        Figure(
            group, "Residents in a running cohort", {w: row["residents"] for w, row in cohorts.items()}, url=cohorts_url
        ),
        Figure(group, "Sessions held", held, url=cohorts_url, hint=span.label.lower()),
        _attended(group, "Attended", marks, url=cohorts_url, hint=span.label.lower()),
        _attended(group, "Attended since the running cohorts began", overall, url=cohorts_url),
        Figure(
            "Community projects",
            "Community hours given",
            {w: round(value or 0) for w, value in hours.items()},
            url=projects_url,
            of=target,
            of_label="hours the Phase 2 target asks",
            hint=span.label.lower(),
        ),
        Figure(
            "Meetings",
            "Actions open",
            {w: row["open"] for w, row in actions.items()},
            url=meetings_url,
        ),
        Figure("Meetings", "Of them overdue", {w: row["overdue"] for w, row in actions.items()}, url=meetings_url),
        Figure(
            "Meetings",
            "Suggestions received",
            {w: row["received"] for w, row in suggestions.items()},
            url=suggestions_url,
            hint=span.label.lower(),
        ),
        Figure(
            "Meetings",
            "Suggestions waiting for an answer",
            {w: row["unanswered"] for w, row in suggestions.items()},
            url=suggestions_url,
        ),
    ]
    return figures


def _attended(group: str, label: str, rates: dict[int, Rate], **shown) -> Figure:
    """Attendance as a rate figure: marked present, out of the marks that count."""
    attended = {wing: rate.attended for wing, rate in rates.items()}
    counted = {wing: rate.counted for wing, rate in rates.items()}
    return Figure(group, label, attended, of=counted, of_label="places to attend", **shown)
