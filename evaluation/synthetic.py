"""Synthetic evaluation for ``manage.py generate_data`` (see ``hamlet.synthetic``): at every
wing, a baseline and then a follow-up every six months, each closed but the latest, with
every instrument recorded for each — the grid, each CFO peer role's rung, a relational mapping
by each cohort that ran in it, focus-group findings, section 2's findings with progress and the
attributes interviews named — and the wing's monthly climate counts and staff team.

At national scale that is about 1,200 periods, 7,000 grid ratings, 2,000 mappings with
60,000 scores, 40,000 climate counts and 20,000 staffing counts.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, When

from evaluation import climate, models
from evaluation.ladder import RUNGS
from evaluation.mapping import Construct, Element
from hamlet.models import Organisation, Sector
from hamlet.synthetic import Context, insert_rows
from mentoring.models import PeerRole
from programme.models import Cohort

PERIOD_DAYS = 182
RATINGS = [models.Rating.RED, models.Rating.ORANGE, models.Rating.GREEN]


class _Ids:
    def __init__(self):
        self.last: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self.last[table] = self.last.get(table, 0) + 1
        return self.last[table]


def generate(*, scale: str, rng: random.Random, context: Context) -> None:
    today = context.today
    ids = _Ids()
    roles: dict[int, list[int]] = {}
    for role_id, establishment_id in PeerRole.objects.filter(is_cfo_role=True).values_list("pk", "establishment_id"):
        roles.setdefault(establishment_id, []).append(role_id)
    cohorts: dict[int, list[tuple]] = {}
    for row in Cohort.objects.values_list("pk", "wing_id", "starts_on", "ends_on").order_by("starts_on"):
        cohorts.setdefault(row[1], []).append(row)
    rows: dict[str, list] = {name: [] for name in TABLES}
    # The catalogues the migrations seeded, and who employs the staff team.
    catalogues = _Catalogues(
        indicators=list(models.ClimateIndicator.objects.values_list("pk", flat=True)),
        attributes=list(models.Attribute.objects.values_list("pk", flat=True)),
        # hamlet's synthetic organisations (their ids given, so the table's sequence moves on only
        # at the end: nothing here may create one).
        organisation=Organisation.objects.order_by(Case(When(sector=Sector.HMPPS, then=0), default=1), "pk")
        .values_list("pk", flat=True)
        .first(),
    )
    for wing in context.wings:
        start = wing.pilot_start or today - timedelta(days=5 * 365)
        manager = context.managers.get(wing.establishment_id)
        number = 0
        while start <= today:
            ends = min(start + timedelta(days=PERIOD_DAYS - 1), today)
            number += 1
            period_id = ids("period")
            closed = ends < today
            rows["period"].append(
                (period_id, wing.pk, "Baseline" if number == 1 else f"Follow-up {number - 1}", start, ends,
                 number == 1, ends + timedelta(days=1) if closed else None, manager if closed else None)
            )  # fmt: skip
            role_ids = roles.get(wing.establishment_id, [])
            _instruments(rows, ids, rng, catalogues, period_id, number, role_ids, manager, today)
            for cohort_id, _, starts_on, ends_on in cohorts.get(wing.pk, []):
                held_on = max(start, starts_on + timedelta(weeks=6))
                if ends_on >= start and held_on <= ends:
                    _mapping(rows, ids, rng, period_id, cohort_id, held_on, manager, number)
            start = ends + timedelta(days=1)
        _climate_and_staff(rows, ids, rng, catalogues, wing, today, manager)
    for name, (model, columns) in TABLES.items():
        insert_rows(model, columns, rows[name], context)
    context.extra["evaluation"] = {"periods": len(rows["period"]), "mapping scores": len(rows["score"])}


@dataclass(frozen=True)
class _Catalogues:
    indicators: list[int]
    attributes: list[int]
    organisation: int


def _instruments(rows, ids, rng, catalogues, period_id, number, role_ids, manager, today) -> None:
    """The grid, each role's rung, focus-group findings, findings and attributes: wings improve
    a little period by period."""
    for stage in range(1, 7):
        rating = RATINGS[min(2, max(0, (number + rng.randint(-2, 1) - stage // 2) // 2))]
        rows["rating"].append((ids("rating"), period_id, stage, rating, "Synthetic evidence", manager, today))
    for role_id in role_ids:
        rung = min(len(RUNGS) - 1, 1 + number // 3)
        rows["rung"].append(
            (ids("rung"), period_id, role_id, rung, "Synthetic evidence", "Synthetic plan", manager, today)
        )
    for kind in models.VoiceKind.values:
        for priority in range(1, 3):
            rows["voice"].append((ids("voice"), period_id, kind, priority, f"Synthetic {kind} {priority}", ""))
    for kind in models.FindingKind.values:
        finding_id = ids("finding")
        status = rng.choice(models.FindingStatus.values)
        rows["finding"].append((finding_id, period_id, kind, f"Synthetic {kind}", manager, status))
        if status != models.FindingStatus.OPEN:
            rows["progress"].append((ids("progress"), finding_id, today, "Synthetic progress", status, manager))
    survey_id = ids("survey")
    rows["survey"].append((survey_id, period_id, 20))
    for attribute_id in catalogues.attributes:
        rows["attribute"].append((ids("attribute"), survey_id, attribute_id, rng.randint(0, 20)))


def _mapping(rows, ids, rng, period_id, cohort_id, held_on, manager, number) -> None:
    mapping_id = ids("mapping")
    rows["mapping"].append((mapping_id, period_id, cohort_id, held_on, manager))
    for element in Element.values:
        for construct in Construct.values:
            score = max(0, min(10, rng.randint(3, 8) + (number // 3 if element == Element.PEER_MENTORS else 0)))
            rows["score"].append((ids("score"), mapping_id, element, construct, score))


def _climate_and_staff(rows, ids, rng, catalogues, wing, today, manager) -> None:
    months = climate.months_between(wing.pilot_start or today - timedelta(days=5 * 365), today)
    post_ids = []
    for order, (title, funded) in enumerate(POSTS):
        post_id = ids("post")
        post_ids.append((post_id, funded))
        rows["post"].append((post_id, wing.pk, title, catalogues.organisation, funded, order))
    for index, month in enumerate(months):
        record_id = ids("climate")
        rows["climate"].append((record_id, wing.pk, month, manager))
        for indicator_id in catalogues.indicators:
            count = max(0, rng.randint(0, 8) - index // 12)
            rows["count"].append((ids("count"), record_id, indicator_id, count))
        staff_id = ids("staff")
        rows["staff"].append((staff_id, wing.pk, month))
        for post_id, funded in post_ids:
            filled = funded - (1 if rng.random() < 0.1 else 0)
            rows["filled"].append((ids("filled"), staff_id, post_id, filled))


POSTS = [("CFO custody manager", 1), ("CFO dedicated prison officer", 2), ("Case manager", 3)]

TABLES = {
    "period": (models.AssessmentPeriod,
               ["id", "wing_id", "label", "starts_on", "ends_on", "baseline", "closed_on", "closed_by_id"]),
    "rating": (models.GridRating, ["id", "period_id", "stage", "rating", "evidence", "rated_by_id", "rated_on"]),
    "rung": (models.RoleRung,
             ["id", "period_id", "role_id", "rung", "evidence", "plan", "rated_by_id", "rated_on"]),
    "mapping": (models.RelationalMapping, ["id", "period_id", "cohort_id", "held_on", "recorded_by_id"]),
    "score": (models.MappingScore, ["id", "mapping_id", "element", "construct", "score"]),
    "voice": (models.Voice, ["id", "period_id", "kind", "priority", "summary", "detail"]),
    "finding": (models.Finding, ["id", "period_id", "kind", "summary", "owner_id", "status"]),
    "progress": (models.FindingProgress, ["id", "finding_id", "on", "note", "status", "by_id"]),
    "survey": (models.AttributeSurvey, ["id", "period_id", "interviews"]),
    "attribute": (models.AttributeCount, ["id", "survey_id", "attribute_id", "interviews"]),
    "climate": (models.ClimateMonth, ["id", "wing_id", "month", "recorded_by_id"]),
    "count": (models.ClimateCount, ["id", "record_id", "indicator_id", "count"]),
    "post": (models.StaffPost, ["id", "wing_id", "title", "organisation_id", "funded", "order"]),
    "staff": (models.StaffMonth, ["id", "wing_id", "month"]),
    "filled": (models.StaffFilled, ["id", "record_id", "post_id", "count"]),
}  # fmt: skip
