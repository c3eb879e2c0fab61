"""The site report: one printable document for a wing and an assessment period, its sections
in the order of the Drake Hall study, each drawn from the selectors the evaluation's own pages
use. The few figures no page counts yet (recruitment, training, supervision, engagement and
the mentors' contacts in the period) are counted here, one grouped query each.

A reader of pseudonymised data (an evaluator) gets the version the regional team may see:
no staff names, counts from 1 to 4 as "fewer than 5", no rate on fewer than 10 sessions, and
no total that would give a hidden count away. Nothing in the report names a resident.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from evaluation import climate, instruments
from evaluation.instruments import shown_figure
from evaluation.mapping import Construct
from evaluation.models import AssessmentPeriod, AttributeSurvey, FindingKind, Voice, VoiceKind
from hamlet.disclosure import SMALLEST_SHOWN
from hamlet.selectors import wing_profile
from mentoring.models import (
    Candidate,
    ContactType,
    Decision,
    MentorContact,
    NextStep,
    PeerRole,
    RecruitmentRound,
    Route,
    SupervisionKind,
    SupervisionSession,
    TrainingRecord,
    TrainingStatus,
)
from mentoring.selectors import start_of
from mentoring.tables import PeerRoleTable
from programme.models import (
    Attendance,
    Cohort,
    CohortStatus,
    EnrolmentStatus,
    PhaseSettings,
    ProjectHours,
    Session,
)
from programme.selectors import NO_RATE, rates_by_cohort
from residents.models import Resident, Stage, StageChange, SupportContact


@dataclass(frozen=True)
class Section:
    title: str
    reference: str  # where the study has it

    def __str__(self) -> str:
        return self.title


# The report's sections, in the study's order.
SECTIONS = {
    "profile": Section("Profile of the establishment and wing", "Table 1.1"),
    "staff": Section("The staff team", "section 1.2.1"),
    "phases": Section("Phased delivery", "Table 1.2.2b"),
    "delivery": Section("Peer role delivery model", "Table 1.3"),
    "recruitment": Section("Recruitment, training and progression", "section 1.3"),
    "engagement": Section("Engagement and attendance", "section 1.4"),
    "contributions": Section("Peer mentors' contributions", "section 1.4.3"),
    "impact": Section("Impact and relational mapping", "sections 1.5 and 1.5.4.1"),
    "climate": Section("Social climate", "section 1.5.5"),
    "attributes": Section("Attributes of a good peer-role holder", "section 1.6"),
    "voices": Section("What the focus groups found", "section 1.7"),
    "grid": Section("Social-capital building", "Figure 1.8"),
    "findings": Section("Good practice, challenges, lessons and recommendations", "section 2"),
    "ladder": Section("The participation ladder, role by role", "Appendix 1"),
    "roles": Section("Peer involvement roles", "Appendix 2"),
}

IMPACT_KINDS = [VoiceKind.IMPACT_MENTORS, VoiceKind.IMPACT_SUPPORTED, VoiceKind.BENEFITS_MOST]
GROUP_KINDS = [VoiceKind.ENABLER, VoiceKind.BARRIER, VoiceKind.ASPIRATION]


def _whole(value: int, parts: list[int], *, suppress: bool) -> str:
    """A count made up of ``parts``, unless one of them is hidden: the whole less the parts
    shown would give it away."""
    if suppress and any(0 < part < SMALLEST_SHOWN for part in parts):
        return "not shown"
    return shown_figure(value, suppress=suppress)


def _total(values: list[int], *, suppress: bool) -> str:
    """A column's total, unless a count in it is hidden."""
    return _whole(sum(values), values, suppress=suppress)


def period_months(period: AssessmentPeriod) -> list[date]:
    """The first day of each month of the period that has begun."""
    return climate.months_between(period.starts_on, min(period.ends_on, timezone.localdate()))


@dataclass
class StaffMonthRow:
    month: date
    cells: list[tuple[int | None, bool]]  # filled, and whether short of those funded


def staff_by_month(*, rows: list[instruments.PostRow], months: list[date]) -> list[StaffMonthRow]:
    """The staff team turned on its side: a row a month, a column a post, so a long period
    still fits the width of a printed page."""
    return [
        StaffMonthRow(
            month,
            [(row.cells[index], row.cells[index] is not None and row.cells[index] < row.post.funded) for row in rows],
        )
        for index, month in enumerate(months)
    ]


@dataclass
class RecruitmentRow:
    role: str
    rounds: str
    places: str
    routes: list[str]  # candidates by route, in Route's order
    voices: str
    interviewed: str
    decisions: list[str]  # in Decision's order


def recruitment(*, period: AssessmentPeriod, suppress: bool) -> list[RecruitmentRow]:
    """Each role's recruitment rounds open at some time in the period: two queries."""
    rounds = RecruitmentRound.objects.filter(wing=period.wing_id, opened_on__lte=period.ends_on).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.starts_on)
    )
    by_role = {
        row["role__title"]: row
        for row in rounds.values("role__title").annotate(rounds=Count("pk"), places=Sum("places")).order_by()
    }
    candidates = {
        row["round__role__title"]: row
        for row in Candidate.objects.filter(round__in=rounds)
        .values("round__role__title")
        .annotate(
            **{f"route_{route}": Count("pk", filter=Q(route=route), distinct=True) for route in Route.values},
            **{f"decided_{each}": Count("pk", filter=Q(decision=each), distinct=True) for each in Decision.values},
            voices=Count("nominations", distinct=True),
            interviewed=Count("interview", distinct=True),
        )
        .order_by()
    }
    rows = []
    for title in sorted(by_role):
        found, counted = by_role[title], candidates.get(title, {})
        rows.append(
            RecruitmentRow(
                title,
                shown_figure(found["rounds"], suppress=False),  # rounds and places are not people
                shown_figure(found["places"], suppress=False),
                [shown_figure(counted.get(f"route_{route}", 0), suppress=suppress) for route in Route.values],
                shown_figure(counted.get("voices", 0), suppress=suppress),
                shown_figure(counted.get("interviewed", 0), suppress=suppress),
                [shown_figure(counted.get(f"decided_{each}", 0), suppress=suppress) for each in Decision.values],
            )
        )
    return rows


@dataclass
class TrainingRow:
    qualification: str
    accredited: bool
    achieved: str
    in_progress: str
    held_before: str
    hours: str


def training(*, period: AssessmentPeriod, suppress: bool) -> list[TrainingRow]:
    """The wing's residents' training by qualification: achieved in the period, under way in
    it, and achieved before it (the qualifications mentors arrive with): one query."""
    during = Q(completed_on__range=(period.starts_on, period.ends_on))
    rows = (
        TrainingRecord.objects.filter(resident__wing=period.wing_id)
        .values("qualification__name", "qualification__accredited")
        .annotate(
            achieved=Count("pk", filter=Q(status=TrainingStatus.ACHIEVED) & during),
            in_progress=Count("pk", filter=Q(status=TrainingStatus.IN_PROGRESS, started_on__lte=period.ends_on)),
            held_before=Count("pk", filter=Q(status=TrainingStatus.ACHIEVED, completed_on__lt=period.starts_on)),
            hours=Sum("learning_hours", filter=Q(status=TrainingStatus.ACHIEVED) & during),
        )
        .order_by("qualification__name")
    )
    return [
        TrainingRow(
            row["qualification__name"],
            row["qualification__accredited"],
            shown_figure(row["achieved"], suppress=suppress),
            shown_figure(row["in_progress"], suppress=suppress),
            shown_figure(row["held_before"], suppress=suppress),
            # Hours are only shown beside a count that is: otherwise they would hint at it.
            f"{row['hours'] or 0:g}" if not (suppress and 0 < row["achieved"] < SMALLEST_SHOWN) else "not shown",
        )
        for row in rows
        if row["achieved"] or row["in_progress"] or row["held_before"]
    ]


def supervision(*, period: AssessmentPeriod, suppress: bool) -> list[tuple[str, str]]:
    """The supervision the wing's mentors had in the period, and what it found: one query."""
    found = SupervisionSession.objects.filter(
        mentor__wing=period.wing_id, held_on__range=(period.starts_on, period.ends_on)
    ).aggregate(
        sessions=Count("pk"),
        one_to_one=Count("pk", filter=Q(kind=SupervisionKind.ONE_TO_ONE)),
        group=Count("pk", filter=Q(kind=SupervisionKind.GROUP)),
        mentors=Count("mentor", distinct=True),
        short_of_down_time=Count("pk", filter=Q(enough_down_time=False)),
        out_of_hours=Count("pk", filter=Q(out_of_hours_demands=True)),
    )
    return [
        ("Supervision sessions held", _total([found["one_to_one"], found["group"]], suppress=suppress)),
        ("of them one-to-one", shown_figure(found["one_to_one"], suppress=suppress)),
        ("of them in a group", shown_figure(found["group"], suppress=suppress)),
        ("Peer mentors supervised", shown_figure(found["mentors"], suppress=suppress)),
        ("Sessions where the mentor lacked down time", shown_figure(found["short_of_down_time"], suppress=suppress)),
        (
            "Sessions where the mentor was asked for help out of hours",
            shown_figure(found["out_of_hours"], suppress=suppress),
        ),
    ]


def progression(*, period: AssessmentPeriod, suppress: bool) -> dict:
    """The establishment's pathway of roles, and the next steps recorded for the wing's
    mentors in the period, by the role they lead to: two queries."""
    pathway = list(PeerRole.objects.filter(establishment=period.wing.establishment_id).pathway())
    steps = (
        NextStep.objects.filter(resident__wing=period.wing_id, recorded_on__range=(period.starts_on, period.ends_on))
        .values("target_role__title")
        .annotate(steps=Count("pk"))
        .order_by("target_role__title")
    )
    return {
        "pathway": pathway,
        "next_steps": [
            (row["target_role__title"] or "No particular role", shown_figure(row["steps"], suppress=suppress))
            for row in steps
        ],
    }


@dataclass
class CohortRow:
    cohort: Cohort
    enrolled: str
    completed: str
    left: str
    graduated: str
    sessions: str
    cancelled: str
    rate: str


def engagement(*, period: AssessmentPeriod, suppress: bool) -> dict:
    """Who was on the wing, how far they came on the engagement journey, the support before
    it, and each cohort of the period with its attendance: six queries."""
    between = (period.starts_on, period.ends_on)
    wing = period.wing_id
    residents = (
        Resident.objects.filter(wing=wing, arrived_on__lte=period.ends_on)
        .filter(Q(departed_on__isnull=True) | Q(departed_on__gte=period.starts_on))
        .aggregate(
            on_wing=Count("pk"),
            arrived=Count("pk", filter=Q(arrived_on__gte=period.starts_on)),
            left=Count("pk", filter=Q(departed_on__lte=period.ends_on)),
        )
    )
    reached = dict(
        StageChange.objects.filter(resident__wing=wing, changed_on__range=between)
        .values("stage")
        .annotate(people=Count("resident", distinct=True))
        .values_list("stage", "people")
        .order_by()
    )
    support = SupportContact.objects.filter(resident__wing=wing, contact_on__range=between).aggregate(
        contacts=Count("pk"), people=Count("resident", distinct=True)
    )
    hours = ProjectHours.objects.filter(project__wing=wing, on__range=between).aggregate(
        hours=Sum("hours"), people=Count("resident", distinct=True)
    )
    cohorts = list(
        Cohort.objects.filter(wing=wing, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on)
        .exclude(status=CohortStatus.CANCELLED)
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            still=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED), distinct=True),
            completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True),
            left=Count(
                "enrolments",
                filter=Q(enrolments__status__in=[EnrolmentStatus.WITHDRAWN, EnrolmentStatus.MOVED]),
                distinct=True,
            ),
            graduated=Count("enrolments", filter=Q(enrolments__graduated_on__isnull=False), distinct=True),
        )
        .order_by("starts_on", "phase", "pk")
    )
    held = dict(
        Session.objects.filter(cohort__in=cohorts)
        .values("cohort")
        .annotate(held=Count("pk", filter=Q(cancel_reason="")))
        .values_list("cohort", "held")
        .order_by()
    )
    cancelled = dict(
        Session.objects.filter(cohort__in=cohorts)
        .exclude(cancel_reason="")
        .values("cohort")
        .annotate(cancelled=Count("pk"))
        .values_list("cohort", "cancelled")
        .order_by()
    )
    rates = rates_by_cohort(cohorts=cohorts)

    def shown(value) -> str:
        return shown_figure(value, suppress=suppress)

    return {
        "residents": [
            ("Residents on the wing at some time in the period", shown(residents["on_wing"])),
            ("of them arrived during it", shown(residents["arrived"])),
            ("of them left during it", shown(residents["left"])),
        ],
        "journey": [(stage.label, shown(reached.get(stage.value, 0))) for stage in Stage],
        "support": [
            ("Pre-engagement support contacts", shown(support["contacts"])),
            ("Residents given pre-engagement support", shown(support["people"])),
        ],
        "give_back": [
            ("Community hours given in Phase 2 projects", f"{hours['hours'] or 0:g}"),
            ("Residents who gave them", shown(hours["people"])),
        ],
        "cohorts": [
            CohortRow(
                cohort,
                # Those enrolled are those who completed, left, or are still enrolled.
                _whole(cohort.enrolled, [cohort.completed, cohort.left, cohort.still], suppress=suppress),
                shown(cohort.completed),
                shown(cohort.left),
                shown(cohort.graduated),
                shown_figure(held.get(cohort.pk, 0), suppress=False),  # sessions are not people
                shown_figure(cancelled.get(cohort.pk, 0), suppress=False),
                shown(rates.get(cohort.pk, NO_RATE)),
            )
            for cohort in cohorts
        ],
    }


@dataclass
class ContactRow:
    label: str
    contacts: str
    minutes: str
    out_of_hours: str
    mentors: str


def contributions(*, period: AssessmentPeriod, suppress: bool) -> dict:
    """The wing's peer mentors' logged contacts in the period by the study's six types (and
    any other), with their time and how many were out of hours, and the session marks where a
    mentor supported a resident: two queries."""
    contacts = MentorContact.objects.filter(
        mentor__wing=period.wing_id,
        occurred_at__gte=start_of(period.starts_on),
        occurred_at__lt=start_of(period.ends_on + timedelta(days=1)),
    )
    by_type = {
        row["contact_type"]: row
        for row in contacts.values("contact_type")
        .annotate(
            contacts=Count("pk"),
            minutes=Sum("minutes"),
            out_of_hours=Count("pk", filter=Q(out_of_hours=True)),
            mentors=Count("mentor", distinct=True),
        )
        .order_by()
    }
    empty = {"contacts": 0, "minutes": 0, "out_of_hours": 0, "mentors": 0}
    rows, columns = [], {"contacts": [], "out_of_hours": []}
    for kind in ContactType:
        found = by_type.get(kind.value, empty)
        if kind == ContactType.OTHER and not found["contacts"]:
            continue  # the six types always; "other" only where some were logged
        hidden = suppress and 0 < found["contacts"] < SMALLEST_SHOWN
        rows.append(
            ContactRow(
                kind.label,
                shown_figure(found["contacts"], suppress=suppress),
                "not shown" if hidden else str(found["minutes"] or 0),
                shown_figure(found["out_of_hours"], suppress=suppress),
                shown_figure(found["mentors"], suppress=suppress),
            )
        )
        for column in columns:
            columns[column].append(found[column])
    supported = Attendance.objects.filter(
        session__cohort__wing=period.wing_id,
        session__on__range=(period.starts_on, period.ends_on),
        session__cancel_reason="",
        supported_by__isnull=False,
    ).count()
    return {
        "rows": rows,
        "total_contacts": _total(columns["contacts"], suppress=suppress),
        "total_out_of_hours": _total(columns["out_of_hours"], suppress=suppress),
        "supported": [
            ("Session marks where a peer mentor supported the resident", shown_figure(supported, suppress=suppress))
        ],
    }


def impact(*, period: AssessmentPeriod, user) -> dict:
    """The period's relational mappings: the comparison the mapping page would make by default
    among them (a Phase 1 against a Phase 2 cohort), or the one mapping; and, against the
    wing's baseline (or the period before), a mapping of the same phase if there is one, the
    before-and-after the study could not make. Five queries at most."""
    wing_mappings = list(instruments.mappings_on(wing=period.wing, user=user))
    mappings = [record for record in wing_mappings if record.period_id == period.pk]
    found: dict = {"mappings": mappings}
    pair = instruments.default_comparison(mappings)
    if pair:
        found |= {"before": pair[0], "after": pair[1], "rows": instruments.heat_map(record=pair[1], before=pair[0])}
    elif mappings:
        found["rows"] = instruments.heat_map(record=mappings[0])
    earlier = instruments.baseline_of(period) if mappings else None
    then = [record for record in wing_mappings if earlier and record.period_id == earlier.pk]
    if then:
        now = next((record for record in mappings if record.cohort.phase == then[0].cohort.phase), mappings[0])
        found |= {
            "baseline": {"before": then[0], "after": now, "rows": instruments.heat_map(record=now, before=then[0])}
        }
    return found


def site_report(*, period: AssessmentPeriod, user) -> dict:
    """Everything the report shows, section by section, as ``user`` may see it. A fixed number
    of queries, whatever the number of residents, cohorts, periods or wings."""
    wing = period.wing
    suppress = instruments.suppressed_for(user)
    months = period_months(period)
    posts = instruments.staff_team(wing=wing, months=months)
    voices = list(Voice.objects.filter(period=period))
    findings = list(instruments.findings_on(wing=wing, user=user).filter(period=period))
    survey = AttributeSurvey.objects.filter(period=period).first()
    roles = PeerRole.objects.filter(establishment=wing.establishment_id).offered()
    return {
        "sections": SECTIONS,
        "suppress": suppress,
        "profile": wing_profile(wing=wing),
        "aims": wing.aim_list,
        "posts": [row.post for row in posts],
        "staff_months": staff_by_month(rows=posts, months=months),
        "phases": PhaseSettings.for_wing(wing),
        "delivery": instruments.delivery_model(wing=wing),
        "recruitment": recruitment(period=period, suppress=suppress),
        "routes": Route.labels,
        "decisions": Decision.labels,
        "training": training(period=period, suppress=suppress),
        "supervision": supervision(period=period, suppress=suppress),
        **progression(period=period, suppress=suppress),
        "engagement": engagement(period=period, suppress=suppress),
        "contributions": contributions(period=period, suppress=suppress),
        "impact_voices": [(kind.label, [v for v in voices if v.kind == kind]) for kind in IMPACT_KINDS],
        "mapping": impact(period=period, user=user),
        "constructs": Construct.choices,
        "trend": climate.trend(wing_id=wing.pk, months=months, suppress=suppress),
        "survey": survey,
        "bars": instruments.attribute_bars(survey=survey),
        "group_voices": [(kind.label, [v for v in voices if v.kind == kind]) for kind in GROUP_KINDS],
        "grid": instruments.grid_page(period=period, user=user),
        "findings": [(label, [f for f in findings if f.kind == kind]) for kind, label in FindingKind.choices],
        "ladder": instruments.ladder_page(period=period, user=user),
        "roles": PeerRoleTable(roles, orderable=False),
    }
