"""Demo data for the site: HMP Drake Hall and its Hamlet as the study describes them, an
invented second establishment, the delivery organisations and five demo sign-ins.

Everything is keyed on a natural key and updated in place, so loading twice changes
nothing. Later apps add their own ``demo.py`` with a ``load`` function; the
``load_demo`` command runs them in INSTALLED_APPS order.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hamlet.models import Establishment, Estate, Houseblock, JobTitle, Organisation, Sector, StaffProfile, Wing
from hamlet.roles import Role

DEMO_PASSWORD = "hamlet-demo-2026"

HAMLET_AIMS = "\n".join(
    [
        "Run the wing as a community where residents are given what they need to take on useful tasks, "
        "contribute to society and live more law-abiding lives.",
        "Build supportive relationships between residents, with positive role models who open up new connections.",
        "Give residents ways to give back to the wing through peer-role pathways that draw in the whole "
        "wing, including residents who have not yet engaged.",
        "Make the wing a safe, comfortable and supportive place to live that builds belonging and hope "
        "and improves its social climate.",
    ]
)


def _establishments() -> tuple[Establishment, Establishment]:
    drake_hall, _ = Establishment.objects.update_or_create(
        nomis_code="DHI",
        defaults={
            "name": "HMP Drake Hall",
            "category": "Adult female and YOI training and resettlement prison, with an open regime inside "
            "the perimeter and a Category D open houseblock",
            "estate": Estate.FEMALE,
            "region": "West Midlands",
            "approximate_population": 330,
        },
    )
    # Invented, so that scoping can be seen: nothing at Drake Hall is visible from here.
    other, _ = Establishment.objects.update_or_create(
        nomis_code="ZTV",
        defaults={
            "name": "HMP Thornbury Vale",
            "category": "Adult male category C training prison (invented for the demo)",
            "estate": Estate.MALE,
            "region": "Yorkshire and the Humber",
            "approximate_population": 640,
        },
    )
    return drake_hall, other


def _wing(establishment, name, houseblocks, **fields) -> Wing:
    wing, _ = Wing.objects.update_or_create(establishment=establishment, name=name, defaults=fields)
    for houseblock_name, rooms in houseblocks:
        Houseblock.objects.update_or_create(wing=wing, name=houseblock_name, defaults={"rooms": rooms})
    return wing


def _organisations() -> dict[str, Organisation]:
    wanted = [
        ("HMPPS", Sector.HMPPS),
        ("Shaw Trust/Ixion", Sector.PRIME_PROVIDER),
        ("People Plus", Sector.LEARNING_AND_SKILLS),
        ("HMP Drake Hall PE department", Sector.PRISON_DEPARTMENT),
        ("Open Gate Lived Experience Trust", Sector.CHARITY),
    ]
    return {
        name: Organisation.objects.update_or_create(name=name, defaults={"sector": sector})[0]
        for name, sector in wanted
    }


def _user(username, first, last, role, job_title, organisation, establishments) -> None:
    user, _ = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_active": True,
            "is_staff": role is Role.ADMINISTRATOR,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.set([Group.objects.get(name=role.value)])
    profile, _ = StaffProfile.objects.update_or_create(
        user=user, defaults={"job_title": job_title, "organisation": organisation}
    )
    profile.establishments.set(establishments)


def load() -> list[str]:
    drake_hall, other = _establishments()
    for establishment, name, houseblocks, details in (
        (
            drake_hall,
            "The Hamlet",
            [("Houseblock 1", 20), ("Houseblock 2", 19)],
            {
                "resident_profile": "Mixed: short and intermediate sentences, and lifers",
                "capacity": 39,
                "pilot_start": date(2025, 9, 1),
                "funded_until": date(2027, 2, 28),
                "aims": HAMLET_AIMS,
            },
        ),
        (
            other,
            "Beacon Wing",
            [("Landing 1", 30), ("Landing 2", 30)],
            {
                "resident_profile": "Adult men on intermediate and long determinate sentences",
                "capacity": 60,
                "pilot_start": date(2026, 1, 5),
                "funded_until": date(2027, 7, 4),
                "aims": "A wing run as a community\nPeer roles that bring in residents who have not yet engaged",
            },
        ),
    ):
        _wing(establishment, name, houseblocks, **details)
    organisations = _organisations()
    hmpps = organisations["HMPPS"]
    _user("manager.dhi", "Morgan", "Hale", Role.CUSTODY_MANAGER, JobTitle.CUSTODY_MANAGER, hmpps, [drake_hall])
    _user("officer.dhi", "Jess", "Okafor", Role.CFO_STAFF, JobTitle.PRISON_OFFICER, hmpps, [drake_hall])
    _user("officer.other", "Lee", "Brennan", Role.CFO_STAFF, JobTitle.PRISON_OFFICER, hmpps, [other])
    _user("evaluator", "Priya", "Nair", Role.EVALUATOR, JobTitle.EVALUATOR, hmpps, [drake_hall, other])
    _user("admin", "Chris", "Doyle", Role.ADMINISTRATOR, JobTitle.ADMINISTRATOR, hmpps, [drake_hall, other])
    return [
        "manager.dhi    Custody manager, HMP Drake Hall",
        "officer.dhi    CFO staff, HMP Drake Hall",
        "officer.other  CFO staff, HMP Thornbury Vale",
        "evaluator      Evaluator, both establishments",
        "admin          Administrator (also signs in to /admin/)",
    ]
