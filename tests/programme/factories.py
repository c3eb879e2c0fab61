"""Factories for the programme's records: waiting-list entries, cohorts, enrolments,
sessions and marks. They build rows as they are stored; the rules live in the services."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from programme.models import DeliveredBy, Mark, Phase, ReferralSource, ReferralStatus, Referrer, Topic, WaitingStatus
from tests.hamlet.factories import WingFactory
from tests.residents.factories import ReferredResidentFactory, ResidentFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    """A person elsewhere in the wing's establishment, referred onto it ten days ago."""

    class Meta:
        model = "programme.Referral"
        skip_postgeneration_save = True

    wing = factory.SubFactory(WingFactory)
    resident = factory.SubFactory(ReferredResidentFactory, establishment=factory.SelfAttribute("..wing.establishment"))
    referred_by = ReferralSource.CFO_OFFICER
    why = "Keen to start the course; asked about the wing at education"
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    status = ReferralStatus.REFERRED
    status_on = factory.SelfAttribute("referred_on")

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        """The referral's first line of history, as ``services.referral_add`` writes it."""
        if create:
            self.history.create(to_status=ReferralStatus.REFERRED, on=self.referred_on)


class WaitingListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.WaitingListEntry"

    resident = factory.SubFactory(ResidentFactory)
    phase = Phase.PHASE_1
    referred_by = Referrer.WING_STAFF
    referred_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    status = WaitingStatus.APPROVED
    status_on = factory.SelfAttribute("referred_on")


class CohortFactory(factory.django.DjangoModelFactory):
    """An eight-week cohort that started a week ago, planned until someone starts it."""

    class Meta:
        model = "programme.Cohort"

    wing = factory.SubFactory(WingFactory)
    phase = Phase.PHASE_1
    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda cohort: cohort.starts_on + timedelta(weeks=8, days=-1))
    location = "CFO classroom, Education Building"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Enrolment"

    cohort = factory.SubFactory(CohortFactory)
    resident = factory.SubFactory(ResidentFactory, wing=factory.SelfAttribute("..cohort.wing"))
    phase = factory.SelfAttribute("cohort.phase")
    enrolled_on = factory.SelfAttribute("cohort.starts_on")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Session"

    cohort = factory.SubFactory(CohortFactory)
    on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    starts_at = time(9, 30)
    ends_at = time(12)
    topic = Topic.SELF_REFLECTION
    delivered_by = DeliveredBy.PRIME_PROVIDER


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Attendance"

    session = factory.SubFactory(SessionFactory)
    resident = factory.SubFactory(ResidentFactory)
    mark = Mark.ATTENDED
    recorded_at = factory.LazyFunction(timezone.now)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Meeting"

    wing = factory.SubFactory(WingFactory)
    kind = "hig"
    held_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
    chair = "CFO Custody Manager"
    minutes = "Talked about the garden"


class MeetingAttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.MeetingAttendee"

    meeting = factory.SubFactory(MeetingFactory)
    resident = factory.SubFactory(ResidentFactory, wing=factory.SelfAttribute("..meeting.wing"))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Action"

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Suggestion"

    wing = factory.SubFactory(WingFactory)
    source = "box"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    text = "More plants on the landing"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.Project"

    wing = factory.SubFactory(WingFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    proposed_by = "resident"
    for_whom = "wing"
    status = "running"


class ProjectHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programme.ProjectHours"

    project = factory.SubFactory(ProjectFactory)
    resident = factory.SubFactory(ResidentFactory, wing=factory.SelfAttribute("..project.wing"))
    on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    hours = 3
