"""Assessment periods and the social-capital grid (issue 14): the evidence beside each stage
counted against hand-built records with the answers worked out by hand, the rules of periods
and ratings through the pages, what evaluators see, and the comparisons."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import grid
from evaluation.models import AssessmentPeriod, GridRating, PeriodReopening
from tests.evaluation.factories import AssessmentPeriodFactory, GridRatingFactory
from tests.programme.factories import (
    AttendanceFactory,
    CohortFactory,
    MeetingAttendeeFactory,
    MeetingFactory,
    SessionFactory,
    SuggestionFactory,
)
from tests.residents.factories import ResidentFactory

START, END = date(2026, 3, 2), date(2026, 4, 26)


def _figures(wing) -> dict[int, dict[str, object]]:
    found = grid.evidence(wing_id=wing.pk, starts_on=START, ends_on=END)
    return {stage: {figure.label: figure.value for figure in figures} for stage, figures in found.items()}


@pytest.fixture
def records(hamlet_wing, other_wing):
    """The Hamlet's records in and just outside 2 March to 26 April 2026, and the other wing's."""
    first, second, third = (ResidentFactory(wing=hamlet_wing) for _ in range(3))
    running = CohortFactory(wing=hamlet_wing, starts_on=date(2026, 2, 2), ends_on=date(2026, 3, 29))
    running.peer_mentors.set([first, second])
    CohortFactory(wing=hamlet_wing, phase="phase_2", starts_on=date(2026, 4, 20), ends_on=date(2026, 6, 14))
    earlier = CohortFactory(
        wing=hamlet_wing, starts_on=date(2026, 1, 5), ends_on=date(2026, 3, 1)
    )  # ends the day before
    earlier.peer_mentors.set([third])
    CohortFactory(wing=hamlet_wing, starts_on=date(2026, 3, 9), ends_on=date(2026, 5, 3), status="cancelled")
    elsewhere = CohortFactory(wing=other_wing, starts_on=date(2026, 3, 2), ends_on=date(2026, 4, 26))

    def session(cohort, on, topic="self_reflection", mentors=(), **fields):
        made = SessionFactory(cohort=cohort, on=on, topic=topic, **fields)
        made.co_delivered_by.set(mentors)
        return made

    opening = session(running, START, mentors=[first])  # the first day
    session(running, date(2026, 3, 5))  # reflection, no peer mentor
    closing = session(running, END, topic="employability", mentors=[first, second])  # the last day
    cancelled = session(running, date(2026, 3, 10), mentors=[third], cancel_reason="operational")
    before = session(earlier, date(2026, 3, 1), mentors=[third])  # the day before
    session(elsewhere, date(2026, 3, 3), mentors=[ResidentFactory(wing=other_wing)])
    for mark in ["attended", "attended", "attended", "sick", "refused"]:
        AttendanceFactory(session=opening, resident=ResidentFactory(wing=hamlet_wing), mark=mark)
    for _ in range(2):
        AttendanceFactory(session=closing, resident=ResidentFactory(wing=hamlet_wing))
    for held in (before, cancelled):
        AttendanceFactory(session=held, resident=ResidentFactory(wing=hamlet_wing), mark="refused")

    hig = MeetingFactory(wing=hamlet_wing, kind="hig", held_on=date(2026, 3, 10))
    forum = MeetingFactory(wing=hamlet_wing, kind="forum", held_on=date(2026, 4, 1))
    community = MeetingFactory(wing=hamlet_wing, kind="community", held_on=date(2026, 3, 11))
    late_hig = MeetingFactory(wing=hamlet_wing, kind="hig", held_on=date(2026, 4, 27))  # the day after
    other_hig = MeetingFactory(wing=other_wing, kind="hig", held_on=date(2026, 3, 10))
    for meeting, answer in [(hig, "adopted"), (hig, "adapted"), (hig, "declined"), (hig, ""), (forum, "adopted"),
                            (community, "adopted"), (late_hig, "adopted")]:  # fmt: skip
        SuggestionFactory(wing=hamlet_wing, meeting=meeting, answer=answer, received_on=date(2026, 3, 1))
    SuggestionFactory(wing=other_wing, meeting=other_hig, answer="adopted", received_on=date(2026, 3, 1))

    for held_on, mentor in [(date(2026, 3, 15), False), (date(2026, 3, 20), True)]:
        MeetingAttendeeFactory(meeting=MeetingFactory(wing=hamlet_wing, kind="council", held_on=held_on),
                               as_peer_mentor=mentor)  # fmt: skip
    MeetingFactory(wing=hamlet_wing, kind="council", held_on=date(2026, 3, 25))  # no one from the wing
    MeetingAttendeeFactory(meeting=MeetingFactory(wing=hamlet_wing, kind="council", held_on=date(2026, 2, 28)))
    MeetingAttendeeFactory(meeting=MeetingFactory(wing=other_wing, kind="council", held_on=date(2026, 3, 15)))
    MeetingAttendeeFactory(meeting=MeetingFactory(wing=hamlet_wing, kind="beyond", held_on=date(2026, 4, 10)))
    MeetingFactory(wing=hamlet_wing, kind="beyond", held_on=date(2026, 4, 11))


def test_each_stages_figures_count_the_periods_records_and_nothing_outside_it(hamlet_wing, records):
    figures = _figures(hamlet_wing)
    rate = figures[1].pop("Attendance at sessions held")
    assert figures == {
        # The running Phase 1 and the Phase 2 starting in the last week; not the one that ended the
        # day before, the cancelled one or the other wing's.
        1: {"Phase 1 cohorts running": 1, "Phase 2 cohorts running": 1},
        # Self-reflection on the first day (with a peer mentor) and on 5 March (without); not the
        # cancelled one or the one the day before.
        2: {"Self-reflection sessions held": 2, "of them with a peer mentor co-delivering": 1},
        3: {
            "Sessions held with a peer mentor co-delivering": 2,
            "Peer mentors who co-delivered a session": 2,
            "Peer mentors attached to a cohort": 2,
        },
        # Four at the HiG and one at the forum; not the community meeting's, the late HiG's or the other wing's.
        4: {"Suggestions taken to the HiG or a wing forum": 5, "of them adopted": 2, "of them adapted": 1},
        5: {
            "Prisoner Council meetings": 3,
            "with a wing resident present": 2,
            "with a peer mentor present as one": 1,
        },
        6: {"Forums beyond the prison with a wing resident present": 1},
    }
    # The held sessions' seven marks: five attended, one sick (excused), one refused: 5 of 6.
    assert (rate.attended, rate.excused, rate.marked, rate.percent) == (5, 1, 7, 83)


def test_a_period_with_no_records_counts_nothing(hamlet_wing):
    figures = _figures(hamlet_wing)
    assert figures[1]["Attendance at sessions held"].percent is None
    assert {label: value for stage in (2, 3, 4, 5, 6) for label, value in figures[stage].items()} == {
        label: 0 for stage in (2, 3, 4, 5, 6) for label in _figures(hamlet_wing)[stage]
    }


def _post(client, url: str, data: dict):
    response = client.get(url)
    return client.post(url, {**data, "version": response.context["form"]["version"].value() or ""})


def test_a_custody_manager_rates_a_stage_and_the_grid_shows_its_word_and_evidence(client, manager, period):
    client.force_login(manager)
    url = reverse("evaluation:grid_rate", args=[period.pk, 3])
    response = _post(client, url, {"rating": "orange", "evidence": "Mentors help at two sessions a week"})
    assert response.status_code == 302
    rating = GridRating.objects.get(period=period, stage=3)
    assert (rating.rating, rating.rated_by) == ("orange", manager)
    page = client.get(period.get_absolute_url()).content.decode()
    assert "Realistic future potential" in page
    assert "Mentors help at two sessions a week" in page
    assert "govuk-tag--orange" in page


def test_evidence_naming_a_resident_of_the_wing_is_refused_next_to_the_field(client, manager, period, resident):
    client.force_login(manager)
    url = reverse("evaluation:grid_rate", args=[period.pk, 1])
    for named in (resident.pseudonym.upper(), resident.prison_number.lower()):
        response = _post(client, url, {"rating": "green", "evidence": f"Led by {named} every week"})
        assert response.status_code == 200
        assert "This names a resident of the wing" in str(response.context["form"].errors["evidence"])
    assert not GridRating.objects.filter(period=period).exists()


def test_two_managers_rating_the_same_stage_do_not_overwrite_each_other(client, manager, period, grid_rating):
    client.force_login(manager)
    url = reverse("evaluation:grid_rate", args=[period.pk, 1])
    opened = client.get(url).context["form"]["version"].value()
    client.post(url, {"rating": "green", "evidence": "First save", "version": opened})
    response = client.post(url, {"rating": "red", "evidence": "Second save", "version": opened})
    assert response.status_code == 200
    form = response.context["form"]
    assert "Someone else saved this stage's rating" in form.non_field_errors()[0]
    assert "Evidence was changed from" in str(form.errors["evidence"])
    assert GridRating.objects.get(pk=grid_rating.pk).evidence == "First save"


def test_a_closed_period_refuses_ratings_until_reopened_with_a_reason(client, manager, period, grid_rating):
    client.force_login(manager)
    version = client.get(period.get_absolute_url()).context["close_form"]["version"].value()
    assert client.post(reverse("evaluation:period_close", args=[period.pk]), {"version": version}).status_code == 302
    period.refresh_from_db()
    assert period.closed_on is not None
    assert period.closed_by == manager
    url = reverse("evaluation:grid_rate", args=[period.pk, 1])
    response = _post(client, url, {"rating": "green", "evidence": "Later evidence"})
    assert "This period is closed" in response.content.decode()
    assert GridRating.objects.get(pk=grid_rating.pk).rating == "orange"
    # The page offers no way to rate a closed period.
    assert url not in client.get(period.get_absolute_url()).content.decode()

    reopen = reverse("evaluation:period_reopen", args=[period.pk])
    response = _post(client, reopen, {"reason": ""})
    assert "Say why the period is being reopened" in str(response.context["form"].errors["reason"])
    assert _post(client, reopen, {"reason": "The HiG minutes came in late"}).status_code == 302
    assert PeriodReopening.objects.get(period=period).reason == "The HiG minutes came in late"
    assert _post(client, url, {"rating": "green", "evidence": "Later evidence"}).status_code == 302


def test_periods_of_a_wing_cannot_overlap_and_a_wing_has_one_baseline(client, manager, hamlet_wing):
    AssessmentPeriodFactory(wing=hamlet_wing, label="Baseline", baseline=True, starts_on=START, ends_on=END)
    client.force_login(manager)
    url = reverse("evaluation:period_add")
    dates = {"starts_on_0": "26", "starts_on_1": "4", "starts_on_2": "2026", "ends_on_0": "1", "ends_on_1": "6",
             "ends_on_2": "2026"}  # fmt: skip
    errors = client.post(url, {"label": "Follow-up", **dates}).context["form"].errors
    assert "These dates overlap Baseline (2 March 2026 to 26 April 2026)" in str(errors["starts_on"])
    later = {**dates, "starts_on_0": "27", "baseline": "on"}
    errors = client.post(url, {"label": "Follow-up", **later}).context["form"].errors
    assert "The wing already has a baseline, Baseline" in str(errors["baseline"])
    later.pop("baseline")
    assert client.post(url, {"label": "Follow-up", **later}).status_code == 302
    assert AssessmentPeriod.objects.filter(wing=hamlet_wing).count() == 2


def test_evaluators_see_small_counts_and_rates_on_few_sessions_suppressed(
    client, evaluator, staff, hamlet_wing, records
):
    period = AssessmentPeriodFactory(wing=hamlet_wing, starts_on=START, ends_on=END)
    client.force_login(evaluator)
    page = client.get(period.get_absolute_url()).content.decode()
    assert "fewer than 5" in page
    assert "not shown (fewer than 10)" in page
    assert "83%" not in page
    client.force_login(staff)
    page = client.get(period.get_absolute_url()).content.decode()
    assert "fewer than 5" not in page
    assert "83%" in page


def test_two_periods_compared_show_what_moved(client, staff, hamlet_wing):
    baseline = AssessmentPeriodFactory(wing=hamlet_wing, label="Baseline", starts_on=date(2026, 1, 5), ends_on=START)
    follow_up = AssessmentPeriodFactory(wing=hamlet_wing, label="Follow-up", starts_on=date(2026, 3, 3), ends_on=END)
    for stage, before, after in [(1, "orange", "green"), (2, "green", "orange"), (3, "red", "red")]:
        GridRatingFactory(period=baseline, stage=stage, rating=before)
        GridRatingFactory(period=follow_up, stage=stage, rating=after)
    GridRatingFactory(period=follow_up, stage=4, rating="orange")
    client.force_login(staff)
    # With no choice made, the latest period is compared with the baseline.
    response = client.get(reverse("evaluation:grid_compare"), follow=True)
    rows = [row for group in response.context["sources"] for row in group.rows]
    assert [row.movement for row in rows] == ["up", "down", "same", "newly rated", "not rated", "not rated"]


def test_every_wing_side_by_side_takes_the_latest_closed_period_or_the_one_covering_a_date(
    client, evaluator, hamlet_wing, other_wing
):
    old = AssessmentPeriodFactory(wing=hamlet_wing, starts_on=date(2025, 1, 6), ends_on=date(2025, 6, 1),
                                  closed_on=date(2025, 6, 2), label="Baseline")  # fmt: skip
    latest = AssessmentPeriodFactory(wing=hamlet_wing, starts_on=date(2025, 6, 2), ends_on=date(2025, 12, 1),
                                     closed_on=date(2025, 12, 2), label="Follow-up")  # fmt: skip
    AssessmentPeriodFactory(wing=hamlet_wing, starts_on=date(2025, 12, 2), ends_on=END, label="Open")
    GridRatingFactory(period=latest, stage=2, rating="green")
    GridRatingFactory(period=old, stage=2, rating="red")
    client.force_login(evaluator)
    rows = {row.wing: row for row in client.get(reverse("evaluation:grid_wings")).context["rows"]}
    assert rows[hamlet_wing].period == latest
    assert rows[other_wing].period is None
    assert [rating and rating.rating for rating in rows[hamlet_wing].cells] == [None, "green", None, None, None, None]
    on = {"on_0": "1", "on_1": "3", "on_2": "2025"}
    rows = {row.wing: row for row in client.get(reverse("evaluation:grid_wings"), on).context["rows"]}
    assert rows[hamlet_wing].period == old


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_periods_ratings_or_wings(client, manager, hamlet_wing, records):
    period = AssessmentPeriodFactory(wing=hamlet_wing, starts_on=START, ends_on=END, closed_on=END)
    GridRatingFactory(period=period, stage=1)
    client.force_login(manager)
    urls = [reverse("evaluation:periods"), period.get_absolute_url(), reverse("evaluation:grid_wings"),
            f"{reverse('evaluation:grid_compare')}?before={period.pk}&after={period.pk}"]  # fmt: skip
    before = [_queries(client, url) for url in urls]
    for number, stage in enumerate(range(2, 7)):
        GridRatingFactory(period=period, stage=stage)
        earlier = AssessmentPeriodFactory(wing=hamlet_wing, starts_on=date(2024, number + 1, 1),
                                          ends_on=date(2024, number + 1, 20), closed_on=date(2024, 12, 1))  # fmt: skip
        GridRatingFactory(period=earlier, stage=stage)
    manager.staff_profile.establishments.add(AssessmentPeriodFactory().wing.establishment)
    assert [_queries(client, url) for url in urls] == before
