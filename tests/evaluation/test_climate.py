"""Social-climate indicators (issue 14): each month's population and rates worked out by hand
from hand-built stays and counts, what evaluators see, and a month recorded through its page."""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import climate
from evaluation.models import ClimateCount, ClimateIndicator, ClimateMonth
from residents.models import DepartureReason
from tests.residents.factories import ResidentFactory

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)


def test_a_months_population_is_the_average_on_the_wing_over_its_days(hamlet_wing, other_wing):
    ResidentFactory(wing=hamlet_wing, arrived_on=date(2025, 6, 1))  # all of both months: 31 and 30 days
    ResidentFactory(wing=hamlet_wing, arrived_on=date(2026, 3, 17))  # 15 days of March, all of April
    ResidentFactory(wing=hamlet_wing, arrived_on=date(2025, 6, 1), departed_on=date(2026, 3, 10),
                    departure_reason=DepartureReason.RELEASED)  # 10 days of March  # fmt: skip
    ResidentFactory(wing=hamlet_wing, arrived_on=date(2025, 6, 1), departed_on=date(2026, 2, 28),
                    departure_reason=DepartureReason.RELEASED)  # left before  # fmt: skip
    ResidentFactory(wing=other_wing, arrived_on=date(2025, 6, 1))
    # March: (31 + 15 + 10) / 31 = 1.806…; April: (30 + 30) / 30 = 2.
    assert climate.populations(wing_id=hamlet_wing.pk, months=[MARCH, APRIL]) == {
        MARCH: Decimal("1.8"),
        APRIL: Decimal("2.0"),
    }


def test_rates_are_per_100_residents_and_evaluators_see_small_counts_suppressed(hamlet_wing):
    for _ in range(40):
        ResidentFactory(wing=hamlet_wing, arrived_on=date(2025, 6, 1))
    self_harm, fights = (
        ClimateIndicator.objects.get(name="Self-harm incidents"),
        ClimateIndicator.objects.get(name="Fights and violence"),
    )
    record = ClimateMonth.objects.create(wing=hamlet_wing, month=MARCH)
    ClimateCount.objects.create(record=record, indicator=self_harm, count=3)
    ClimateCount.objects.create(record=record, indicator=fights, count=6)
    staff_view = climate.trend(wing_id=hamlet_wing.pk, months=[MARCH, APRIL], suppress=False)
    names = [indicator.name for indicator in staff_view.indicators]
    march = dict(zip(names, staff_view.rows[0][2], strict=True))
    # 3 and 6 incidents among 40 residents: 7.5 and 15.0 per 100.
    assert (march["Self-harm incidents"], march["Fights and violence"]) == (("3", "7.5"), ("6", "15.0"))
    assert dict(zip(names, staff_view.rows[1][2], strict=True))["Fights and violence"] == (None, "")
    evaluator_view = climate.trend(wing_id=hamlet_wing.pk, months=[MARCH, APRIL], suppress=True)
    march = dict(zip(names, evaluator_view.rows[0][2], strict=True))
    assert (march["Self-harm incidents"], march["Fights and violence"]) == (("fewer than 5", ""), ("6", "15.0"))
    # The suppressed count is not drawn either.
    lines = {line.indicator.name: line.points for line in evaluator_view.lines}
    assert (lines["Self-harm incidents"], bool(lines["Fights and violence"])) == ("", True)


def _post(client, url: str, data: dict):
    response = client.get(url)
    return client.post(url, {**data, "version": response.context["form"]["version"].value() or ""})


def test_staff_record_a_month_and_a_second_editor_is_stopped(client, staff, manager, hamlet_wing):
    self_harm = ClimateIndicator.objects.get(name="Self-harm incidents")
    url = reverse("evaluation:climate_month", args=[2026, 3])
    client.force_login(manager)
    stale = client.get(url).context["form"]["version"].value() or ""
    client.force_login(staff)
    assert _post(client, url, {f"indicator_{self_harm.pk}": "4"}).status_code == 302
    record = ClimateMonth.objects.get(wing=hamlet_wing, month=MARCH)
    assert list(record.counts.values_list("indicator__name", "count")) == [("Self-harm incidents", 4)]
    client.force_login(manager)
    response = client.post(url, {f"indicator_{self_harm.pk}": "9", "version": stale})
    # Opened before the month was first recorded, the form is out of date: refused, not saved over.
    assert "This form is out of date" in str(response.context["form"].non_field_errors())
    assert list(record.counts.values_list("count", flat=True)) == [4]
    response = _post(client, url, {f"indicator_{self_harm.pk}": "-1"})
    assert "Self-harm incidents must be 0 or more" in str(response.context["form"].errors[f"indicator_{self_harm.pk}"])


def test_a_month_not_yet_begun_or_impossible_is_not_found(client, staff):
    client.force_login(staff)
    assert client.get(reverse("evaluation:climate_month", args=[2999, 1])).status_code == 404
    assert client.get(reverse("evaluation:climate_month", args=[2026, 13])).status_code == 404


def test_the_climate_pages_queries_do_not_grow_with_months_or_residents(client, staff, hamlet_wing):
    client.force_login(staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("evaluation:climate")).status_code == 200
        return len(queries)

    before = count()
    indicators = list(ClimateIndicator.objects.all())
    for month in climate.months_between(date(2026, 1, 1), date(2026, 6, 1)):
        record = ClimateMonth.objects.create(wing=hamlet_wing, month=month)
        for indicator in indicators:
            ClimateCount.objects.create(record=record, indicator=indicator, count=5)
        ResidentFactory(wing=hamlet_wing, arrived_on=month)
    assert count() == before
