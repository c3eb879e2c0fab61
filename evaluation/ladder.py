"""The participation ladder (the study's Appendix 1): six rungs of residents' involvement in
running the wing, from none to resident-led, each described four ways — what it is, what it
looks like on a CFO wing, its key features, and what a CFO peer role's holders do at it — and
beside each role's rung the figures from the records that bear on it.

The figures are counted in the database: two queries for every role on the wing at once.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from mentoring.models import RoleHolding
from programme.models import MentorPart, Suggestion, SuggestionSource


@dataclass(frozen=True)
class Rung:
    number: int
    name: str
    on_the_wing: str
    features: str
    role_holders: str

    def __str__(self) -> str:
        return f"{self.number}: {self.name}"


RUNGS = (
    Rung(
        0,
        "Non-engagement",
        "Residents can take the programme or leave it.",
        "Activities are offered one way, from staff to residents.",
        "The role has no part here.",
    ),
    Rung(
        1,
        "Information",
        "Staff tell residents what is on offer.",
        "Residents hear about parts of the service, its changes and its activities.",
        "Staff pass the news to role holders, who spread it round the wing.",
    ),
    Rung(
        2,
        "Consultation",
        "Staff offer residents a choice between options.",
        "Residents are asked about parts of the service and give feedback, which staff may use to shape "
        "what is delivered.",
        "Role holders hand out feedback sheets, collect residents' preferences and pass them to staff.",
    ),
    Rung(
        3,
        "Participation",
        "Staff and residents decide together who does what, when, how and why.",
        "Residents share decisions, but staff still carry the ideas, the arrangements and the delivery.",
        "Role holders and staff agree something together; role holders encourage others to take part, "
        "gather and make sense of feedback, and present what they found to staff.",
    ),
    Rung(
        4,
        "Co-production",
        "Staff and residents develop, decide and deliver the programme together.",
        "Residents are equal partners: decisions are joint and everyone has an active part.",
        "Role holders design, send out, collect and analyse feedback, and choose with staff which "
        "preferences to act on.",
    ),
    Rung(
        5,
        "Resident-led",
        "Staff and residents work as colleagues, as equal as prison allows.",
        "Residents lead activities from start to finish and begin new ones alongside the core programme.",
        "Role holders bring staff an idea that speaks for residents' hopes and, with staff support, make "
        "it a new peer-led activity for the wing.",
    ),
)

RUNG_CHOICES = [(rung.number, str(rung)) for rung in RUNGS]


@dataclass(frozen=True)
class RoleFigures:
    holders: int = 0
    sessions_co_delivered: int = 0


def role_evidence(*, wing_id: int, establishment_id: int, starts_on: date, ends_on: date) -> dict[int, RoleFigures]:
    """For each role, how many residents held it in the period and how many sessions held on the
    wing in the period they co-delivered between them."""
    holdings = RoleHolding.objects.filter(role__establishment=establishment_id, started_on__lte=ends_on).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=starts_on)
    )
    delivered = Q(
        resident__sessions_co_delivered__cohort__wing=wing_id,
        resident__sessions_co_delivered__on__range=(starts_on, ends_on),
        resident__sessions_co_delivered__cancel_reason="",
    )
    rows = holdings.values("role").annotate(
        holders=Count("resident", distinct=True),
        sessions=Count("resident__sessions_co_delivered", filter=delivered, distinct=True),
    )
    return {row["role"]: RoleFigures(row["holders"], row["sessions"]) for row in rows.order_by()}


def wing_evidence(*, wing_id: int, starts_on: date, ends_on: date) -> dict[str, int]:
    """The consultation the wing's peer mentors carried, in the period: feedback forms they
    handed out or collected, and suggestions they brought from residents."""
    return Suggestion.objects.filter(wing=wing_id, received_on__range=(starts_on, ends_on)).aggregate(
        forms=Count(
            "pk",
            filter=Q(
                source=SuggestionSource.COURSE_FORM, mentor_part__in=[MentorPart.HANDED_OUT, MentorPart.COLLECTED]
            ),
        ),
        brought=Count("pk", filter=Q(mentor_part=MentorPart.BROUGHT)),
    )
