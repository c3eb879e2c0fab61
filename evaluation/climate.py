"""Social-climate indicators (the study's section 1.5.5): monthly counts per wing of
incidents such as self-harm, fights and violence, and adjudications, with each month's rate
per 100 residents. A month's population is the average number of residents on the wing over
its days, worked out from the residents' arrival and departure dates."""

import math
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from evaluation.models import ClimateCount, ClimateIndicator
from hamlet.disclosure import FEWER_THAN_5, SMALLEST_SHOWN
from residents.models import Resident

# The chart's shape: a fixed drawing area, lines told apart by dash pattern and marker as well
# as colour, so the chart reads in black and white and without colour vision.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 48, 16, 16, 40
STYLES = [
    ("#1d70b8", ""),
    ("#d4351c", "6 3"),
    ("#00703c", "2 3"),
    ("#4c2c92", "8 3 2 3"),
    ("#b58840", "12 4"),
    ("#0b0c0c", "1 2"),
]


def first_of(day: date) -> date:
    return day.replace(day=1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s."""
    months, month = [], first_of(first)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def populations(*, wing_id: int, months: list[date]) -> dict[date, Decimal]:
    """The average number of residents on the wing in each month, to one decimal place: one
    query for every month at once."""
    if not months:
        return {}
    start, end = months[0], month_end(months[-1])
    stays = Resident.objects.filter(wing=wing_id, arrived_on__lte=end).filter(
        Q(departed_on__isnull=True) | Q(departed_on__gte=start)
    )
    stays = list(stays.values_list("arrived_on", "departed_on"))
    averages = {}
    for month in months:
        last = month_end(month)
        days = sum(
            (min(departed or last, last) - max(arrived, month)).days + 1
            for arrived, departed in stays
            if arrived <= last and (departed is None or departed >= month)
        )
        averages[month] = (Decimal(days) / last.day).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return averages


def rate(count: int, population: Decimal) -> Decimal | None:
    """Incidents per 100 residents, to one decimal place; none on an empty wing."""
    if not population:
        return None
    return (Decimal(count) * 100 / population).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Line:
    indicator: ClimateIndicator
    colour: str
    dashes: str
    points: str  # SVG polyline points, the months without a shown rate left out


@dataclass
class Trend:
    indicators: list[ClimateIndicator]
    months: list[date]
    population: dict[date, Decimal]
    # Month, population, and (count, rate) per indicator; the count None where none was recorded.
    rows: list[tuple[date, Decimal, list[tuple[str | None, str]]]]
    lines: list[Line]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    recorded: set[date]
    updated: datetime | None  # when any of the months shown last changed

    width: int = WIDTH
    height: int = HEIGHT


def trend(*, wing_id: int, months: list[date], suppress: bool) -> Trend:
    """The wing's counts and rates month by month, and a chart of the rates. For readers of
    pseudonymised data (``suppress``), a count from 1 to 4 is shown as "fewer than 5" and has
    no rate, in the table and the chart."""
    found = list(ClimateCount.objects.filter(record__wing=wing_id, record__month__in=months).select_related("record"))
    counts = {(count.record.month, count.indicator_id): count.count for count in found}
    updated = max((count.record.updated_at for count in found), default=None)
    recorded = {month for month, _ in counts}
    used = {indicator for _, indicator in counts}
    indicators = list(ClimateIndicator.objects.filter(Q(retired=False) | Q(pk__in=used)))
    population = populations(wing_id=wing_id, months=months)
    values: dict[tuple[date, int], Decimal | None] = {}
    rows = []
    for month in months:
        cells = []
        for indicator in indicators:
            count = counts.get((month, indicator.pk))
            if count is None:
                cells.append((None, ""))
            elif suppress and 0 < count < SMALLEST_SHOWN:
                cells.append((FEWER_THAN_5, ""))
            else:
                values[(month, indicator.pk)] = rate(count, population[month])
                shown = values[(month, indicator.pk)]
                cells.append((str(count), "" if shown is None else str(shown)))
        rows.append((month, population[month], cells))
    return _chart(indicators, months, population, rows, values, recorded, updated)


def _chart(indicators, months, population, rows, values, recorded, updated) -> Trend:
    # The axis tops out at the next multiple of four above the highest rate, so its five ticks
    # are whole numbers.
    highest = max([value for value in values.values() if value is not None] or [Decimal(0)])
    top = Decimal(max(4, math.ceil(highest / 4) * 4))
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return LEFT + (plot_width * index / max(1, len(months) - 1))

    def y(value: Decimal) -> float:
        return TOP + plot_height * (1 - float(value / top))

    lines = []
    for number, indicator in enumerate(indicators):
        colour, dashes = STYLES[number % len(STYLES)]
        points = " ".join(
            f"{x(index):.1f},{y(values[(month, indicator.pk)]):.1f}"
            for index, month in enumerate(months)
            if values.get((month, indicator.pk)) is not None
        )
        lines.append(Line(indicator, colour, dashes, points))
    y_ticks = [(y(top * step / 4), f"{top * step / 4:.0f}") for step in range(5)]
    x_ticks = [(x(index), f"{month:%b %y}") for index, month in enumerate(months)]
    return Trend(indicators, months, population, rows, lines, y_ticks, x_ticks, recorded, updated)
