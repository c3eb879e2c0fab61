"""Reads for the mentoring pages: who the mentors are, what a mentor's and a round's pages
show, and how the mentors' load looks. Residents named on a page about someone else go
through ``residents.selectors.nameable``."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from hamlet.access import IDENTITIES
from hamlet.models import Wing
from hamlet.subqueries import per_row
from mentoring.models import (
    Candidate,
    Decision,
    MentorContact,
    MentoringSettings,
    Nomination,
    PeerRole,
    RecruitmentRound,
    RoleHolding,
    SupervisionSession,
    TrainingRecord,
    TrainingStatus,
)
from residents.models import Resident
from residents.selectors import nameable, visible_ids


def start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` here (Europe/London), for ranges of times an index serves."""
    return timezone.make_aware(datetime.combine(day, time.min))


def current_mentors() -> QuerySet[Resident]:
    """Residents on a wing now who hold a CFO peer role now (every wing: filter by wing)."""
    holds_cfo_role = RoleHolding.objects.current().filter(resident=OuterRef("pk"), role__is_cfo_role=True)
    return Resident.objects.current().filter(Exists(holds_cfo_role))


def mentors_on(wing: Wing, user) -> QuerySet[Resident]:
    """Residents on the wing now who hold a CFO peer role now."""
    return current_mentors().visible_to(user).on_wing(wing)


# When supervision is due: one rule, for the workload page (mentor by mentor, in Python) and the
# dashboards (counted across wings in the database), both from the annotations of ``with_supervision``.


def with_supervision(mentors: QuerySet[Resident]) -> QuerySet[Resident]:
    """``mentors`` with ``last_supervision`` and ``next_supervision_due`` (from the latest
    session) and ``mentor_since`` (when they took their current CFO role)."""
    latest = SupervisionSession.objects.filter(mentor=OuterRef("pk")).order_by("-held_on", "-pk")
    cfo_roles = RoleHolding.objects.current().filter(role__is_cfo_role=True)
    return mentors.annotate(
        last_supervision=Subquery(latest.values("held_on")[:1]),
        next_supervision_due=Subquery(latest.values("next_due")[:1]),
        mentor_since=per_row(cfo_roles, "resident", Min("started_on")),
    )


def supervision_due_on(*, next_due: date | None, mentor_since: date, interval_days: int) -> date:
    """When a mentor's supervision is due: the date the latest session set for the next one,
    or, before any session, the wing's agreed interval after they took the role (a new mentor
    is not overdue on day one). Overdue once that day has passed."""
    return next_due or mentor_since + timedelta(days=interval_days)


def supervision_due_between(first: date | None, last: date, *, intervals: dict[int, int]) -> Q:
    """Mentors annotated by ``with_supervision`` whose supervision falls due (as
    ``supervision_due_on`` decides) from ``first`` to ``last`` inclusive, or by ``last`` if
    ``first`` is None; ``intervals`` is each wing's agreed interval in days (``supervision_intervals``).
    Without a session the due date is the start plus the interval, so the start is compared with
    the range moved back by the interval: no date arithmetic in SQL, which SQLite lacks."""
    after_a_session = Q(next_supervision_due__isnull=False, next_supervision_due__lte=last)
    if first:
        after_a_session &= Q(next_supervision_due__gte=first)
    wings_by_interval: dict[int, list[int]] = defaultdict(list)
    for wing_id, days in intervals.items():
        wings_by_interval[days].append(wing_id)
    due = after_a_session
    for days, wing_ids in wings_by_interval.items():
        started = Q(mentor_since__lte=last - timedelta(days=days))
        if first:
            started &= Q(mentor_since__gte=first - timedelta(days=days))
        due |= Q(next_supervision_due__isnull=True, wing__in=wing_ids) & started
    return due


def supervision_intervals(wings: list[Wing]) -> dict[int, int]:
    """Each wing's agreed supervision interval in days; the default where none is saved yet."""
    default = MentoringSettings._meta.get_field("supervision_interval_days").default
    saved = MentoringSettings.objects.filter(wing__in=wings).values_list("wing", "supervision_interval_days")
    return {wing.pk: default for wing in wings} | dict(saved)


def mentor_page(*, mentor: Resident, user) -> dict[str, Any]:
    """What a mentor's page shows. A mentee the user may not name is left unnamed."""
    training = list(mentor.training.select_related("qualification", "provider"))
    contacts = list(mentor.mentor_contacts.select_related("mentee")[:20])
    named = visible_ids(user=user, ids={contact.mentee_id for contact in contacts if contact.mentee_id})
    for contact in contacts:
        if contact.mentee_id not in named:
            contact.mentee = None
        contact.correctable = contact.correctable_by(user)  # "Change" and "Remove" beside it
    return {
        "holdings": list(mentor.role_holdings.select_related("role")),
        "pathway": list(PeerRole.objects.filter(establishment=mentor.establishment_id).pathway()),
        "training": training,
        # Accreditation evidence counts hours of training achieved.
        "learning_hours": sum((r.learning_hours for r in training if r.status == "achieved"), Decimal(0)),
        "supervision": list(mentor.supervision_sessions.select_related("supervisor", "hand_back_dealt_with_by")[:10]),
        "next_step": mentor.next_steps.select_related("target_role", "recorded_by").first(),
        "contacts": contacts,
        # A mentor's forms are offered only while they hold a peer role.
        "is_mentor": holds_a_role(mentor, timezone.localdate()),
    }


def rounds_on(*, wing: Wing, user) -> QuerySet[RecruitmentRound]:
    """The wing's recruitment rounds, each counting only the candidates the user may name."""
    return (
        RecruitmentRound.objects.visible_to(user)
        .filter(wing=wing)
        .select_related("role")
        .annotate(candidate_count=Count("candidates", filter=Q(candidates__resident__in=nameable(user=user))))
    )


def round_candidates(*, round: RecruitmentRound, user) -> tuple[list[Candidate], list[Resident]]:
    """The round's candidates the user may name, with their residents' voices, and everyone
    the page names. A voice from a resident the user may not name shows as "another resident"."""
    candidates = list(
        round.candidates.visible_to(user)
        .select_related("resident", "interview")
        .prefetch_related(
            Prefetch("nominations", queryset=Nomination.objects.select_related("by")), "interview__interviewers"
        )
    )
    voices = [voice for candidate in candidates for voice in candidate.nominations.all()]
    named = visible_ids(user=user, ids={voice.by_id for voice in voices})
    for voice in voices:
        voice.shown_by = voice.by.pseudonym if voice.by_id in named else "another resident"
    residents = {candidate.resident for candidate in candidates} | {
        voice.by for voice in voices if voice.by_id in named
    }
    return candidates, list(residents)


def undecided(*, round: RecruitmentRound, user) -> list[Candidate]:
    """The round's candidates the user may name who have no decision yet."""
    return list(round.candidates.visible_to(user).filter(decision="").select_related("resident"))


def training_on(*, wing: Wing, user) -> list[TrainingRecord]:
    """Every training record of the wing's residents the user may name, for accreditation evidence."""
    return list(
        TrainingRecord.objects.visible_to(user)
        .filter(resident__in=nameable(user=user).filter(wing=wing))
        .select_related("resident", "qualification", "provider")
        .order_by("resident__pseudonym", "-completed_on")
    )


# A share of contacts out of hours means little over a handful: below this many contacts
# in the week, only the number of contacts can flag overload.
SHARE_NEEDS_CONTACTS = 5


@dataclass
class MentorLoad:
    mentor: Resident
    contacts_week: int
    contacts_four_weeks: int
    out_of_hours_week: int
    last_contact: datetime | None
    last_supervision: date | None
    next_supervision_due: date | None
    achieved: int
    in_progress: int
    quiet_for: int
    quiet: bool
    supervision_overdue: bool
    overloaded: bool
    # What the mentor handed back to staff at supervision, not yet dealt with, oldest first.
    hand_backs: list[str] = field(default_factory=list)

    @property
    def no_supervision_yet(self) -> bool:
        """A mentor newly in the role whom no one has supervised yet."""
        return self.last_supervision is None

    @property
    def no_training(self) -> bool:
        """No training achieved or under way: a mentor working without it."""
        return not (self.achieved or self.in_progress)

    @property
    def out_of_hours_percent(self) -> int:
        return round(100 * self.out_of_hours_week / self.contacts_week) if self.contacts_week else 0

    @property
    def flagged(self) -> bool:
        return self.quiet or self.supervision_overdue or self.overloaded or self.no_supervision_yet or self.no_training


def mentor_workload(wing: Wing, user, today: date, rules: MentoringSettings | None = None) -> list[MentorLoad]:
    """Every current mentor's week, month, supervision and training, with the three flags
    of the study's wellbeing concerns. One query, however many mentors and contacts.

    Supervision is overdue once the day it is due has passed (``supervision_due_on``).
    """
    rules = rules or MentoringSettings.for_wing(wing)
    week_start, four_weeks_start = start_of(today - timedelta(days=6)), start_of(today - timedelta(days=27))
    # Each figure in its own subquery: joining contacts, training and roles before counting
    # multiplied them together (see hamlet.subqueries).
    contacts, training = MentorContact.objects.all(), TrainingRecord.objects.all()
    week = contacts.filter(occurred_at__gte=week_start)
    mentors = with_supervision(mentors_on(wing, user)).annotate(
        contacts_week=per_row(week, "mentor", Count("pk"), 0),
        out_of_hours_week=per_row(week.filter(out_of_hours=True), "mentor", Count("pk"), 0),
        contacts_four_weeks=per_row(contacts.filter(occurred_at__gte=four_weeks_start), "mentor", Count("pk"), 0),
        # The latest by the index on (mentor, when), not a Max over every contact.
        last_contact=Subquery(
            contacts.filter(mentor=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
        ),
        achieved=per_row(training.filter(status=TrainingStatus.ACHIEVED), "resident", Count("pk"), 0),
        in_progress=per_row(training.filter(status=TrainingStatus.IN_PROGRESS), "resident", Count("pk"), 0),
    )
    mentors = list(mentors.order_by("pseudonym"))
    hand_backs = defaultdict(list)
    for mentor_id, text in (
        SupervisionSession.objects.filter(mentor__in=mentors, hand_back_dealt_with_on__isnull=True)
        .exclude(hand_back="")
        .order_by("held_on", "pk")
        .values_list("mentor_id", "hand_back")
    ):
        hand_backs[mentor_id].append(text)
    loads = []
    for mentor in mentors:
        # A new mentor is not quiet or overdue on day one: the clock starts with the role.
        last_active = timezone.localdate(mentor.last_contact) if mentor.last_contact else mentor.mentor_since
        supervision_due = supervision_due_on(
            next_due=mentor.next_supervision_due,
            mentor_since=mentor.mentor_since,
            interval_days=rules.supervision_interval_days,
        )
        share = 100 * mentor.out_of_hours_week / mentor.contacts_week if mentor.contacts_week else 0
        loads.append(
            MentorLoad(
                mentor=mentor,
                contacts_week=mentor.contacts_week,
                contacts_four_weeks=mentor.contacts_four_weeks,
                out_of_hours_week=mentor.out_of_hours_week,
                last_contact=mentor.last_contact,
                last_supervision=mentor.last_supervision,
                next_supervision_due=mentor.next_supervision_due,
                achieved=mentor.achieved,
                in_progress=mentor.in_progress,
                quiet_for=(today - last_active).days,
                quiet=(today - last_active).days >= rules.quiet_days,
                supervision_overdue=today > supervision_due,
                overloaded=mentor.contacts_week > rules.overload_contacts_per_week
                or (mentor.contacts_week >= SHARE_NEEDS_CONTACTS and share > rules.overload_out_of_hours_percent),
                hand_backs=hand_backs[mentor.pk],
            )
        )
    return loads


def holds_a_role(resident: Resident, on: date) -> bool:
    """Whether the resident held a peer role on ``on``: after it began, and not after it ended."""
    return (
        RoleHolding.objects.filter(resident=resident, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .exists()
    )


@dataclass
class Succession:
    """One CFO peer role's succession on a wing (the study's lesson 2.3): the places the wing
    means to fill, who holds the role, who is in reserve from recruitment, and when it was
    last recruited to. ``holders`` and ``reserves`` are the people the reader may name."""

    role: PeerRole
    holder_count: int
    reserve_count: int
    last_round: date | None
    open_rounds: int
    last_appointed: date | None
    holders: list[Resident] = field(default_factory=list)
    reserves: list[Resident] = field(default_factory=list)

    @property
    def places(self) -> int | None:
        return self.role.places

    @property
    def short(self) -> bool:
        """Fewer holders than places."""
        return self.places is not None and self.holder_count < self.places

    @property
    def uncovered(self) -> bool:
        """Short, with no one in reserve to step in: what succession planning is meant to prevent."""
        return self.short and not self.reserve_count


def succession(*, wing: Wing, user) -> list[Succession]:
    """Each CFO peer role of the wing's establishment (not retired) on the wing: four queries,
    five when the reader may see names. Reserves are candidates the panel decided to keep in
    reserve in a round for the role on this wing, still on the wing and not holding the role."""
    roles = list(
        PeerRole.objects.filter(establishment=wing.establishment_id, is_cfo_role=True, retired=False)
        .annotate(
            last_round=Max("rounds__opened_on", filter=Q(rounds__wing=wing)),
            open_rounds=Count("rounds", filter=Q(rounds__wing=wing, rounds__closed_on__isnull=True), distinct=True),
            last_appointed=Max(
                "rounds__candidates__decided_on",
                filter=Q(rounds__wing=wing, rounds__candidates__decision=Decision.APPOINTED),
            ),
        )
        .order_by("order", "title")
    )
    on_the_wing = Resident.objects.current().on_wing(wing)
    holders: dict[int, set[Resident]] = defaultdict(set)
    for holding in (
        RoleHolding.objects.current().filter(role__in=roles, resident__in=on_the_wing).select_related("resident")
    ):
        holders[holding.role_id].add(holding.resident)
    holds_it = RoleHolding.objects.current().filter(resident=OuterRef("resident"), role=OuterRef("round__role"))
    reserves: dict[int, set[Resident]] = defaultdict(set)
    for candidate in (
        Candidate.objects.filter(round__role__in=roles, round__wing=wing, decision=Decision.RESERVE)
        .filter(resident__in=on_the_wing)
        .exclude(Exists(holds_it))
        .select_related("resident", "round")
    ):
        reserves[candidate.round.role_id].add(candidate.resident)
    # Names only for readers who may see identities, and only of the records they may open.
    people = {person.pk for found in (*holders.values(), *reserves.values()) for person in found}
    named = visible_ids(user=user, ids=people) if people and user.has_perm(IDENTITIES) else set()

    def shown(found: set[Resident]) -> list[Resident]:
        return sorted((person for person in found if person.pk in named), key=lambda person: person.pseudonym)

    return [
        Succession(
            role,
            len(holders[role.pk]),
            len(reserves[role.pk]),
            role.last_round,
            role.open_rounds,
            role.last_appointed,
            shown(holders[role.pk]),
            shown(reserves[role.pk]),
        )
        for role in roles
    ]
