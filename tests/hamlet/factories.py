"""Factories for the site: establishments, wings, houseblocks, organisations and staff."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hamlet.models import (
    Establishment,
    Estate,
    Houseblock,
    JobTitle,
    Organisation,
    Sector,
    StaffProfile,
    UserSession,
    Wing,
)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment
        django_get_or_create = ["nomis_code"]

    nomis_code = factory.Sequence(lambda n: "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0)))
    name = factory.Sequence(lambda n: f"HMP Example {n}")
    category = "Adult male category C training prison"
    estate = Estate.MALE
    region = "North West"
    approximate_population = 500


class WingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wing

    establishment = factory.SubFactory(EstablishmentFactory)
    name = factory.Sequence(lambda n: f"Wing {n}")
    resident_profile = "Adult men"
    capacity = 40


class HouseblockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Houseblock

    wing = factory.SubFactory(WingFactory)
    name = factory.Sequence(lambda n: f"Houseblock {n}")
    rooms = 20


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Learning provider {n}")
    sector = Sector.LEARNING_AND_SKILLS


class StaffProfileFactory(factory.django.DjangoModelFactory):
    """A user's profile. UserFactory makes one for every user it makes, so pass ``user``."""

    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    job_title = JobTitle.OTHER

    @factory.post_generation
    def establishments(self, create, extracted, **kwargs):
        if create and extracted:
            self.establishments.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-in member of staff: ``role`` names their group, ``establishments`` what they may see."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    # No password unless a test signs in through the form: Argon2 is slow on purpose.
    password = factory.django.Password(None)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def establishments(self, create, extracted, **kwargs):
        if create:
            StaffProfileFactory(user=self, establishments=extracted)


class UserSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserSession

    user = factory.SubFactory(UserFactory)
    session_key = factory.Sequence(lambda n: f"session{n:032d}")
    signed_in_at = factory.LazyFunction(timezone.now)
