"""Reads for the evaluation instruments, keyword-only: a wing's periods, a period's grid
with the evidence from the records, two periods compared and every wing side by side.
Each is a fixed number of queries, whatever the number of periods, wings or records."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from evaluation import grid
from evaluation.models import RATING_ORDER, AssessmentPeriod, GridRating
from hamlet.models import Wing
from programme.selectors import Rate

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
