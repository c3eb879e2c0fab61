"""The people and places every test can use.

Drake Hall has the Hamlet; Thornbury Vale is another prison whose staff must see
nothing of Drake Hall. The named users are the ones the study's wing would have.
"""

import pytest
from django.core.management import call_command

from hamlet.models import Estate
from hamlet.roles import Role
from tests.factories import EstablishmentFactory, HouseblockFactory, UserFactory, WingFactory


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
