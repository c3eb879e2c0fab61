"""Reads about residents, keyword-only.

Who may be named to a user is one rule, ``nameable``: the residents whose records the user
may open (``Resident.objects.visible_to``). A page about someone else (a mentor's mentees,
the residents nominating a candidate, the other side of a non-association, a round's
candidates) leaves out, or leaves unnamed, anyone outside it: naming a limited-access
resident to staff not named on the record would leak it.
"""

from datetime import date

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from hamlet.access import get_visible_or_404
from residents.contract import scrub
from residents.models import NonAssociation, Resident, StageChange, SupportContact

PRISON_NUMBER_IN_USE = "A current resident of this establishment already has this prison number"


def nameable(*, user) -> QuerySet:
    """The ids of the residents this user may name, as a subquery (no query runs here)."""
    return Resident.objects.visible_to(user).values("pk")


def visible_ids(*, user, ids) -> set[int]:
    """Which of these residents the user may name."""
    return set(nameable(user=user).filter(pk__in=ids).values_list("pk", flat=True))


def names_a_resident(text: str, *, wing_id: int) -> bool:
    """Whether ``text`` names a resident of the wing, by pseudonym or prison number (whole
    words, any case): for text shown where residents must not be named, such as the notice
    board or what evaluators read. Anonymised residents have no name left to find."""
    people = Resident.objects.filter(wing=wing_id, anonymised_on__isnull=True)
    names = [name for pair in people.values_list("pseudonym", "prison_number") for name in pair if name]
    return bool(text) and scrub(text, names) != text


def resident_at(*, user, establishment: int, prison_number: str) -> Resident | None:
    """The resident with this prison number at the establishment, if the user may name them."""
    return Resident.objects.filter(
        pk__in=nameable(user=user), establishment=establishment, prison_number=prison_number
    ).first()


def prison_number_in_use(*, user, establishment_id: int, prison_number: str, exclude_pk: int | None = None) -> bool:
    """Whether a current resident of the establishment that ``user`` may open has this prison number.

    Only records the user may open: a clash with anyone else (another prison, a limited-access
    record) must get the same answer as an unused number (issue 10). Without a user (an import
    run by a command, where no one is told anything) every record of the establishment counts.
    """
    return bool(
        prison_numbers_in_use(
            user=user, establishment_id=establishment_id, prison_numbers=[prison_number], exclude_pk=exclude_pk
        )
    )


def prison_numbers_in_use(
    *, user, establishment_id: int, prison_numbers: list[str], exclude_pk: int | None = None
) -> set[str]:
    """Which of these prison numbers ``prison_number_in_use`` says are in use, in one query
    (an import checks a whole file at once)."""
    residents = Resident.objects.visible_to(user) if user is not None else Resident.objects.all()
    clashes = residents.current().filter(establishment=establishment_id, prison_number__in=prison_numbers)
    if exclude_pk:
        clashes = clashes.exclude(pk=exclude_pk)
    return set(clashes.values_list("prison_number", flat=True))


def retention_cutoff(today: date) -> date:
    """The day before which a departure is old enough to anonymise."""
    years = settings.HAMLET_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def residents_due_for_anonymisation(*, user, today: date) -> QuerySet[Resident]:
    return (
        Resident.objects.visible_to(user)
        .not_anonymised()
        .filter(departed_on__lt=retention_cutoff(today))
        .select_related("wing")
        .order_by("departed_on")
    )


def resident_for_page(*, user, pk: int) -> Resident:
    """One resident through the user's scope, with everything its page shows."""
    return get_visible_or_404(
        Resident.objects.select_related(
            "establishment", "wing__establishment", "houseblock", "consent_witnessed_by"
        ).prefetch_related(
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("recorded_by")),
            Prefetch("support_contacts", queryset=SupportContact.objects.select_related("staff")),
            "permitted_staff",
        ),
        user,
        pk=pk,
    )


def non_associations_of(*, resident: Resident, user) -> list[tuple[NonAssociation, Resident]]:
    """The resident's non-associations with people the user may name; the others are left out."""
    visible = nameable(user=user)
    rows = NonAssociation.objects.filter(
        Q(first=resident, second__in=visible) | Q(second=resident, first__in=visible)
    ).select_related("first", "second")
    return [(row, row.other(resident)) for row in rows]


def namesake_warning(resident: Resident) -> str:
    """Said when a resident is admitted under a pseudonym another current resident of the
    wing already has, seen by the user or not: so it names no one."""
    return (
        f"The pseudonym {resident.pseudonym} is already in use on {resident.wing.name}. Staff will see"
        f" {resident.placement} beside it to tell them apart; check this is not the same person."
    )
