"""Reads for the evaluation instruments, keyword-only: a wing's periods, a period's grid
with the evidence from the records, two periods compared, every wing side by side, and
each peer role on the participation ladder, and relational mappings as heat maps.
Each is a fixed number of queries, whatever the number of periods, wings or records."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from evaluation import grid, ladder, mapping
from evaluation.models import (
    RATING_ORDER,
    AssessmentPeriod,
    AttributeSurvey,
    Finding,
    GridRating,
    MappingScore,
    RelationalMapping,
    RoleDeliveryNote,
    RoleRung,
    StaffFilled,
    StaffPost,
)
from hamlet.access import IDENTITIES
from hamlet.disclosure import shown_count
from hamlet.models import Wing
from mentoring.models import MentoringSettings, PeerRole, TrainingRecord
from programme.selectors import Rate

NO_FIGURES = ladder.RoleFigures()
NOT_SHOWN = "not shown (fewer than 10)"


def shown_figure(value: int | Rate, *, suppress: bool) -> str:
    """A figure as the reader sees it. Readers of pseudonymised data (evaluators) get counts
    from 1 to 4 as "fewer than 5" and no rate on fewer than 10 sessions."""
    if isinstance(value, Rate):
        if suppress and 0 < value.counted < 10:
            return NOT_SHOWN
        return str(value)
    return shown_count(value, suppress=suppress)


def suppressed_for(user) -> bool:
    """Whether ``user`` reads pseudonymised data (evaluators), and so gets small figures suppressed."""
    return not user.has_perm(IDENTITIES)


def stage_figures(*, period: AssessmentPeriod, user) -> dict[int, list[tuple[str, str]]]:
    """Each grid stage's figures from the period's records, as ``user`` may see them."""
    figures = grid.evidence(wing_id=period.wing_id, starts_on=period.starts_on, ends_on=period.ends_on)
    suppress = suppressed_for(user)
    return {
        stage: [(figure.label, shown_figure(figure.value, suppress=suppress)) for figure in found]
        for stage, found in figures.items()
    }


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
    figures = stage_figures(period=period, user=user)
    return [
        SourceRows(
            source,
            [
                StageRow(stage, ratings.get(stage.number), figures[stage.number], earlier.get(stage.number))
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
    suppress = suppressed_for(user)
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


@dataclass
class MappingRow:
    element: str
    cells: list[mapping.Cell]
    before: list[mapping.Cell] | None = None

    @property
    def compared(self) -> list[tuple[mapping.Cell, mapping.Cell, str]]:
        """Each construct's cell before and after, and the change in words."""
        before = self.before or [mapping.Cell(None, None)] * len(self.cells)
        return [(old, new, mapping.movement(old, new)) for old, new in zip(before, self.cells, strict=True)]


def _label(element: str) -> str:
    return mapping.Element(element).label if element in mapping.Element.values else element


def _grid_of(scores: list[MappingScore]) -> dict[str, list[mapping.Cell]]:
    """Each element's cells, in the constructs' order, ranked within each construct."""
    by_construct: dict[str, dict[str, int]] = {construct: {} for construct in mapping.Construct.values}
    for score in scores:
        by_construct[score.construct][score.element] = score.score
    ranked = {construct: mapping.ranks(values) for construct, values in by_construct.items()}
    elements = {score.element for score in scores}
    return {
        element: [
            mapping.Cell(by_construct[construct].get(element), ranked[construct].get(element))
            for construct in mapping.Construct.values
        ]
        for element in elements
    }


def _element_order(elements) -> list[str]:
    standard = [element for element in mapping.Element.values if element in elements]
    return standard + sorted(set(elements) - set(mapping.Element.values))


def heat_map(*, record: RelationalMapping, before: RelationalMapping | None = None) -> list[MappingRow]:
    """The mapping as rows of cells (score, rank and shade), with ``before``'s beside them:
    one query for both."""
    scores = list(MappingScore.objects.filter(mapping__in=[record, *([before] if before else [])]))
    after_grid = _grid_of([score for score in scores if score.mapping_id == record.pk])
    before_grid = _grid_of([score for score in scores if before and score.mapping_id == before.pk])
    empty = [mapping.Cell(None, None)] * len(mapping.Construct.values)
    return [
        MappingRow(_label(element), after_grid.get(element, empty), before_grid.get(element, empty) if before else None)
        for element in _element_order(set(after_grid) | set(before_grid))
    ]


def mappings_on(*, wing: Wing, user) -> QuerySet[RelationalMapping]:
    return (
        RelationalMapping.objects.visible_to(user)
        .filter(period__wing=wing)
        .select_related("period", "cohort")
        .order_by("-period__starts_on", "cohort__phase", "-held_on")
    )


def default_comparison(mappings: list[RelationalMapping]) -> tuple[RelationalMapping, RelationalMapping] | None:
    """What to compare when no one has chosen: a Phase 1 and a Phase 2 cohort in the latest
    period that has both, or else the latest mapping against the earliest."""
    for period in dict.fromkeys(record.period for record in mappings):
        phases = {record.cohort.phase: record for record in mappings if record.period == period}
        if "phase_1" in phases and "phase_2" in phases:
            return phases["phase_1"], phases["phase_2"]
    return (mappings[-1], mappings[0]) if len(mappings) > 1 else None


def findings_on(*, wing: Wing, user) -> QuerySet[Finding]:
    return Finding.objects.visible_to(user).filter(period__wing=wing).select_related("period", "owner")


@dataclass(frozen=True)
class Bar:
    attribute: str
    core: bool
    interviews: int
    percent: int

    @property
    def width_class(self) -> str:
        """One of a fixed set of CSS classes, a bar's width to the nearest 5%: no inline style."""
        return f"hamlet-bar--{round(self.percent / 5) * 5}"


def attribute_bars(*, survey: AttributeSurvey | None) -> list[Bar]:
    """The attributes most often named first, each as a share of the interviews held."""
    if survey is None:
        return []
    counts = survey.counts.select_related("attribute").order_by("-interviews", "attribute__order", "attribute__name")
    return [
        Bar(
            count.attribute.name,
            count.attribute.core,
            count.interviews,
            round(100 * count.interviews / survey.interviews),
        )
        for count in counts
    ]


@dataclass
class PostRow:
    post: StaffPost
    cells: list[int | None]  # filled, month by month; None where not recorded

    @property
    def shortfalls(self) -> list[int]:
        """How many funded posts were empty each month (0 where full or not recorded)."""
        return [max(0, self.post.funded - filled) if filled is not None else 0 for filled in self.cells]


def staff_team(*, wing: Wing, months: list[date]) -> list[PostRow]:
    """The wing's funded posts against those filled, month by month: two queries."""
    posts = list(StaffPost.objects.filter(wing=wing).select_related("organisation"))
    filled = {
        (row.post_id, row.record.month): row.count
        for row in StaffFilled.objects.filter(record__wing=wing, record__month__in=months).select_related("record")
    }
    return [PostRow(post, [filled.get((post.pk, month)) for month in months]) for post in posts]


@dataclass
class DeliveryRow:
    role: PeerRole
    training_provider: str
    training: str
    supervision: str
    progression: str


def _words(found: set[str], written: str) -> str:
    """What the records hold, and what staff wrote where they hold nothing."""
    return "; ".join(sorted(found)) if found else written


def delivery_model(*, wing: Wing) -> list[DeliveryRow]:
    """Table 1.3 for the wing's CFO peer roles, drawn from the mentoring records where they
    exist (training providers and qualifications of the role's holders at the wing, the
    supervision interval, the pathway beyond the role), with staff's words where they do not:
    four queries."""
    roles = list(
        PeerRole.objects.filter(establishment=wing.establishment_id, is_cfo_role=True, retired=False)
        .select_related("delivery_note")
        .order_by("order", "title")
    )
    trained = TrainingRecord.objects.filter(resident__wing=wing, resident__role_holdings__role__in=roles).values_list(
        "resident__role_holdings__role", "provider__name", "qualification__name"
    )
    providers: dict[int, set[str]] = {role.pk: set() for role in roles}
    qualifications: dict[int, set[str]] = {role.pk: set() for role in roles}
    for role_id, provider, qualification in trained.distinct():
        if provider:
            providers[role_id].add(provider)
        qualifications[role_id].add(qualification)
    interval = MentoringSettings.for_wing(wing).supervision_interval_days
    pathway = list(PeerRole.objects.filter(establishment=wing.establishment_id).pathway())
    rows = []
    for role in roles:
        note = getattr(role, "delivery_note", None) or RoleDeliveryNote(role=role)
        onward = {other.title for other in pathway if role.pathway_step and other.pathway_step > role.pathway_step}
        supervision = f"One-to-one supervision due every {interval} days"
        rows.append(
            DeliveryRow(
                role,
                _words(providers[role.pk], note.training_provider),
                _words(qualifications[role.pk], note.training),
                f"{supervision}. {note.supervision}" if note.supervision else supervision,
                _words(onward, note.progression),
            )
        )
    return rows
