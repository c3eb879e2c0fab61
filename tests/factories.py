from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hamlet.models import Establishment, Estate, Houseblock, JobTitle, StaffProfile, Wing
from residents.models import AgeBand, Resident, SentenceType


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
        if not create:
            return
        profile = StaffProfile.objects.create(user=self, job_title=JobTitle.OTHER)
        profile.establishments.set(extracted or [])


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
