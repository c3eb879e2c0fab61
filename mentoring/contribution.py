"""Mentoring's part of the resident contract (``residents.contract``): peer roles end when
the resident leaves; roles, training and supervision join the resident's timeline and page;
subject access and anonymisation reach every mentoring record about the person; and the
home page counts the wing's peer mentors and their work. Declared on MentoringConfig."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse

from hamlet.access import IDENTITIES
from hamlet.contributions import Figure, HomePanel, Span
from hamlet.disclosure import shown_count
from hamlet.models import display_name
from mentoring.models import (
    Candidate,
    Interview,
    MentorContact,
    NextStep,
    Nomination,
    RecruitmentRound,
    RoleHolding,
    SupervisionSession,
    TrainingRecord,
    TrainingStatus,
)
from mentoring.selectors import (
    current_mentors,
    start_of,
    succession,
    supervision_due_between,
    supervision_intervals,
    with_supervision,
)
from mentoring.services import end_roles_on_departure
from residents.audit import record_listing
from residents.contract import Anonymisation, Panel, ResidentContribution, SubjectAccess, TimelineEvent
from residents.models import Resident
from residents.subject_access import readable


class MentoringContribution(ResidentContribution):
    def on_departure(self, *, resident: Resident, departed_on, reason, by) -> None:
        end_roles_on_departure(resident=resident, departed_on=departed_on, reason=reason, by=by)

    def panel(self, resident: Resident, user) -> Panel | None:
        if not user.has_perm("mentoring.view_roleholding"):
            return None
        holdings = list(resident.role_holdings.select_related("role"))
        return Panel("Peer roles", "mentoring/_resident_panel.html", {"holdings": holdings})

    def timeline(self, resident: Resident) -> list[TimelineEvent]:
        return timeline_events(resident)

    def subject_access(self, resident: Resident) -> SubjectAccess:
        return subject_access(resident)

    def anonymise(self, resident: Resident) -> Anonymisation:
        return Anonymisation(own=records_about(resident))

    def first_recorded(self, resident: Resident):
        return resident.role_holdings.aggregate(day=Min("started_on"))["day"]

    def home_figures(self, *, wings: list, user, today, span) -> list[Figure]:
        return home_figures(wings=wings, user=user, today=today, span=span)

    def home_panels(self, *, wing, user, today, span) -> list[HomePanel]:
        return [succession_panel(wing=wing, user=user)] if wing is not None else []


def _name(user) -> str:
    return display_name(user) if user else ""


def timeline_events(resident: Resident) -> list[TimelineEvent]:
    """Roles begun and ended, training, and supervision, on the resident's one timeline."""
    events = []
    for holding in resident.role_holdings.select_related("role"):
        events.append(TimelineEvent(holding.started_on, f"Began as {holding.role.title}", order=3))
        if holding.ended_on:
            title = f"Ended as {holding.role.title}: {holding.get_end_reason_display().lower()}"
            events.append(TimelineEvent(holding.ended_on, title, description=holding.end_note, order=8))
    for record in resident.training.select_related("qualification"):
        if record.started_on:
            events.append(TimelineEvent(record.started_on, f"Began training: {record.qualification.name}", order=4))
        if record.completed_on:
            title = f"Training {record.get_status_display().lower()}: {record.qualification.name}"
            events.append(TimelineEvent(record.completed_on, title, order=5))
    for session in resident.supervision_sessions.select_related("supervisor"):
        title = f"Supervision ({session.get_kind_display().lower()})"
        events.append(TimelineEvent(session.held_on, title, _name(session.supervisor), order=6))
    return events


def home_figures(*, wings: list, user, today: date, span: Span) -> list[Figure]:
    """The wings' peer mentors, their work, supervision, recruitment and training: one
    grouped query for each kind of record, whatever the number of wings. Figures about a
    stretch of time count within ``span``; the others are about ``today``."""
    first, last = span.start, span.end
    holders = {
        row["resident__wing"]: row["people"]
        for row in RoleHolding.objects.current()
        .filter(resident__wing__in=wings, resident__departed_on__isnull=True)
        .values("resident__wing")
        .annotate(people=Count("resident", distinct=True))
        .order_by()
    }
    contacts = {
        row["mentor__wing"]: row
        # A range of times (midnight here to midnight here) rather than the date of each
        # contact, so the index on the time serves it.
        for row in MentorContact.objects.filter(mentor__wing__in=wings)
        .filter(occurred_at__gte=start_of(first), occurred_at__lt=start_of(last + timedelta(days=1)))
        .values("mentor__wing")
        .annotate(
            contacts=Count("pk"),
            mentors=Count("mentor", distinct=True),
            out_of_hours=Count("pk", filter=Q(out_of_hours=True)),
        )
        .order_by()
    }
    intervals = supervision_intervals(wings)
    supervision = {
        row["wing"]: row
        for row in with_supervision(current_mentors().filter(wing__in=wings))
        .values("wing")
        .annotate(
            overdue=Count("pk", filter=supervision_due_between(None, today - timedelta(days=1), intervals=intervals)),
            due_soon=Count("pk", filter=supervision_due_between(today, today + DUE_SOON, intervals=intervals)),
        )
        .order_by()
    }
    sessions = {
        row["mentor__wing"]: row["sessions"]
        for row in SupervisionSession.objects.filter(mentor__wing__in=wings, held_on__range=(first, last))
        .values("mentor__wing")
        .annotate(sessions=Count("pk"))
        .order_by()
    }
    # A candidate who has left the wing is no longer waiting for anything.
    waiting = Q(candidates__decision="", candidates__resident__departed_on__isnull=True)
    recruitment = {
        row["wing"]: row
        for row in RecruitmentRound.objects.filter(wing__in=wings, closed_on__isnull=True)
        .values("wing")
        .annotate(rounds=Count("pk", distinct=True), waiting=Count("candidates", filter=waiting, distinct=True))
        .order_by()
    }
    training = {
        row["resident__wing"]: row
        for row in TrainingRecord.objects.filter(resident__wing__in=wings)
        .values("resident__wing")
        .annotate(
            in_progress=Count("pk", filter=Q(status=TrainingStatus.IN_PROGRESS, resident__departed_on__isnull=True)),
            # As for accreditation evidence: the hours of training achieved, here within the span.
            hours=Sum("learning_hours", filter=Q(status=TrainingStatus.ACHIEVED, completed_on__range=(first, last))),
        )
        .order_by()
    }

    def each(rows: dict, key: str) -> dict[int, int]:
        # Whole numbers, as figures are: 12.5 learning hours show as 13, not as Python's 12.
        return {
            wing: int(Decimal(row[key] or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for wing, row in rows.items()
        }

    catalogue = reverse("mentoring:index") if user.has_perm("mentoring.view_roleholding") else ""
    workload = reverse("mentoring:workload") if user.has_perm("mentoring.view_workload") else ""
    rounds = reverse("mentoring:rounds") if user.has_perm("mentoring.view_recruitmentround") else ""
    within = span.dates
    mentors, supervised, recruiting, trained = "Peer mentors", "Supervision", "Recruitment", "Training"
    return [
        Figure(mentors, "Residents in a peer role", holders, url=catalogue, hint="now"),
        Figure(mentors, "Mentors who logged a contact", each(contacts, "mentors"), url=workload, hint=within),
        Figure(mentors, "Mentor contacts", each(contacts, "contacts"), url=workload, hint=within),
        Figure(
            mentors,
            "Contacts out of hours",
            each(contacts, "out_of_hours"),
            url=workload,
            hint="outside the wing's core day",
            of=each(contacts, "contacts"),
            of_label="contacts",
        ),
        Figure(supervised, "Supervision sessions held", sessions, url=workload, hint=within),
        Figure(
            supervised,
            "Mentors overdue for supervision",
            each(supervision, "overdue"),
            url=workload,
            hint="by the interval the wing agreed",
        ),
        Figure(
            supervised,
            "Mentors due supervision within 7 days",
            each(supervision, "due_soon"),
            url=workload,
            hint=f"today to {today + DUE_SOON:%-d %B}",
        ),
        Figure(recruiting, "Rounds open", each(recruitment, "rounds"), url=rounds, hint="now"),
        Figure(recruiting, "Candidates awaiting a decision", each(recruitment, "waiting"), url=rounds),
        Figure(trained, "Training in progress", each(training, "in_progress"), url=workload, hint="records, now"),
        Figure(
            trained,
            "Learning hours achieved",
            each(training, "hours"),
            url=workload,
            hint=f"of training completed, {within}",
        ),
    ]


# "Due within 7 days": from today to a week today.
DUE_SOON = timedelta(days=7)


def succession_panel(*, wing, user) -> HomePanel:
    """Succession for each CFO peer role on the wing. Residents are named only to readers who
    may see identities, and a dashboard that names them is an access event like any list."""
    rows = succession(wing=wing, user=user)
    named = [person for row in rows for person in (*row.holders, *row.reserves)]
    if named:
        record_listing(user=user, residents=named, how="dashboard succession")
    rounds = reverse("mentoring:rounds") if user.has_perm("mentoring.view_recruitmentround") else ""
    # Pseudonymised readers see a count from 1 to 4 as "fewer than 5", as everywhere on the dashboard.
    suppress = not user.has_perm(IDENTITIES)
    shown = [
        (row, shown_count(row.holder_count, suppress=suppress), shown_count(row.reserve_count, suppress=suppress))
        for row in rows
    ]
    context = {"rows": shown, "wing": wing, "names": not suppress}
    return HomePanel("Succession", "mentoring/_home_succession.html", context, url=rounds)


def subject_access(resident: Resident) -> SubjectAccess:
    """What mentoring holds about a resident, for a subject access request. Other residents
    named in these records (mentors, mentees, nominees, nominators) are third parties, so only
    this resident's side is given."""
    as_mentor = list(resident.mentor_contacts.all())
    as_mentee = list(MentorContact.objects.filter(mentee=resident))
    about = list(Nomination.objects.filter(candidate__resident=resident).select_related("candidate__round__role"))
    made = list(Nomination.objects.filter(by=resident).select_related("candidate__round__role"))
    interviews = list(
        Interview.objects.filter(candidate__resident=resident)
        .select_related("candidate__round__role")
        .prefetch_related("interviewers")
    )
    records = {
        RoleHolding: list(resident.role_holdings.select_related("role")),
        TrainingRecord: list(resident.training.select_related("qualification", "provider")),
        SupervisionSession: list(resident.supervision_sessions.select_related("supervisor")),
        MentorContact: as_mentor + as_mentee,
        NextStep: list(resident.next_steps.select_related("target_role")),
        Candidate: list(resident.candidacies.select_related("round__role")),
        Nomination: about + made,
        Interview: interviews,
    }
    voice = {"candidate", "by"}
    sections = {
        "peer roles": [readable(row, exclude={"resident"}) for row in records[RoleHolding]],
        "training": [readable(row, exclude={"resident"}) for row in records[TrainingRecord]],
        "supervision": [readable(row, exclude={"mentor"}) for row in records[SupervisionSession]],
        "contacts as a mentor": [readable(row, exclude={"mentor", "mentee"}) for row in as_mentor],
        "contacts as a mentee": [readable(row, exclude={"mentor", "mentee"}) for row in as_mentee],
        "next steps": [readable(row, exclude={"resident"}) for row in records[NextStep]],
        "recruitment": [
            {"role": str(row.round.role), **readable(row, exclude={"round", "resident"})} for row in records[Candidate]
        ],
        "interviews": [
            {
                "role": str(row.candidate.round.role),
                **readable(row, exclude={"candidate"}),
                "interviewers": [display_name(user) for user in row.interviewers.all()],
            }
            for row in interviews
        ],
        "nominations and endorsements of them": [
            {"role": str(row.candidate.round.role), "by": "another resident", **readable(row, exclude=voice)}
            for row in about
        ],
        "nominations and endorsements they made": [
            {"role": str(row.candidate.round.role), "of": "another resident", **readable(row, exclude=voice)}
            for row in made
        ],
    }
    return SubjectAccess(sections=sections, records=records)


def records_about(resident: Resident) -> dict:
    """Every mentoring record about the person, as mentor, mentee, candidate, nominee or
    nominator: each belongs to them (a contact's mentee is named only on that contact)."""
    return {
        RoleHolding: RoleHolding.objects.filter(resident=resident),
        TrainingRecord: TrainingRecord.objects.filter(resident=resident),
        SupervisionSession: SupervisionSession.objects.filter(mentor=resident),
        MentorContact: MentorContact.objects.filter(Q(mentor=resident) | Q(mentee=resident)),
        NextStep: NextStep.objects.filter(resident=resident),
        Candidate: Candidate.objects.filter(resident=resident),
        Nomination: Nomination.objects.filter(Q(by=resident) | Q(candidate__resident=resident)),
        Interview: Interview.objects.filter(candidate__resident=resident),
    }
