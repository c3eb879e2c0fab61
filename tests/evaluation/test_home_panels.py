"""The evaluation on the wing dashboard: the assessment period under way as a span to count
within, and the grid, each CFO role's rung and the climate trend in small, checked against
hand-built records with the expected values written out — including another wing's records,
an earlier period's and a period not begun, which must not show.

Today is Wednesday 18 November 2026.
"""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from evaluation.contribution import EvaluationContribution
from evaluation.models import ClimateCount, ClimateIndicator, ClimateMonth
from hamlet.contributions import Span, chosen_span, home_figures, home_panels, spans, this_week
from tests.evaluation.factories import AssessmentPeriodFactory, GridRatingFactory
from tests.mentoring.factories import MentorContactFactory, PeerRoleFactory, RoleHoldingFactory
from tests.residents.factories import ResidentFactory

TODAY = dt.date(2026, 11, 18)
D = dt.date


@pytest.fixture
def periods(hamlet_wing, other_wing, peer_mentor_role, manager):
    """The Hamlet's closed baseline (spring), its autumn follow-up under way, and a spring 2027
    follow-up not begun; the other wing has a period under way of its own."""
    baseline = AssessmentPeriodFactory(
        wing=hamlet_wing, label="Baseline", starts_on=D(2026, 3, 1), ends_on=D(2026, 4, 30), closed_on=D(2026, 5, 1)
    )
    autumn = AssessmentPeriodFactory(
        wing=hamlet_wing, label="Autumn 2026", starts_on=D(2026, 9, 1), ends_on=D(2027, 2, 28)
    )
    spring = AssessmentPeriodFactory(
        wing=hamlet_wing, label="Spring 2027", starts_on=D(2027, 3, 1), ends_on=D(2027, 8, 31)
    )
    elsewhere = AssessmentPeriodFactory(
        wing=other_wing, label="Winter", starts_on=D(2026, 10, 1), ends_on=D(2026, 12, 31)
    )
    for period, stage, rating in [
        (baseline, 1, "red"),
        (baseline, 2, "red"),
        (autumn, 1, "green"),
        (autumn, 3, "orange"),
        (autumn, 6, "red"),
        (spring, 2, "green"),
        (elsewhere, 2, "green"),
    ]:
        GridRatingFactory(period=period, stage=stage, rating=rating)
    ambassador = PeerRoleFactory(establishment=hamlet_wing.establishment, title="Ambassador", is_cfo_role=True, order=1)
    retired = PeerRoleFactory(
        establishment=hamlet_wing.establishment, title="Wing rep", is_cfo_role=True, retired=True, order=2
    )
    PeerRoleFactory(establishment=hamlet_wing.establishment, title="Old role", is_cfo_role=True, retired=True)
    listener = PeerRoleFactory(establishment=hamlet_wing.establishment, title="Listener")
    for period, role, rung in [
        (baseline, peer_mentor_role, 1),
        (baseline, ambassador, 1),
        (autumn, peer_mentor_role, 2),
        (autumn, retired, 3),  # retired since, but placed in this period: still shown
        (autumn, listener, 1),  # not a CFO role, but placed: shown as placed
    ]:
        period.role_rungs.create(role=role, rung=rung, evidence="Feedback forms")
    return {"baseline": baseline, "autumn": autumn, "spring": spring, "elsewhere": elsewhere}


def panels_for(wing, user) -> dict:
    found = EvaluationContribution().home_panels(wing=wing, user=user, today=TODAY, span=this_week(TODAY))
    return {panel.title: panel for panel in found}


def test_the_period_under_way_is_offered_as_a_span_up_to_today(hamlet_wing, other_wing, periods):
    assert EvaluationContribution().spans(wing=hamlet_wing, today=TODAY) == [
        Span("period", "This period (Autumn 2026)", D(2026, 9, 1), TODAY)
    ]
    assert EvaluationContribution().spans(wing=other_wing, today=TODAY) == [
        Span("period", "This period (Winter)", D(2026, 10, 1), TODAY)
    ]
    assert EvaluationContribution().spans(wing=None, today=TODAY) == []
    assert [span.key for span in spans(wing=hamlet_wing, today=TODAY)] == ["week", "month", "period"]


def test_no_period_is_offered_between_periods(hamlet_wing, periods):
    between = D(2026, 6, 15)  # after the baseline, before the autumn
    assert EvaluationContribution().spans(wing=hamlet_wing, today=between) == []
    assert chosen_span("period", wing=hamlet_wing, today=between).key == "week"


def test_choosing_the_period_counts_mentoring_figures_within_it(hamlet_wing, peer_mentor_role, periods, manager):
    mentor = ResidentFactory(wing=hamlet_wing, arrived_on=D(2026, 1, 5))
    RoleHoldingFactory(resident=mentor, role=peer_mentor_role, started_on=D(2026, 1, 5))
    for day in [D(2026, 11, 17), D(2026, 10, 5), D(2026, 9, 1), D(2026, 8, 31)]:  # the last before the period
        MentorContactFactory(mentor=mentor, occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    counted = {}
    for key in ["week", "period"]:
        span = chosen_span(key, wing=hamlet_wing, today=TODAY)
        found = {f.label: f for f in home_figures(wings=[hamlet_wing], user=manager, today=TODAY, span=span)}
        counted[key] = found["Mentor contacts"].value_for(hamlet_wing.pk)
    assert counted == {"week": 1, "period": 3}


def test_the_grid_in_small_shows_the_latest_periods_rating_of_each_stage_in_words(hamlet_wing, periods, manager):
    panel = panels_for(hamlet_wing, manager)["Social-capital grid"]
    ratings = [
        (stage.number, rating.rating if rating else None)
        for _, stages in panel.context["sources"]
        for stage, rating in stages
    ]
    assert ratings == [(1, "green"), (2, None), (3, "orange"), (4, None), (5, None), (6, "red")]
    assert panel.url == f"/evaluation/periods/{periods['autumn'].pk}/"
    html = render_to_string(panel.template, {"data": panel.context})
    assert '<strong class="govuk-tag govuk-tag--green">Successes identified</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--orange">Realistic future potential</strong>' in html
    assert html.count("Not rated") == 3


def test_between_periods_the_grid_shows_the_last_one(hamlet_wing, periods, manager):
    found = EvaluationContribution().home_panels(wing=hamlet_wing, user=manager, today=D(2026, 6, 15), span=None)
    grid = {panel.title: panel for panel in found}["Social-capital grid"]
    assert grid.context["period"] == periods["baseline"]


def test_each_cfo_roles_rung_in_small_links_to_the_ladder(hamlet_wing, periods, manager):
    panel = panels_for(hamlet_wing, manager)["Participation ladder"]
    rows = [(role.title, rung.rung if rung else None) for role, rung in panel.context["rows"]]
    # Peer mentors (order 0), the Ambassador not placed yet, the Wing rep placed before it was
    # retired, the Listener placed though not a CFO role; the Old role, retired and never placed, is left out.
    assert sorted(rows, key=str) == sorted(
        [("Peer mentors", 2), ("Ambassador", None), ("Wing rep", 3), ("Listener", 1)], key=str
    )
    assert panel.url == f"/evaluation/periods/{periods['autumn'].pk}/ladder/"
    html = render_to_string(panel.template, {"data": panel.context})
    assert "2: Consultation" in html
    assert "Not placed yet" in html


@pytest.fixture
def climate(hamlet_wing, other_wing):
    """Counts for six months on the Hamlet (and May, a month too early to show), and November's
    at the other wing; 20 residents on the Hamlet all the while."""
    for _ in range(20):
        ResidentFactory(wing=hamlet_wing, arrived_on=D(2026, 1, 5))
    self_harm, fights = (
        ClimateIndicator.objects.get(name=name) for name in ["Self-harm incidents", "Fights and violence"]
    )
    for wing, month, harm, fought in [
        (hamlet_wing, D(2026, 5, 1), 9, 9),  # the seventh month back: not shown
        (hamlet_wing, D(2026, 6, 1), 8, 10),
        (hamlet_wing, D(2026, 9, 1), 5, 6),
        (hamlet_wing, D(2026, 11, 1), 3, 6),
        (other_wing, D(2026, 11, 1), 7, 7),
    ]:
        record = ClimateMonth.objects.create(wing=wing, month=month)
        ClimateCount.objects.create(record=record, indicator=self_harm, count=harm)
        ClimateCount.objects.create(record=record, indicator=fights, count=fought)
    return hamlet_wing


def climate_cells(panel) -> dict[str, list]:
    """Each month shown, with the self-harm and fights cells (count, rate)."""
    trend = panel.context["trend"]
    names = [indicator.name for indicator in trend.indicators]
    harm, fights = names.index("Self-harm incidents"), names.index("Fights and violence")
    return {f"{month:%b}": [cells[harm], cells[fights]] for month, _, cells in trend.rows}


def test_the_climate_trend_shows_the_last_six_months_of_the_wing(climate, manager):
    panel = panels_for(climate, manager)["Social climate"]
    assert climate_cells(panel) == {
        "Jun": [("8", "40.0"), ("10", "50.0")],
        "Jul": [(None, ""), (None, "")],
        "Aug": [(None, ""), (None, "")],
        "Sep": [("5", "25.0"), ("6", "30.0")],
        "Oct": [(None, ""), (None, "")],
        "Nov": [("3", "15.0"), ("6", "30.0")],
    }
    assert panel.url == "/evaluation/climate/"
    html = render_to_string(panel.template, {"data": panel.context})
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 260"' in html
    assert 'id="home-climate-chart-title"' in html
    assert "style=" not in html  # the CSP allows no inline style


def test_an_evaluator_sees_the_panels_with_small_climate_counts_suppressed(climate, periods, evaluator):
    panels = panels_for(climate, evaluator)
    assert list(panels) == ["Social-capital grid", "Participation ladder", "Social climate"]
    assert climate_cells(panels["Social climate"])["Nov"] == [("fewer than 5", ""), ("6", "30.0")]


def test_an_administrator_sees_no_evaluation_panel(hamlet_wing, periods, administrator):
    assert panels_for(hamlet_wing, administrator) == {}


def test_the_dashboard_lists_mentorings_and_the_evaluations_panels_for_the_current_wing(hamlet_wing, periods, manager):
    ours = ["Succession", "Social-capital grid", "Participation ladder", "Social climate"]
    titles = [p.title for p in home_panels(wing=hamlet_wing, user=manager, today=TODAY, span=this_week(TODAY))]
    assert [title for title in titles if title in ours] == ours  # mentoring's first, in INSTALLED_APPS order


def test_the_panels_cost_the_same_queries_however_many_periods_ratings_and_months(
    climate, periods, manager, django_assert_num_queries
):
    panels_for(climate, manager)  # the user's permissions, once
    # The latest period, its ratings; its rungs, the roles; the climate counts, indicators and residents.
    with django_assert_num_queries(7):
        panels_for(climate, manager)
    for n in range(5):
        earlier = AssessmentPeriodFactory(
            wing=climate, label=f"Earlier {n}", starts_on=D(2025, n + 1, 1), ends_on=D(2025, n + 1, 20)
        )
        GridRatingFactory(period=earlier, stage=1)
    for month in [D(2026, 7, 1), D(2026, 8, 1), D(2026, 10, 1)]:
        ClimateMonth.objects.create(wing=climate, month=month)
    with django_assert_num_queries(7):
        panels_for(climate, manager)
