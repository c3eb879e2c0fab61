"""Synthetic, clearly fake data at a chosen scale, for measuring Hamlet (``manage.py generate_data``).

Each app declares ``synthetic_data`` on its AppConfig: the dotted path of a function
``generate(*, scale, rng, context)`` that adds its own records. The command calls them in
INSTALLED_APPS order, and ``context`` carries what earlier apps made (establishments, wings,
staff, residents), so a later app adds its records without this one knowing it.

Records go in through the apps' own models, with the rules their services keep (dates
within stays, one current holding per role…) kept by construction. They are inserted in
bulk with explicit ids into empty tables, and by COPY on PostgreSQL, where it is many times
faster than INSERT; ``finish`` then moves every id sequence past the rows written.
"""

import functools
import json
import random
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from hamlet.models import Establishment, Estate, Houseblock, JobTitle, Organisation, Sector, StaffProfile, Wing
from hamlet.roles import Role

SCALES = ("small", "national")
# Every synthetic sign-in has this password; generate_data refuses to run with DEBUG off
# unless told this is a measuring installation.
SYNTHETIC_PASSWORD = "synthetic-data-only-2026"  # noqa: S105
YEARS = 5

# The core's part of each scale; every app keeps its own volumes beside its generator.
VOLUMES = {
    "small": {"establishments": 3, "regions": 2, "officers": 2},
    "national": {"establishments": 120, "regions": 12, "officers": 3},
}
REGIONS = [
    "Synthetic North",
    "Synthetic North East",
    "Synthetic North West",
    "Synthetic Yorkshire",
    "Synthetic Midlands East",
    "Synthetic Midlands West",
    "Synthetic East",
    "Synthetic London",
    "Synthetic South East",
    "Synthetic South West",
    "Synthetic Wales",
    "Synthetic Central",
]


@dataclass
class Context:
    """What the apps have made so far, for the apps after them."""

    today: date
    establishments: list[Establishment] = field(default_factory=list)
    wings: list[Wing] = field(default_factory=list)
    houseblocks: dict[int, list[int]] = field(default_factory=dict)  # wing id → houseblock ids
    staff: dict[int, list[int]] = field(default_factory=dict)  # establishment id → ids of CFO staff and managers
    managers: dict[int, int] = field(default_factory=dict)  # establishment id → custody manager's user id
    evaluators: list[int] = field(default_factory=list)
    totp_keys: dict[str, str] = field(default_factory=dict)  # username → hex key of the seeded device
    extra: dict = field(default_factory=dict)  # later apps keep their own things here, by their app name
    models_written: set = field(default_factory=set)
    # Filled by residents: (id, establishment id, wing id, arrived_on, departed_on) for each resident.
    residents: list[tuple[int, int, int, date, date | None]] = field(default_factory=list)


def code(index: int) -> str:
    """A NOMIS-shaped code no real prison has: Q then two letters (QAA, QAB, …)."""
    return "Q" + chr(65 + index // 26 % 26) + chr(65 + index % 26)


def weights(count: int) -> list[float]:
    """How busy each establishment is, relative to the others: the first (the one the
    benchmark signs in to) has ten times the share of the rest, like the Hamlet at Drake
    Hall in a national roll-out that grew out of it."""
    return [10.0 if index == 0 else 1.0 for index in range(count)]


@functools.cache
def _zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def aware(day: date, hour: int, minute: int = 0) -> datetime:
    # As timezone.make_aware would, but a tenth of the cost: it is called millions of times.
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=_zone())


def day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence], context: Context) -> int:
    """Insert ``rows`` (values in the order of ``columns``, attribute names such as
    ``resident_id``) into ``model``'s table: COPY on PostgreSQL, bulk_create elsewhere."""
    context.models_written.add(model)
    json_columns = {
        index for index, name in enumerate(columns) if isinstance(model._meta.get_field(name), models.JSONField)
    }
    count = 0
    if connection.vendor == "postgresql":
        # COPY knows nothing of Django's defaults: every field not given gets its default here.
        rest = [f for f in model._meta.concrete_fields if f.attname not in columns and not f.primary_key]
        stamped = [getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) for f in rest]
        defaults = tuple(timezone.now() if now else f.get_default() for f, now in zip(rest, stamped, strict=True))
        names = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in columns)
        names += "".join(f", {connection.ops.quote_name(f.column)}" for f in rest)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
            ) as copy:  # noqa: E501
                for row in rows:
                    if json_columns:
                        row = list(row)
                        for i in json_columns:
                            if row[i] is not None:
                                row[i] = json.dumps(row[i])
                    copy.write_row((*row, *defaults) if defaults else row)
                    count += 1
        return count
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return count + len(batch)


def log_entry_columns() -> list[str]:
    return [
        "content_type_id",
        "object_pk",
        "object_id",
        "object_repr",
        "action",
        "changes",
        "changes_text",
        "actor_id",
        "timestamp",
        "additional_data",
        "remote_addr",
    ]


def log_entry(model_or_ct, pk: int, text: str, action: int, actor: int | None, at: datetime, changes=None, data=None):
    """One row for ``insert_rows(LogEntry, log_entry_columns(), …)``: the audit trail
    django-auditlog would have written for a create, or an access entry."""
    ct = model_or_ct if isinstance(model_or_ct, int) else ContentType.objects.get_for_model(model_or_ct).pk
    return (ct, str(pk), pk, text, action, changes or {}, "", actor, at, data, "127.0.0.1")


def created_changes(**values) -> dict:
    """The "changes" of a create entry, as auditlog stores it: each field from None."""
    return {name: ["None", str(value)] for name, value in values.items()}


@contextmanager
def loading_in_bulk() -> Iterator[None]:
    """On PostgreSQL, load as pg_restore does: drop the foreign keys and the plain indexes
    first, and build them again at the end, each in one pass over its table, instead of
    checking millions of rows one at a time at commit and growing nine indexes row by row.
    Primary keys and unique constraints (one current holding per role…) stay, and every
    foreign key is checked again when it is put back."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = connection.introspection.django_table_names(only_existing=True)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
            " WHERE indrelid::regclass::text = ANY(%s) AND NOT indisunique AND NOT indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def finish(context: Context) -> None:
    """Move every id sequence past the explicit ids written."""
    statements = connection.ops.sequence_reset_sql(no_style(), sorted(context.models_written, key=str))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def generate(*, scale: str, rng: random.Random, context: Context) -> None:
    """The core's part: establishments, one CFO wing each with its houseblocks, the
    delivery organisations, a custody manager and CFO staff per establishment, regional
    evaluators and an administrator, with authenticator devices for the managers and
    evaluators (their keys are in ``context.totp_keys``, for the benchmark)."""
    volumes = VOLUMES[scale]
    today = context.today
    estates = [Estate.MALE] * 7 + [Estate.FEMALE, Estate.YOI, Estate.MIXED]
    establishments = [
        Establishment(
            pk=index + 1,
            nomis_code=code(index),
            name=f"HMP Synthetic {index + 1:03d}",
            category="Synthetic establishment for measuring Hamlet; not a real prison",
            estate=estates[index % len(estates)],
            region=REGIONS[index % volumes["regions"]],
            approximate_population=rng.randrange(300, 1600, 10),
        )
        for index in range(volumes["establishments"])
    ]
    Establishment.objects.bulk_create(establishments)
    wings, houseblocks = [], []
    for establishment in establishments:
        pilot_start = today - timedelta(days=YEARS * 365 + rng.randint(0, 60))
        wing = Wing(
            pk=establishment.pk,
            establishment=establishment,
            name=f"Synthetic Wing {establishment.pk:03d}",
            resident_profile="Synthetic residents",
            capacity=rng.randrange(60, 180, 10),
            pilot_start=pilot_start,
            funded_until=today + timedelta(days=rng.randint(200, 900)),
            aims="A wing run as a community\nPeer roles that bring in residents who have not yet engaged",
        )
        wings.append(wing)
        for number in range(rng.randint(2, 4)):
            houseblocks.append(
                Houseblock(
                    pk=len(houseblocks) + 1, wing=wing, name=f"Houseblock {number + 1}", rooms=wing.capacity // 2
                )
            )
    Wing.objects.bulk_create(wings)
    Houseblock.objects.bulk_create(houseblocks)
    for houseblock in houseblocks:
        context.houseblocks.setdefault(houseblock.wing_id, []).append(houseblock.pk)
    organisations = [
        Organisation(pk=index + 1, name=name, sector=sector)
        for index, (name, sector) in enumerate(
            [
                ("Synthetic HMPPS", Sector.HMPPS),
                ("Synthetic Prime Provider", Sector.PRIME_PROVIDER),
                ("Synthetic Learning Provider", Sector.LEARNING_AND_SKILLS),
                ("Synthetic Charity", Sector.CHARITY),
            ]
        )
    ]
    Organisation.objects.bulk_create(organisations)
    _staff(volumes, establishments, organisations[0], rng, context)
    context.establishments, context.wings = establishments, wings
    context.models_written |= {Establishment, Wing, Houseblock, Organisation, StaffProfile, get_user_model()}


def _staff(volumes, establishments, employer, rng: random.Random, context: Context) -> None:
    User = get_user_model()
    # One hash for everyone: hashing hundreds of passwords with Argon2 would take minutes.
    password = make_password(SYNTHETIC_PASSWORD)
    groups = {role: Group.objects.get(name=role.value) for role in Role}
    users, profiles, memberships, sites, devices = [], [], [], [], []

    def add(username, first, last, role, job_title, sees, device=False):
        user = User(
            pk=len(users) + 1,
            username=username,
            first_name=first,
            last_name=last,
            password=password,
            is_staff=role is Role.ADMINISTRATOR,
        )
        users.append(user)
        profiles.append(StaffProfile(pk=user.pk, user=user, organisation=employer, job_title=job_title))
        memberships.append(User.groups.through(user_id=user.pk, group_id=groups[role].pk))
        sites.extend(
            StaffProfile.establishments.through(staffprofile_id=user.pk, establishment_id=establishment.pk)
            for establishment in sees
        )
        if device:
            key = rng.randbytes(20).hex()
            devices.append(TOTPDevice(user=user, name="Synthetic authenticator", confirmed=True, key=key))
            context.totp_keys[username] = key
        return user

    for establishment in establishments:
        number = f"{establishment.pk:03d}"
        manager = add(
            f"manager.{number}",
            "Manager",
            number,
            Role.CUSTODY_MANAGER,
            JobTitle.CUSTODY_MANAGER,
            [establishment],
            True,
        )
        context.managers[establishment.pk] = manager.pk
        context.staff[establishment.pk] = [manager.pk]
        for officer in range(volumes["officers"]):
            user = add(
                f"officer.{number}.{officer + 1}",
                "Officer",
                f"{number}-{officer + 1}",
                Role.CFO_STAFF,
                JobTitle.PRISON_OFFICER,
                [establishment],
            )
            context.staff[establishment.pk].append(user.pk)
    for index, region in enumerate(REGIONS[: volumes["regions"]]):
        in_region = [establishment for establishment in establishments if establishment.region == region]
        user = add(
            f"evaluator.{index + 1:02d}", "Evaluator", region, Role.EVALUATOR, JobTitle.EVALUATOR, in_region, True
        )
        context.evaluators.append(user.pk)
    add("admin.synthetic", "Administrator", "Synthetic", Role.ADMINISTRATOR, JobTitle.ADMINISTRATOR, establishments)
    User.objects.bulk_create(users)
    StaffProfile.objects.bulk_create(profiles)
    User.groups.through.objects.bulk_create(memberships)
    StaffProfile.establishments.through.objects.bulk_create(sites)
    TOTPDevice.objects.bulk_create(devices)
    context.models_written |= {TOTPDevice, LogEntry}
