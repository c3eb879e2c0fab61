"""The people and places every test can use.

Drake Hall has the Hamlet; Thornbury Vale is another prison whose staff must see
nothing of Drake Hall. The named users are the ones the study's wing would have.

Each app's own records (``resident``, ``holding``, ``candidate``, ...) are fixtures beside
that app's tests, in ``tests/<app>/fixtures.py``, built through ``tests/<app>/factories.py``.
They are registered below in ``pytest_plugins``, so that every test, and the suites that
fetch fixtures by name (the permission matrix, sealed sites), find them wherever they
run. A new app adds its own the same way: ``tests/programme/fixtures.py``,
``tests/evaluation/fixtures.py``.
"""

import pytest
from django.core.management import call_command
from filelock import FileLock

from hamlet.models import Estate
from hamlet.roles import Role
from tests.hamlet.factories import EstablishmentFactory, HouseblockFactory, UserFactory, WingFactory

pytest_plugins = [
    "tests.log_canary",  # fails the run if any log record names a resident
    "tests.hamlet.fixtures",
    "tests.residents.fixtures",
    "tests.mentoring.fixtures",
    "tests.programme.fixtures",
    "tests.evaluation.fixtures",
]


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".rstrip()


@pytest.fixture(scope="session", autouse=True)
def _static_files(django_test_environment, tmp_path_factory, worker_id):
    # The suite runs with production static storage, which needs the manifest that
    # collectstatic writes; build it once per run so a stale copy never hides a problem.
    if worker_id == "master":  # not in parallel
        call_command("collectstatic", interactive=False, verbosity=0)
        return
    # Under pytest-xdist every worker is a session of its own, and two collectstatic runs
    # into one STATIC_ROOT at once leave half-written files and manifest. The workers of a
    # run share its temporary directory: the first to take the lock builds the files.
    shared = tmp_path_factory.getbasetemp().parent
    with FileLock(shared / "collectstatic.lock"):
        built = shared / "collectstatic.done"
        if not built.exists():
            call_command("collectstatic", interactive=False, verbosity=0)
            built.touch()


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


def _named_user(username: str, name: str, role: str, establishments: list, **fields):
    """A member of staff with a full name, the group ``role`` and sight of ``establishments``."""
    first_name, last_name = name.split()
    return UserFactory(
        username=username,
        first_name=first_name,
        last_name=last_name,
        role=role,
        establishments=establishments,
        **fields,
    )


@pytest.fixture
def manager(drake_hall):
    """The CFO custody manager at Drake Hall."""
    return _named_user("manager.dhi", "Morgan Hale", Role.CUSTODY_MANAGER, [drake_hall])


@pytest.fixture
def staff(drake_hall):
    """A CFO prison officer at Drake Hall."""
    return _named_user("officer.dhi", "Jess Okafor", Role.CFO_STAFF, [drake_hall])


@pytest.fixture
def other_staff(other_prison):
    """A CFO officer at another prison, who must see nothing of Drake Hall."""
    return _named_user("officer.other", "Lee Brennan", Role.CFO_STAFF, [other_prison])


@pytest.fixture
def evaluator(drake_hall, other_prison):
    """The regional evaluation team: both prisons, pseudonymised data only."""
    return _named_user("evaluator", "Priya Nair", Role.EVALUATOR, [drake_hall, other_prison])


@pytest.fixture
def administrator(drake_hall, other_prison):
    return _named_user("admin", "Chris Doyle", Role.ADMINISTRATOR, [drake_hall, other_prison], is_staff=True)
