"""Reads for the evaluation instruments, keyword-only: a wing's periods, a period's grid
with the evidence from the records, two periods compared, every wing side by side, and
each peer role on the participation ladder.
Each is a fixed number of queries, whatever the number of periods, wings or records."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from evaluation import grid, ladder
from evaluation.models import RATING_ORDER, AssessmentPeriod, GridRating, RoleRung
from hamlet.models import Wing
from mentoring.models import PeerRole
from programme.selectors import Rate

NO_FIGURES = ladder.RoleFigures()
SUPPRESSED = "fewer than 5"
NOT_SHOWN = "not shown (fewer than 10)"


def shown_figure(value: int | Rate, *, suppress: bool) -> str:
    """A figure as the reader sees it. Readers of pseudonymised data (evaluators) get counts
    from 1 to 4 as "fewer than 5" and no rate on fewer than 10 sessions."""
    if isinstance(value, Rate):
        if suppress and 0 < value.counted < 10:
            return NOT_SHOWN
        return str(value)
    return SUPPRESSED if suppress and 0 < value < 5 else str(value)


def periods_on(*, wing: Wing, user) -> QuerySet[AssessmentPeriod]:
    return (
        AssessmentPeriod.objects.visible_to(user)
        .filter(wing=wing)
        .annotate(stages_rated=Count("grid_ratings"))
        .order_by("-starts_on", "-pk")
    )


@dataclass
class StageRow:
    stage: grid.Stage
    rating: GridRating | None
    figures: list[tuple[str, str]]
    before: GridRating | None = None

    @property
    def movement(self) -> str:
        """How the rating moved since ``before``: up, down, the same, or newly rated."""
        if self.rating is None or self.before is None:
            return "newly rated" if self.rating else "not rated"
        change = RATING_ORDER[self.rating.rating] - RATING_ORDER[self.before.rating]
        return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass
class SourceRows:
    source: grid.Source
    rows: list[StageRow]


def _ratings(period: AssessmentPeriod | None) -> dict[int, GridRating]:
    if period is None:
        return {}
    return {rating.stage: rating for rating in period.grid_ratings.select_related("rated_by")}


def grid_page(*, period: AssessmentPeriod, user, before: AssessmentPeriod | None = None) -> list[SourceRows]:
    """The period's grid as the study draws it, with each stage's figures from the records
    (and, given ``before``, that period's ratings beside it)."""
    ratings, earlier = _ratings(period), _ratings(before)
    figures = grid.evidence(wing_id=period.wing_id, starts_on=period.starts_on, ends_on=period.ends_on)
    suppress = not user.has_perm("hamlet.view_identities")
    return [
        SourceRows(
            source,
            [
                StageRow(
                    stage,
                    ratings.get(stage.number),
                    [(figure.label, shown_figure(figure.value, suppress=suppress)) for figure in figures[stage.number]],
                    earlier.get(stage.number),
                )
                for stage in source.stages
            ],
        )
        for source in grid.SOURCES
    ]


@dataclass
class WingGrid:
    wing: Wing
    period: AssessmentPeriod | None
    ratings: dict[int, GridRating]

    @property
    def cells(self) -> list[GridRating | None]:
        """The ratings in stage order, None where a stage is not rated."""
        return [self.ratings.get(number) for number in grid.STAGES]


def grid_across_wings(*, user, on: date | None) -> list[WingGrid]:
    """Every wing the user may see, with the ratings of its latest closed period, or of the
    period covering ``on``: three queries in all."""
    wings = list(Wing.objects.visible_to(user).select_related("establishment").order_by("establishment__name", "name"))
    periods = AssessmentPeriod.objects.filter(wing__in=wings)
    if on:
        periods = periods.filter(starts_on__lte=on, ends_on__gte=on)
    else:
        periods = periods.filter(closed_on__isnull=False)
    chosen: dict[int, AssessmentPeriod] = {}
    for period in periods.order_by("wing", "-ends_on", "-pk"):
        chosen.setdefault(period.wing_id, period)
    by_period: dict[int, dict[int, GridRating]] = {period.pk: {} for period in chosen.values()}
    for rating in GridRating.objects.filter(period__in=list(chosen.values())):
        by_period[rating.period_id][rating.stage] = rating
    return [
        WingGrid(wing, chosen.get(wing.pk), by_period.get(chosen[wing.pk].pk, {}) if wing.pk in chosen else {})
        for wing in wings
    ]


def baseline_of(period: AssessmentPeriod) -> AssessmentPeriod | None:
    """What a period is compared with by default: the wing's baseline, or the period before it."""
    others = AssessmentPeriod.objects.filter(wing=period.wing_id).exclude(pk=period.pk)
    return (
        others.filter(Q(baseline=True) & Q(starts_on__lt=period.starts_on)).first()
        or others.filter(starts_on__lt=period.starts_on).order_by("-starts_on").first()
    )


@dataclass
class RoleLadder:
    role: PeerRole
    rung: RoleRung | None
    figures: list[tuple[str, str]]
    history: list[tuple[AssessmentPeriod, RoleRung | None]]

    @property
    def steps(self) -> list[tuple[ladder.Rung, bool]]:
        """The ladder top down, each rung with whether the role stands on it."""
        current = self.rung.rung if self.rung else None
        return [(rung, rung.number == current) for rung in reversed(ladder.RUNGS)]

    @property
    def next_rung(self) -> ladder.Rung | None:
        if self.rung is None:
            return None
        return ladder.RUNGS[self.rung.rung + 1] if self.rung.rung + 1 < len(ladder.RUNGS) else None


def _role_figures(figures: ladder.RoleFigures, *, suppress: bool) -> list[tuple[str, str]]:
    return [
        ("Residents who held the role", shown_figure(figures.holders, suppress=suppress)),
        ("Sessions they co-delivered", shown_figure(figures.sessions_co_delivered, suppress=suppress)),
    ]


def ladder_page(*, period: AssessmentPeriod, user) -> dict:
    """Every CFO peer role of the wing's establishment with its rung in the period, the
    figures from the records, and its rung in each of the wing's periods: six queries."""
    periods = list(AssessmentPeriod.objects.filter(wing=period.wing_id).order_by("starts_on"))
    rungs = {
        (rung.role_id, rung.period_id): rung
        for rung in RoleRung.objects.filter(period__in=periods).select_related("rated_by")
    }
    rated = {role_id for role_id, _ in rungs}
    roles = PeerRole.objects.filter(establishment=period.wing.establishment_id).filter(
        Q(is_cfo_role=True, retired=False) | Q(pk__in=rated)
    )
    suppress = not user.has_perm("hamlet.view_identities")
    by_role = ladder.role_evidence(
        wing_id=period.wing_id,
        establishment_id=period.wing.establishment_id,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
    )
    wing = ladder.wing_evidence(wing_id=period.wing_id, starts_on=period.starts_on, ends_on=period.ends_on)
    roles_shown = [
        RoleLadder(
            role,
            rungs.get((role.pk, period.pk)),
            _role_figures(by_role.get(role.pk, NO_FIGURES), suppress=suppress),
            [(each, rungs.get((role.pk, each.pk))) for each in periods],
        )
        for role in roles.order_by("order", "title")
    ]
    wing_figures = [
        ("Feedback forms a peer mentor handed out or collected", shown_figure(wing["forms"], suppress=suppress)),
        ("Suggestions a peer mentor brought from a resident", shown_figure(wing["brought"], suppress=suppress)),
    ]
    return {"roles": roles_shown, "wing_figures": wing_figures, "periods": periods, "rungs": ladder.RUNGS}
