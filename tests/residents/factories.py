"""Factories for residents and their engagement journey."""

from datetime import timedelta

import factory
from django.utils import timezone

from residents.models import (
    AgeBand,
    NonAssociation,
    Resident,
    SentenceType,
    Stage,
    StageChange,
    SupportContact,
    SupportType,
)
from tests.hamlet.factories import WingFactory


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    wing = factory.SubFactory(WingFactory)
    establishment = factory.SelfAttribute("wing.establishment")
    prison_number = factory.Sequence(lambda n: f"A{n % 10000:04d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    pseudonym = factory.Sequence(lambda n: f"Resident {n}")
    houseblock = factory.LazyAttribute(lambda resident: resident.wing.houseblocks.first())
    room = "1"
    sentence_type = SentenceType.SHORT
    age_band = AgeBand.THIRTIES
    arrived_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))


class ReferredResidentFactory(ResidentFactory):
    """A person of the establishment referred onto a wing and not on one yet: no wing, no
    houseblock or room, no arrival."""

    wing = None
    establishment = factory.SubFactory("tests.hamlet.factories.EstablishmentFactory")
    houseblock = None
    room = ""
    arrived_on = None


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    resident = factory.SubFactory(ResidentFactory)
    stage = Stage.PRE_ENGAGEMENT
    changed_on = factory.LazyFunction(timezone.localdate)


class SupportContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportContact

    resident = factory.SubFactory(ResidentFactory)
    contact_on = factory.LazyFunction(timezone.localdate)
    contact_type = SupportType.ROOM_VISIT


class NonAssociationFactory(factory.django.DjangoModelFactory):
    """Two residents of one wing; ``second`` is made after ``first``, so the pair is in order."""

    class Meta:
        model = NonAssociation

    first = factory.SubFactory(ResidentFactory)
    second = factory.SubFactory(ResidentFactory, wing=factory.SelfAttribute("..first.wing"))
