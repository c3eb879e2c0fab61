"""Synthetic residents for ``manage.py generate_data`` (see ``hamlet.synthetic``): five
years of arrivals and departures on every wing, their engagement journey, pre-engagement
support, non-associations, and the audit trail and access entries that years of use leave.

Names are from a fixed list of trees and birds, and prison numbers run S0000AA, S0001AA…,
so nothing here can be mistaken for a real person.
"""

import random
from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from hamlet.models import Establishment
from hamlet.synthetic import Context, aware, created_changes, day_between, insert_rows, log_entry, log_entry_columns
from residents import models

VOLUMES = {
    "small": {"residents": 900, "non_associations": 30, "page_views": 6_000, "listings": 600},
    "national": {"residents": 100_000, "non_associations": 3_000, "page_views": 1_200_000, "listings": 150_000},
}
# Mean days on the wing: about one resident in seven of five years' arrivals is still there.
MEAN_STAY = {"short": 120, "intermediate": 230, "long_determinate": 420, "life": 1400, "ipp": 1200, "remand": 60}
SENTENCES = (
    [models.SentenceType.SHORT] * 30
    + [models.SentenceType.INTERMEDIATE] * 35
    + [models.SentenceType.LONG_DETERMINATE] * 20
    + [models.SentenceType.LIFE] * 6
    + [models.SentenceType.IPP] * 2
    + [models.SentenceType.REMAND] * 7
)
TREES = (
    "Alder Ash Aspen Beech Birch Blackthorn Box Cedar Cherry Elder Elm Fir Hawthorn Hazel Holly Hornbeam Juniper "
    "Larch Lime Maple Oak Pine Poplar Rowan Spruce Sycamore Walnut Willow Yew Linden"
).split()
BIRDS = (
    "Bunting Chaffinch Curlew Dunnock Finch Goldcrest Heron Jackdaw Kestrel Lapwing Linnet Martin Nuthatch Oriole "
    "Pipit Plover Redstart Robin Siskin Skylark Sparrow Starling Swift Thrush Wagtail Warbler Wren Yellowhammer"
).split()
DEPARTURES = [models.DepartureReason.RELEASED] * 6 + [
    models.DepartureReason.TRANSFERRED,
    models.DepartureReason.OPEN_CONDITIONS,
    models.DepartureReason.RECALLED,
    models.DepartureReason.MOVED_OFF_WING,
]


def prison_number(index: int) -> str:
    letters = index // 10_000
    return f"S{index % 10_000:04d}{chr(65 + letters // 26 % 26)}{chr(65 + letters % 26)}"


def generate(*, scale: str, rng: random.Random, context: Context) -> None:
    volumes = VOLUMES[scale]
    today = context.today
    first_day = today - timedelta(days=5 * 365)
    per_wing = volumes["residents"] // len(context.wings)
    residents, stage_changes, support, permitted = [], [], [], []
    for wing in context.wings:
        staff = context.staff[wing.establishment_id]
        houseblocks = context.houseblocks[wing.pk]
        for _ in range(per_wing):
            pk = len(residents) + 1
            sentence = rng.choice(SENTENCES)
            arrived = day_between(rng, first_day, today)
            leaves = arrived + timedelta(days=int(rng.expovariate(1 / MEAN_STAY[sentence])))
            departed = leaves if leaves < today else None
            end = departed or today
            # The journey: everyone starts not engaged; some take pre-engagement support, some get ready.
            stage, journey = models.Stage.NOT_ENGAGED, [(arrived, models.Stage.NOT_ENGAGED)]
            if rng.random() < 0.45 and (on := arrived + timedelta(days=rng.randint(3, 30))) <= end:
                journey.append((on, models.Stage.PRE_ENGAGEMENT))
                for _ in range(rng.randint(1, 4)):
                    support.append(
                        (
                            pk,
                            day_between(rng, on, end),
                            rng.choice(staff),
                            rng.choice(models.SupportType.values),
                        )
                    )
                if rng.random() < 0.5 and (ready := on + timedelta(days=rng.randint(14, 60))) <= end:
                    journey.append((ready, models.Stage.READY))
            stage = journey[-1][1]
            for on, step in journey:
                stage_changes.append((len(stage_changes) + 1, pk, step, on, rng.choice(staff), aware(on, 10)))
            consent = rng.random() < 0.6
            limited = rng.random() < 0.01
            if limited:
                permitted.append((pk, context.managers[wing.establishment_id]))
            houseblock = rng.choice(houseblocks)
            residents.append(
                (
                    pk,
                    prison_number(pk),
                    f"{rng.choice(TREES)} {rng.choice(BIRDS)}",
                    wing.establishment_id,
                    wing.pk,
                    houseblock,
                    str(rng.randint(1, 60)),
                    sentence,
                    rng.choice(models.AgeBand.values),
                    arrived,
                    departed,
                    rng.choice(DEPARTURES) if departed else "",
                    f"CATS-SYN-{pk:06d}",
                    consent,
                    arrived + timedelta(days=min(2, (end - arrived).days)) if consent else None,
                    rng.choice(staff) if consent else None,
                    limited,
                    stage,
                    None,
                    1,
                )
            )
            context.residents.append((pk, wing.establishment_id, wing.pk, arrived, departed))
    insert_rows(
        models.Resident,
        [
            "id",
            "prison_number",
            "pseudonym",
            "establishment_id",
            "wing_id",
            "houseblock_id",
            "room",
            "sentence_type",
            "age_band",
            "arrived_on",
            "departed_on",
            "departure_reason",
            "cats_id",
            "evaluation_consent",
            "consent_date",
            "consent_witnessed_by_id",
            "limited_access",
            "stage",
            "anonymised_on",
            "version",
        ],
        residents,
        context,
    )
    insert_rows(models.Resident.permitted_staff.through, ["resident_id", "user_id"], permitted, context)
    insert_rows(
        models.StageChange,
        ["id", "resident_id", "stage", "changed_on", "recorded_by_id", "recorded_at"],
        stage_changes,
        context,
    )
    insert_rows(
        models.SupportContact,
        ["id", "resident_id", "contact_on", "staff_id", "contact_type", "minutes", "notes", "next_step", "recorded_at"],
        (
            (pk, resident, on, staff, kind, 15 + 15 * (pk % 4), "Synthetic note.", "", aware(on, 14))
            for pk, (resident, on, staff, kind) in enumerate(support, start=1)
        ),
        context,
    )
    _non_associations(volumes, rng, context)
    _audit_trail(volumes, residents, stage_changes, rng, context)


def _non_associations(volumes, rng: random.Random, context: Context) -> None:
    by_wing: dict[int, list[int]] = {}
    for pk, _establishment, wing, _arrived, _departed in context.residents:
        by_wing.setdefault(wing, []).append(pk)
    pairs = set()
    while len(pairs) < volumes["non_associations"]:
        first, second = sorted(rng.sample(by_wing[rng.choice(context.wings).pk], 2))
        pairs.add((first, second))
    insert_rows(
        models.NonAssociation,
        ["id", "first_id", "second_id", "reason", "recorded_by_id", "recorded_at"],
        (
            (pk, first, second, "Synthetic reason", None, aware(context.today, 9))
            for pk, (first, second) in enumerate(sorted(pairs), start=1)
        ),
        context,
    )


def _audit_trail(volumes, residents, stage_changes, rng: random.Random, context: Context) -> None:
    """What years of use leave in the audit trail: a create entry for every resident and
    stage change, an access entry for every time someone opened a resident's page, and one
    per list page naming the residents on it."""
    resident_type = ContentType.objects.get_for_model(models.Resident).pk
    stage_type = ContentType.objects.get_for_model(models.StageChange).pk
    establishment_type = ContentType.objects.get_for_model(Establishment).pk
    staff = context.staff
    by_establishment: dict[int, list[tuple]] = {}
    for row in context.residents:
        by_establishment.setdefault(row[1], []).append(row)
    establishments = [establishment.pk for establishment in context.establishments]

    def entries():
        for row in residents:
            pk, number, pseudonym, establishment = row[0], row[1], row[2], row[3]
            yield log_entry(
                resident_type,
                pk,
                pseudonym,
                LogEntry.Action.CREATE,
                rng.choice(staff[establishment]),
                aware(row[9], 9),
                created_changes(prison_number=number, pseudonym=pseudonym, stage=models.Stage.NOT_ENGAGED),
            )
        for pk, _resident, stage, on, by, _at in stage_changes:
            yield log_entry(
                stage_type, pk, stage, LogEntry.Action.CREATE, by, aware(on, 10), created_changes(stage=stage)
            )
        for _ in range(volumes["page_views"]):
            pk, establishment, _wing, arrived, departed = rng.choice(context.residents)
            on = day_between(rng, arrived, departed or context.today)
            yield log_entry(
                resident_type,
                pk,
                "",
                LogEntry.Action.ACCESS,
                rng.choice(staff[establishment]),
                aware(on, rng.randint(8, 17), rng.randint(0, 59)),
                data={"how": "page", "establishment": establishment},
            )
        for _ in range(volumes["listings"]):
            establishment = rng.choice(establishments)
            people = by_establishment[establishment]
            start = rng.randrange(max(len(people) - 25, 1))
            shown = people[start : start + 25]
            on = max(row[3] for row in shown)
            yield log_entry(
                establishment_type,
                establishment,
                f"list page: {len(shown)} residents",
                LogEntry.Action.ACCESS,
                rng.choice(staff[establishment]),
                aware(on, rng.randint(8, 17), rng.randint(0, 59)),
                data={"how": "list page", "residents": [row[0] for row in shown]},
            )

    insert_rows(LogEntry, log_entry_columns(), entries(), context)
