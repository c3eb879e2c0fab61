"""Demo residents: forty invented women on the Hamlet and twenty invented men at the
other establishment. Pseudonyms are invented and none is one the study used.

Records are created once and then left alone, so running the loader again changes
nothing; dates are set back from the day the demo is first loaded.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hamlet.models import Houseblock, Wing
from residents import services
from residents.models import AgeBand, DepartureReason, Resident, SentenceType, Stage, SupportContact, SupportType

HAMLET_PSEUDONYMS = [
    "Rowan", "Tamsin", "Orla", "Freya", "Imogen", "Nell", "Harriet", "Esme", "Bryony", "Cerys",
    "Delyth", "Eilidh", "Fern", "Greer", "Hollie", "Isla", "Jodie", "Kezia", "Lowri", "Maisie",
    "Niamh", "Ottilie", "Phoebe", "Rhiannon", "Saoirse", "Thea", "Una", "Verity", "Willow", "Yasmin",
    "Zara", "Bethan", "Carys", "Dionne", "Elspeth", "Fleur", "Gemma", "Heidi", "Iona", "Jessamy",
]  # fmt: skip
OTHER_PSEUDONYMS = [
    "Alfie", "Bram", "Callum", "Dominic", "Ewan", "Finlay", "Gareth", "Hamish", "Idris", "Jago",
    "Kieran", "Lachlan", "Magnus", "Nathan", "Owain", "Piers", "Rhys", "Stellan", "Tobias", "Wilf",
]  # fmt: skip

# The first six Hamlet residents are the lifers who will be the peer mentors.
LIFERS = 6
# The residents (by position) who have left the Hamlet, and why.
LEAVERS = {37: DepartureReason.TRANSFERRED, 38: DepartureReason.RELEASED, 39: DepartureReason.OPEN_CONDITIONS}
AGE_BANDS = [AgeBand.UNDER_25, AgeBand.UNDER_30, AgeBand.THIRTIES, AgeBand.FORTIES, AgeBand.FIFTIES]
SUPPORT_NOTES = [
    (SupportType.ROOM_VISIT, "Called at her room; talked through what the course involves.", "Visit again on Friday"),
    (SupportType.CONFIDENCE, "Sat in on the community meeting for ten minutes.", "Try a whole meeting"),
    (SupportType.ACCOMPANIED, "Walked with her to Education to see the classroom.", "Meet the Phase 1 tutor"),
    (SupportType.ANXIETY, "Worried about group work; agreed she can sit near the door.", ""),
]


def _prison_number(prefix: str, index: int) -> str:
    return f"{prefix}{4100 + index:04d}{chr(65 + index % 26)}{chr(65 + (index * 7 + 3) % 26)}"


def _sentence(index: int) -> str:
    if index < LIFERS:
        return SentenceType.LIFE
    return SentenceType.SHORT if index % 2 else SentenceType.INTERMEDIATE


def _rooms(wing) -> list[tuple[Houseblock, str]]:
    """Every room on the wing, the houseblocks in turn: room 1 of each, then room 2 of each, and
    so on, leaving out the numbers a smaller houseblock does not have."""
    houseblocks = list(wing.houseblocks.all())
    most = max(houseblock.rooms for houseblock in houseblocks)
    return [(block, str(room)) for room in range(1, most + 1) for block in houseblocks if room <= block.rooms]


def _admit(wing, pseudonym, number, index, today, sentence, witness, place) -> Resident | None:
    """``place``: the resident's houseblock and room."""
    if Resident.objects.filter(prison_number=number).exists():
        return None
    resident = Resident(
        prison_number=number,
        pseudonym=pseudonym,
        establishment=wing.establishment,
        wing=wing,
        houseblock=place[0],
        room=place[1],
        sentence_type=sentence,
        age_band=AGE_BANDS[index % len(AGE_BANDS)],
        # The women serving life sentences have lived on the wing longest: they are its peer mentors.
        arrived_on=today - timedelta(days=400 + 90 * index if sentence == SentenceType.LIFE else 30 + 11 * index),
        cats_id=f"CATS-{70000 + index}" if index % 3 else "",
    )
    # Four in five agree to take part in the evaluation, a few days after arriving.
    if index % 5 != 4:
        resident.evaluation_consent = True
        resident.consent_date = min(today, resident.arrived_on + timedelta(days=3))
        resident.consent_witnessed_by = witness
    return services.resident_admit(resident=resident, by=None)


def _journey(resident: Resident, index: int, today, officer) -> None:
    """Give some residents pre-engagement support and move some on to 'ready'."""

    def move(stage: Stage, days: int, note: str = "") -> None:
        on = resident.arrived_on + timedelta(days=days)
        services.resident_change_stage(resident=resident, stage=stage, changed_on=on, note=note, by=officer)

    if index % 4 == 1:
        move(Stage.PRE_ENGAGEMENT, 7, "Referred by the houseblock officer")
        for step, (kind, notes, next_step) in enumerate(SUPPORT_NOTES[: 2 + index % 3]):
            SupportContact.objects.create(
                resident=resident,
                staff=officer,
                contact_type=kind,
                minutes=20 + 10 * step,
                notes=notes,
                next_step=next_step,
                contact_on=min(today, resident.arrived_on + timedelta(days=8 + 5 * step)),
            )
        # and someone checked in on them this week.
        SupportContact.objects.create(
            resident=resident,
            staff=officer,
            contact_type=SupportType.CONFIDENCE,
            minutes=15 + 15 * (index % 3),
            notes="Checked in on the landing; talked about the next course.",
            contact_on=today - timedelta(days=today.weekday() * (index % 2)),
        )
    elif index % 4 == 2 or index < LIFERS:
        move(Stage.READY, 14)


def load() -> list[str]:
    today = timezone.localdate()
    officer = get_user_model().objects.get(username="officer.dhi")
    hamlet = Wing.objects.get(establishment__nomis_code="DHI", name="The Hamlet")
    # One to a room: those who stay take the rooms in turn, and the leavers the rooms after them,
    # which are free once they have gone (the Hamlet has 39 rooms for 40 residents, 3 of them leaving).
    rooms = _rooms(hamlet)
    order = [index for index in range(len(HAMLET_PSEUDONYMS)) if index not in LEAVERS] + list(LEAVERS)
    for index, pseudonym in enumerate(HAMLET_PSEUDONYMS):
        place = rooms[order.index(index) % len(rooms)]
        number = _prison_number("A", index)
        resident = _admit(hamlet, pseudonym, number, index, today, _sentence(index), officer, place)
        if resident:
            _journey(resident, index, today, officer)
    for index, (leaver, reason) in enumerate(LEAVERS.items()):
        resident = Resident.objects.get(prison_number=_prison_number("A", leaver))
        if resident.is_current:
            services.resident_depart(
                resident=resident, departed_on=today - timedelta(days=5 + index), reason=reason, by=officer
            )
    other = Wing.objects.get(establishment__nomis_code="ZTV")
    other_rooms = _rooms(other)
    for index, pseudonym in enumerate(OTHER_PSEUDONYMS):
        _admit(
            other,
            pseudonym,
            _prison_number("B", index),
            index,
            today,
            [SentenceType.INTERMEDIATE, SentenceType.LONG_DETERMINATE][index % 2],
            get_user_model().objects.get(username="officer.other"),
            other_rooms[index],
        )
    return []
