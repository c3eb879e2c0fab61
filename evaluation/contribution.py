"""What the evaluation adds to a resident (the residents contract): nothing of their own.

Its records are about the wing, and every text an evaluator reads is refused if it names a
resident. A cohort's relational mapping is still a record shared by the cohort's residents
and peer mentors, so when one of them is anonymised, any mention of them that got into a
mapping (before they came to the wing under that name, say) is scrubbed like any shared text.

On a wing's dashboard it offers the assessment period under way as a span to count within,
and shows the grid and each CFO role's rung in small, and the social-climate trend: none of
them personal data, so evaluators see them too, with the climate's small counts suppressed
as on the climate page.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse

from evaluation import climate, grid
from evaluation.instruments import suppressed_for
from evaluation.models import AssessmentPeriod, GridRating, MappingScore, RelationalMapping, RoleRung
from hamlet.contributions import HomePanel, Span
from mentoring.models import PeerRole
from residents.contract import Anonymisation, ResidentContribution
from residents.models import Resident

# The climate trend on the dashboard: this month and the five before it.
TREND_MONTHS = 6


class EvaluationContribution(ResidentContribution):
    def anonymise(self, resident: Resident) -> Anonymisation:
        mappings = RelationalMapping.objects.filter(
            Q(cohort__enrolments__resident=resident) | Q(cohort__peer_mentors=resident)
        ).distinct()
        return Anonymisation(
            shared={RelationalMapping: mappings, MappingScore: MappingScore.objects.filter(mapping__in=mappings)}
        )

    def spans(self, *, wing, today: date) -> list[Span]:
        period = period_covering(wing=wing, today=today) if wing is not None else None
        if period is None:
            return []
        # Up to today: what the figures count is what has happened so far in the period.
        return [Span("period", f"This period ({period.label})", period.starts_on, min(period.ends_on, today))]

    def home_panels(self, *, wing, user, today: date, span: Span) -> list[HomePanel]:
        if wing is None:
            return []
        panels = []
        if user.has_perm("evaluation.view_assessmentperiod"):
            period = latest_period(wing=wing, today=today)
            if user.has_perm("evaluation.view_gridrating"):
                panels.append(grid_panel(wing=wing, period=period))
            if user.has_perm("evaluation.view_rolerung"):
                panels.append(ladder_panel(wing=wing, period=period))
        if user.has_perm("evaluation.view_climatemonth"):
            panels.append(climate_panel(wing=wing, user=user, today=today))
        return panels


def period_covering(*, wing, today: date) -> AssessmentPeriod | None:
    """The wing's assessment period under way today (the latest to start, should two overlap)."""
    periods = AssessmentPeriod.objects.filter(wing=wing, starts_on__lte=today, ends_on__gte=today)
    return periods.order_by("-starts_on", "-pk").first()


def latest_period(*, wing, today: date) -> AssessmentPeriod | None:
    """The wing's latest period to have begun: the one under way, or the last one."""
    return AssessmentPeriod.objects.filter(wing=wing, starts_on__lte=today).order_by("-starts_on", "-pk").first()


def grid_panel(*, wing, period: AssessmentPeriod | None) -> HomePanel:
    """The latest period's rating of each stage of the social-capital grid, in words and colour."""
    ratings = {rating.stage: rating for rating in GridRating.objects.filter(period=period)} if period else {}
    sources = [(source, [(stage, ratings.get(stage.number)) for stage in source.stages]) for source in grid.SOURCES]
    url = period.get_absolute_url() if period else reverse("evaluation:periods")
    context = {"wing": wing, "period": period, "sources": sources}
    return HomePanel("Social-capital grid", "evaluation/_home_grid.html", context, url=url)


def ladder_panel(*, wing, period: AssessmentPeriod | None) -> HomePanel:
    """Each CFO peer role's rung of the participation ladder in the latest period."""
    rungs = {rung.role_id: rung for rung in RoleRung.objects.filter(period=period)} if period else {}
    roles = PeerRole.objects.filter(establishment=wing.establishment_id).filter(
        Q(is_cfo_role=True, retired=False) | Q(pk__in=list(rungs))
    )
    rows = [(role, rungs.get(role.pk)) for role in roles.order_by("order", "title")]
    url = reverse("evaluation:ladder", args=[period.pk]) if period else reverse("evaluation:periods")
    context = {"wing": wing, "period": period, "rows": rows}
    return HomePanel("Participation ladder", "evaluation/_home_ladder.html", context, url=url)


def climate_panel(*, wing, user, today: date) -> HomePanel:
    """The last few months' social-climate rates, as a small chart with its numbers in a table."""
    first = today.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    trend = climate.trend(wing_id=wing.pk, months=climate.months_between(first, today), suppress=suppressed_for(user))
    context = {"wing": wing, "trend": trend, "suppress": suppressed_for(user)}
    return HomePanel("Social climate", "evaluation/_home_climate.html", context, url=reverse("evaluation:climate"))
