"""The evaluation's synthetic data keeps the evaluation's rules."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from evaluation.models import AssessmentPeriod, ClimateMonth, GridRating, MappingScore, RelationalMapping


@pytest.fixture
def small(db, monkeypatch):
    monkeypatch.setenv("HAMLET_SYNTHETIC", "1")
    call_command("generate_data", scale="small", seed=3, verbosity=0)


def test_periods_and_instruments_keep_the_evaluations_rules(small):
    today = timezone.localdate()
    assert AssessmentPeriod.objects.count() > 10
    # A wing's periods do not overlap, it has one baseline, and only its latest is open.
    for period in AssessmentPeriod.objects.all():
        assert (
            not AssessmentPeriod.objects.filter(
                wing=period.wing_id, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
            )
            .exclude(pk=period.pk)
            .exists()
        )
    assert (
        not AssessmentPeriod.objects.values("wing")
        .annotate(baselines=Count("pk", filter=Q(baseline=True)), open=Count("pk", filter=Q(closed_on__isnull=True)))
        .exclude(baselines=1, open=1)
        .exists()
    )
    assert not AssessmentPeriod.objects.filter(ends_on__gt=today).exists()
    # Every stage rated once a period; mappings by the wing's own cohorts, within the period.
    assert not AssessmentPeriod.objects.annotate(stages=Count("grid_ratings")).exclude(stages=6).exists()
    assert GridRating.objects.count() == 6 * AssessmentPeriod.objects.count()
    assert RelationalMapping.objects.exists()
    assert not RelationalMapping.objects.exclude(cohort__wing=F("period__wing")).exists()
    assert not RelationalMapping.objects.filter(
        Q(held_on__lt=F("period__starts_on")) | Q(held_on__gt=F("period__ends_on"))
    ).exists()
    assert not MappingScore.objects.filter(score__gt=10).exists()
    assert not ClimateMonth.objects.filter(month__gt=today).exists()
