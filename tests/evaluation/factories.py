"""Factories for the evaluation's records. They build rows as they are stored; the rules
live in the services."""

from datetime import timedelta

import factory
from django.utils import timezone

from evaluation.models import Rating
from tests.hamlet.factories import WingFactory


class AssessmentPeriodFactory(factory.django.DjangoModelFactory):
    """An open period of the last twelve weeks."""

    class Meta:
        model = "evaluation.AssessmentPeriod"

    wing = factory.SubFactory(WingFactory)
    label = factory.Sequence(lambda n: f"Period {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(weeks=12))
    ends_on = factory.LazyFunction(timezone.localdate)


class GridRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.GridRating"

    period = factory.SubFactory(AssessmentPeriodFactory)
    stage = 1
    rating = Rating.ORANGE
    evidence = "Cohorts meet twice a week"
