"""Factories for the evaluation's records. They build rows as they are stored; the rules
live in the services."""

from datetime import timedelta

import factory
from django.utils import timezone

from evaluation.models import Rating
from tests.hamlet.factories import OrganisationFactory, WingFactory
from tests.programme.factories import CohortFactory


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


class RelationalMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.RelationalMapping"

    period = factory.SubFactory(AssessmentPeriodFactory)
    cohort = factory.SubFactory(CohortFactory, wing=factory.SelfAttribute("..period.wing"))
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))


class MappingScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.MappingScore"

    mapping = factory.SubFactory(RelationalMappingFactory)
    element = "peer_mentors"
    construct = "trusted"
    score = 7


class VoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Voice"

    period = factory.SubFactory(AssessmentPeriodFactory)
    kind = "enabler"
    priority = 1
    summary = "Keeping in touch with family"


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.Finding"

    period = factory.SubFactory(AssessmentPeriodFactory)
    kind = "recommendation"
    summary = "Link peer mentors to the Prisoner Council"


class StaffPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evaluation.StaffPost"

    wing = factory.SubFactory(WingFactory)
    title = factory.Sequence(lambda n: f"CFO officer {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    funded = 2
