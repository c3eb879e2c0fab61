"""The social-capital grid (the study's Figure 1.8): three sources of social capital, two
stages each, every stage a question a wing can answer for a period, and beside each the
figures from the wing's own records that bear on it.

The figures are counted in the database, one query per source of records, whatever the
number of cohorts, sessions or meetings in the period.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from programme.models import Answer, Cohort, CohortStatus, Meeting, MeetingKind, Session, Suggestion
from programme.selectors import Rate, held_marks_rate


@dataclass(frozen=True)
class Stage:
    number: int
    question: str


@dataclass(frozen=True)
class Source:
    letter: str
    level: str
    kind: str
    setting: str
    stages: tuple[Stage, ...]

    @property
    def heading(self) -> str:
        return f"{self.letter}: {self.level} — {self.kind}"


SOURCES = (
    Source(
        "A",
        "Micro level",
        "relational or bonding social capital",
        "between individuals: relationships and close friendships",
        (
            Stage(
                1,
                "Do residents meet regularly in groups doing meaningful, strength-based activity, "
                "where friendships can grow across the wing?",
            ),
            Stage(
                2,
                "Do residents take part in reflective, problem-solving and capacity-building work "
                "in a group they trust?",
            ),
        ),
    ),
    Source(
        "B",
        "Meso level",
        "cognitive or bridging social capital",
        "within the wing community",
        (
            Stage(3, "Do residents help deliver the wing's activities as trusted members of its community?"),
            Stage(
                4,
                "Do residents put forward and argue for the community's own ideas, preferences and "
                "solutions where the wing's practice is decided?",
            ),
        ),
    ),
    Source(
        "C",
        "Macro level",
        "structural or linking social capital",
        "wider settings where decisions are influenced and change is made",
        (
            Stage(
                5, "Do residents carry the wing community's aspirations into decision-making across the whole prison?"
            ),
            Stage(6, "Do residents speak for the lived experience of people serving sentences beyond this prison?"),
        ),
    ),
)

STAGES = {stage.number: stage for source in SOURCES for stage in source.stages}


@dataclass(frozen=True)
class Figure:
    """One figure from the records: what it counts and the count (or rate)."""

    label: str
    value: int | Rate


def evidence(*, wing_id: int, starts_on: date, ends_on: date) -> dict[int, list[Figure]]:
    """For each stage, the figures the wing's records hold for the period (inclusive)."""
    cohorts = Cohort.objects.filter(wing=wing_id, starts_on__lte=ends_on, ends_on__gte=starts_on).exclude(
        status=CohortStatus.CANCELLED
    )
    running = cohorts.aggregate(
        phase_1=Count("pk", filter=Q(phase="phase_1")), phase_2=Count("pk", filter=Q(phase="phase_2"))
    )
    held = Session.objects.filter(cohort__wing=wing_id, on__range=(starts_on, ends_on), cancel_reason="")
    sessions = held.aggregate(
        held=Count("pk", distinct=True),
        with_mentor=Count("pk", filter=Q(co_delivered_by__isnull=False), distinct=True),
        mentors=Count("co_delivered_by", distinct=True),
        reflection=Count("pk", filter=Q(topic="self_reflection"), distinct=True),
        reflection_with_mentor=Count(
            "pk", filter=Q(topic="self_reflection", co_delivered_by__isnull=False), distinct=True
        ),
    )
    attached = cohorts.aggregate(mentors=Count("peer_mentors", distinct=True))["mentors"]
    taken = Suggestion.objects.filter(
        wing=wing_id,
        meeting__kind__in=[MeetingKind.HIG, MeetingKind.FORUM],
        meeting__held_on__range=(starts_on, ends_on),
    ).aggregate(
        taken=Count("pk"),
        adopted=Count("pk", filter=Q(answer=Answer.ADOPTED)),
        adapted=Count("pk", filter=Q(answer=Answer.ADAPTED)),
    )
    meetings = Meeting.objects.filter(wing=wing_id, held_on__range=(starts_on, ends_on)).aggregate(
        council=Count("pk", filter=Q(kind=MeetingKind.COUNCIL), distinct=True),
        council_attended=Count("pk", filter=Q(kind=MeetingKind.COUNCIL, attendees__isnull=False), distinct=True),
        council_mentor=Count("pk", filter=Q(kind=MeetingKind.COUNCIL, attendees__as_peer_mentor=True), distinct=True),
        beyond=Count("pk", filter=Q(kind=MeetingKind.BEYOND, attendees__isnull=False), distinct=True),
    )
    rate = held_marks_rate(session__in=held)
    return {
        1: [
            Figure("Phase 1 cohorts running", running["phase_1"]),
            Figure("Phase 2 cohorts running", running["phase_2"]),
            Figure("Attendance at sessions held", rate),
        ],
        2: [
            Figure("Self-reflection sessions held", sessions["reflection"]),
            Figure("of them with a peer mentor co-delivering", sessions["reflection_with_mentor"]),
        ],
        3: [
            Figure("Sessions held with a peer mentor co-delivering", sessions["with_mentor"]),
            Figure("Peer mentors who co-delivered a session", sessions["mentors"]),
            Figure("Peer mentors attached to a cohort", attached),
        ],
        4: [
            Figure("Suggestions taken to the HiG or a wing forum", taken["taken"]),
            Figure("of them adopted", taken["adopted"]),
            Figure("of them adapted", taken["adapted"]),
        ],
        5: [
            Figure("Prisoner Council meetings", meetings["council"]),
            Figure("with a wing resident present", meetings["council_attended"]),
            Figure("with a peer mentor present as one", meetings["council_mentor"]),
        ],
        6: [Figure("Forums beyond the prison with a wing resident present", meetings["beyond"])],
    }
