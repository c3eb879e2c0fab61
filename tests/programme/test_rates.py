"""Attendance rates and what counts, against hand-built marks with the answers worked out by hand.

Rate = attended ÷ (sessions held − excused); sick, rest day, clash and "not required or
excused" are excused; refused and other are absences; a cancelled session is not held."""

from datetime import timedelta

from django.utils import timezone

from programme.selectors import rates_by_cohort, rates_by_resident
from tests.programme.factories import AttendanceFactory, CohortFactory, EnrolmentFactory, SessionFactory

TODAY = timezone.localdate()


def _sessions(cohort, count: int, **fields):
    return [SessionFactory(cohort=cohort, on=TODAY - timedelta(days=20 - day), **fields) for day in range(count)]


def test_a_residents_rate_counts_absences_but_not_excused_sessions_or_cancelled_ones(hamlet_wing):
    cohort = CohortFactory(wing=hamlet_wing)
    ada = EnrolmentFactory(cohort=cohort).resident
    held = _sessions(cohort, 8)
    cancelled = SessionFactory(cohort=cohort, on=TODAY - timedelta(days=1), cancel_reason="operational")
    marks = ["attended", "attended", "attended", "attended", "refused", "other", "sick", "rest_day"]
    for session, mark in zip(held, marks, strict=True):
        AttendanceFactory(
            session=session, resident=ada, mark=mark, other_reason="Court video link" if mark == "other" else ""
        )
    AttendanceFactory(session=cancelled, resident=ada, mark="refused")  # left over from before it was cancelled

    rate = rates_by_resident(cohort=cohort)[ada.pk]
    # 8 held marks, 2 excused (sick, rest day): 4 attended of 6 that count.
    assert (rate.attended, rate.excused, rate.marked, rate.counted, rate.percent) == (4, 2, 8, 6, 67)


def test_a_cohorts_rate_adds_its_residents_marks_and_leaves_out_other_cohorts(hamlet_wing, other_wing):
    cohort = CohortFactory(wing=hamlet_wing)
    bea, cy = EnrolmentFactory(cohort=cohort).resident, EnrolmentFactory(cohort=cohort).resident
    first, second, third = _sessions(cohort, 3)
    for session, bea_mark, cy_mark in [(first, "attended", "attended"), (second, "attended", "clash"),
                                       (third, "refused", "excused")]:  # fmt: skip
        AttendanceFactory(session=session, resident=bea, mark=bea_mark)
        AttendanceFactory(session=session, resident=cy, mark=cy_mark)
    elsewhere = CohortFactory(wing=other_wing)
    AttendanceFactory(session=SessionFactory(cohort=elsewhere), resident=EnrolmentFactory(cohort=elsewhere).resident,
                      mark="refused")  # fmt: skip

    rates = rates_by_cohort(cohorts=[cohort, elsewhere])
    # Bea 2 of 3; Cy 1 of 1 (clash and excused left out): 3 attended of 4 that count.
    assert (rates[cohort.pk].attended, rates[cohort.pk].counted, rates[cohort.pk].percent) == (3, 4, 75)
    assert (rates[elsewhere.pk].attended, rates[elsewhere.pk].counted, rates[elsewhere.pk].percent) == (0, 1, 0)
    by_resident = rates_by_resident(cohort=cohort)
    assert (by_resident[bea.pk].percent, by_resident[cy.pk].percent) == (67, 100)


def test_a_resident_with_only_excused_sessions_has_no_rate_yet(hamlet_wing):
    cohort = CohortFactory(wing=hamlet_wing)
    dee = EnrolmentFactory(cohort=cohort).resident
    AttendanceFactory(session=_sessions(cohort, 1)[0], resident=dee, mark="sick")
    rate = rates_by_resident(cohort=cohort)[dee.pk]
    assert rate.percent is None
    assert str(rate) == "no sessions yet"
