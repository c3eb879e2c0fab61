"""The people and places every test can use.

Drake Hall has the Hamlet; Thornbury Vale is another prison whose staff must see
nothing of Drake Hall. The named users are the ones the study's wing would have.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from hamlet.models import Estate
from hamlet.roles import Role
from mentoring.models import Candidate, PeerRole, RecruitmentRound, RoleHolding, SupervisionSession
from residents.models import DepartureReason
from tests.factories import EstablishmentFactory, HouseblockFactory, ResidentFactory, UserFactory, WingFactory

# Fails the run if any log record names a resident (issue 5, promise 9).
pytest_plugins = ["tests.log_canary"]


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".rstrip()


@pytest.fixture(scope="session", autouse=True)
def _static_files(django_test_environment):
    # The suite runs with production static storage, which needs the manifest that
    # collectstatic writes; build it once per run so a stale copy never hides a problem.
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def drake_hall(db):
    return EstablishmentFactory(
        nomis_code="DHI",
        name="HMP Drake Hall",
        category="Adult female and YOI training and resettlement prison",
        estate=Estate.FEMALE,
        region="West Midlands",
        approximate_population=330,
    )


@pytest.fixture
def other_prison(db):
    return EstablishmentFactory(nomis_code="ZTV", name="HMP Thornbury Vale", estate=Estate.MALE)


@pytest.fixture
def hamlet_wing(drake_hall):
    wing = WingFactory(establishment=drake_hall, name="The Hamlet", capacity=39, resident_profile="Mixed")
    HouseblockFactory(wing=wing, name="Houseblock 1", rooms=20)
    HouseblockFactory(wing=wing, name="Houseblock 2", rooms=19)
    return wing


@pytest.fixture
def other_wing(other_prison):
    return WingFactory(establishment=other_prison, name="Beacon Wing")


@pytest.fixture
def manager(drake_hall):
    """The CFO custody manager at Drake Hall."""
    return UserFactory(
        username="manager.dhi",
        first_name="Morgan",
        last_name="Hale",
        role=Role.CUSTODY_MANAGER,
        establishments=[drake_hall],
    )


@pytest.fixture
def staff(drake_hall):
    """A CFO prison officer at Drake Hall."""
    return UserFactory(
        username="officer.dhi",
        first_name="Jess",
        last_name="Okafor",
        role=Role.CFO_STAFF,
        establishments=[drake_hall],
    )


@pytest.fixture
def other_staff(other_prison):
    """A CFO officer at another prison, who must see nothing of Drake Hall."""
    return UserFactory(
        username="officer.other",
        first_name="Lee",
        last_name="Brennan",
        role=Role.CFO_STAFF,
        establishments=[other_prison],
    )


@pytest.fixture
def evaluator(drake_hall, other_prison):
    """The regional evaluation team: both prisons, pseudonymised data only."""
    return UserFactory(
        username="evaluator",
        first_name="Priya",
        last_name="Nair",
        role=Role.EVALUATOR,
        establishments=[drake_hall, other_prison],
    )


@pytest.fixture
def administrator(drake_hall, other_prison):
    return UserFactory(
        username="admin",
        first_name="Chris",
        last_name="Doyle",
        role=Role.ADMINISTRATOR,
        establishments=[drake_hall, other_prison],
        is_staff=True,
    )


@pytest.fixture
def resident(hamlet_wing):
    """A woman living on the Hamlet now."""
    return ResidentFactory(wing=hamlet_wing, pseudonym="Tamsin", prison_number="A4101BK")


@pytest.fixture
def long_gone_resident(hamlet_wing):
    """A resident who left the Hamlet long enough ago to be anonymised."""
    today = timezone.localdate()
    return ResidentFactory(
        wing=hamlet_wing,
        pseudonym="Verity",
        prison_number="A0001AA",
        arrived_on=today.replace(year=today.year - 9),
        departed_on=today.replace(year=today.year - 7),
        departure_reason=DepartureReason.RELEASED,
    )


@pytest.fixture
def peer_mentor_role(drake_hall):
    return PeerRole.objects.create(
        establishment=drake_hall, title="Peer mentors", pay="unpaid", induction=True, single_issue=False,
        bridging=True, representation="some", is_cfo_role=True, pathway_step=2,
    )  # fmt: skip


@pytest.fixture
def holding(resident, peer_mentor_role):
    """Tamsin holds the Peer mentors role: she is a mentor."""
    return RoleHolding.objects.create(resident=resident, role=peer_mentor_role, started_on=resident.arrived_on)


@pytest.fixture
def supervision_session(holding, staff):
    """Tamsin's first supervision as a mentor, recorded by the officer."""
    return SupervisionSession.objects.create(
        mentor=holding.resident, held_on=holding.started_on, supervisor=staff, enough_down_time=True,
        out_of_hours_demands=False, notes="Settling in well", next_due=holding.started_on + timedelta(days=7),
    )  # fmt: skip


@pytest.fixture
def recruitment_round(hamlet_wing, peer_mentor_role, manager):
    return RecruitmentRound.objects.create(
        role=peer_mentor_role, wing=hamlet_wing, opened_on=timezone.localdate(), places=2, opened_by=manager
    )


@pytest.fixture
def candidate(recruitment_round, resident):
    return Candidate.objects.create(
        round=recruitment_round, resident=resident, route="peer", added_on=timezone.localdate()
    )
