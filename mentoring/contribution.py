"""Mentoring's part of the resident contract (``residents.contract``): peer roles end when
the resident leaves; roles, training and supervision join the resident's timeline and page;
subject access and anonymisation reach every mentoring record about the person; and the
home page counts the wing's peer mentors and their work. Declared on MentoringConfig."""

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse

from hamlet.contributions import Figure
from hamlet.models import display_name
from mentoring.models import (
    Candidate,
    Interview,
    MentorContact,
    NextStep,
    Nomination,
    RoleHolding,
    SupervisionSession,
    TrainingRecord,
)
from mentoring.selectors import start_of
from mentoring.services import end_roles_on_departure
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
        return home_figures(wings=wings, today=today, user=user)


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


def home_figures(*, wings: list, today, user) -> list[Figure]:
    """The wing's peer mentors and their work: one grouped query per figure."""
    week_start = today - timedelta(days=today.weekday())
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
        # A range of times rather than the date of each contact, so the index on the time serves it.
        for row in MentorContact.objects.filter(mentor__wing__in=wings)
        .filter(occurred_at__gte=start_of(week_start), occurred_at__lt=start_of(today + timedelta(days=1)))
        .values("mentor__wing")
        .annotate(contacts=Count("pk"), out_of_hours=Count("pk", filter=Q(out_of_hours=True)))
        .order_by()
    }
    supervision = {
        row["mentor__wing"]: row["sessions"]
        for row in SupervisionSession.objects.filter(
            mentor__wing__in=wings, held_on__gte=today.replace(day=1), held_on__lte=today
        )
        .values("mentor__wing")
        .annotate(sessions=Count("pk"))
        .order_by()
    }
    group = "Peer mentors"
    mentors = reverse("mentoring:index") if user.has_perm("mentoring.view_roleholding") else ""
    since = f"since Monday {week_start:%-d %B}"
    return [
        Figure(group, "Residents in a peer role", holders, url=mentors),
        Figure(group, "Mentor contacts this week", {w: r["contacts"] for w, r in contacts.items()}, hint=since),
        Figure(group, "Of them out of hours", {w: r["out_of_hours"] for w, r in contacts.items()}, hint=since),
        Figure(group, "Supervision sessions this month", supervision),
    ]


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
