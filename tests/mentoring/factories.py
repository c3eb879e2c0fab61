"""Factories for peer roles and the people who hold them, their training, supervision and
contacts, and recruitment to the roles."""

from datetime import timedelta

import factory
from django.utils import timezone

from mentoring.models import ContactType, Pay, Route, Setting, TrainingStatus, Voice
from tests.hamlet.factories import EstablishmentFactory, WingFactory
from tests.residents.factories import ResidentFactory


class PeerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.PeerRole"

    establishment = factory.SubFactory(EstablishmentFactory)
    title = factory.Sequence(lambda n: f"Peer role {n}")
    pay = Pay.UNPAID
    induction = False
    single_issue = False
    bridging = False


class RoleHoldingFactory(factory.django.DjangoModelFactory):
    """A current holding, from the day the resident arrived, of a role at their establishment."""

    class Meta:
        model = "mentoring.RoleHolding"

    resident = factory.SubFactory(ResidentFactory)
    role = factory.SubFactory(PeerRoleFactory, establishment=factory.SelfAttribute("..resident.establishment"))
    started_on = factory.SelfAttribute("resident.arrived_on")


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.Qualification"

    name = factory.Sequence(lambda n: f"Award in Mentoring {n}")


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.TrainingRecord"

    resident = factory.SubFactory(ResidentFactory)
    qualification = factory.SubFactory(QualificationFactory)
    status = TrainingStatus.ACHIEVED


class MentoringSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.MentoringSettings"

    wing = factory.SubFactory(WingFactory)


class SupervisionSessionFactory(factory.django.DjangoModelFactory):
    """A one-to-one session today, the next due a week later."""

    class Meta:
        model = "mentoring.SupervisionSession"

    mentor = factory.SubFactory(ResidentFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    enough_down_time = True
    out_of_hours_demands = False
    next_due = factory.LazyAttribute(lambda session: session.held_on + timedelta(days=7))


class MentorContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.MentorContact"

    mentor = factory.SubFactory(ResidentFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    contact_type = ContactType.WELCOME
    setting = Setting.HOUSEBLOCK
    minutes = 20


class RecruitmentRoundFactory(factory.django.DjangoModelFactory):
    """An open round, opened today, for a role at the wing's establishment."""

    class Meta:
        model = "mentoring.RecruitmentRound"

    wing = factory.SubFactory(WingFactory)
    role = factory.SubFactory(PeerRoleFactory, establishment=factory.SelfAttribute("..wing.establishment"))
    opened_on = factory.LazyFunction(timezone.localdate)
    places = 2


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.Candidate"

    round = factory.SubFactory(RecruitmentRoundFactory)
    resident = factory.SubFactory(ResidentFactory, wing=factory.SelfAttribute("..round.wing"))
    route = Route.SELF
    added_on = factory.LazyFunction(timezone.localdate)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.Nomination"

    candidate = factory.SubFactory(CandidateFactory)
    by = factory.SubFactory(ResidentFactory, wing=factory.SelfAttribute("..candidate.round.wing"))
    kind = Voice.NOMINATION
    recorded_on = factory.LazyFunction(timezone.localdate)


class InterviewFactory(factory.django.DjangoModelFactory):
    """An interview scoring 3 of 4 on every criterion; ``interviewers`` who held it."""

    class Meta:
        model = "mentoring.Interview"
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    held_on = factory.LazyFunction(timezone.localdate)
    ready = 3
    wants_responsibility = 3
    emotional_skills = 3
    practical_skills = 3
    life_skills = 3

    @factory.post_generation
    def interviewers(self, create, extracted, **kwargs):
        if create and extracted:
            self.interviewers.set(extracted)


class NextStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mentoring.NextStep"

    resident = factory.SubFactory(ResidentFactory)
    description = "Apply to be a Listener"
    recorded_on = factory.LazyFunction(timezone.localdate)
