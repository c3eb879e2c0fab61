"""Reads about the site that more than one app needs."""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.template.defaultfilters import pluralize
from django.utils.formats import date_format

from hamlet.audit import trail_of
from hamlet.models import Establishment, Houseblock, StaffProfile, Wing
from hamlet.roles import Role


def staff_at(*, establishment: Establishment | int) -> QuerySet:
    """The active staff whose profile names the establishment, by name: who may witness,
    interview or be named on a limited-access record there. Only the wing's own staff (CFO
    staff and custody managers): evaluators and administrators never act on a resident."""
    on_the_wing = get_user_model().objects.filter(groups__name__in=[Role.CFO_STAFF, Role.CUSTODY_MANAGER])
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__establishments=establishment, pk__in=on_the_wing.values("pk"))
        .order_by("first_name", "last_name")
    )


def wing_trail(*, wing: Wing) -> QuerySet[LogEntry]:
    """The audit trail of a wing, its houseblocks and its establishment."""
    houseblocks = list(Houseblock.objects.filter(wing=wing).values_list("pk", flat=True))
    return trail_of({Wing: [wing], Establishment: [wing.establishment_id], Houseblock: houseblocks})


def wing_profile(*, wing: Wing) -> list[tuple[str, str]]:
    """The study's Table 1.1 profile of a wing and its establishment, row by row, in words."""
    establishment = wing.establishment
    houseblocks = [
        f"{block.name}: {block.rooms} bedroom{pluralize(block.rooms)}"
        + (f", {block.beds_per_room} beds in each" if block.beds_per_room > 1 else "")
        for block in wing.houseblocks.all()
    ]
    pilot = f"Started {date_format(wing.pilot_start, 'j F Y')}" if wing.pilot_start else "Start not recorded"
    if wing.funded_until:
        pilot += f"; funded until {date_format(wing.funded_until, 'j F Y')}"
    population = establishment.approximate_population
    return [
        ("Establishment", f"{establishment.name} ({establishment.nomis_code})"),
        ("Category", establishment.category),
        ("Estate", establishment.get_estate_display()),
        ("Region", establishment.region),
        ("Population", f"About {population}" if population else "Not recorded"),
        ("CFO wing name", wing.name),
        ("CFO wing resident profile", wing.resident_profile or "Not recorded"),
        ("Capacity", f"{wing.capacity} bedroom{pluralize(wing.capacity)}"),
        ("Houseblocks", "; ".join(houseblocks) or "None recorded"),
        ("Pilot", pilot),
    ]


@dataclass
class AccessGrant:
    """One change to who may see an establishment: given or taken away, when and by whom."""

    when: datetime
    staff: str
    given: bool
    by: object | None


def staff_with_access(*, establishment: Establishment) -> list[StaffProfile]:
    """Everyone whose staff profile names the establishment, with their roles (two queries)."""
    return list(
        StaffProfile.objects.filter(establishments=establishment)
        .select_related("user", "organisation")
        .prefetch_related("user__groups")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def access_grants(*, establishment: Establishment) -> list[AccessGrant]:
    """Every time someone was given or lost access to the establishment, newest first, from the
    audit trail of staff profiles' establishments (one query, however many staff)."""
    entries = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(StaffProfile))
        .select_related("actor")
        .order_by("-timestamp")
    )
    grants = []
    for entry in entries:
        change = (entry.changes or {}).get("establishments") if isinstance(entry.changes, dict) else None
        if isinstance(change, dict) and establishment.name in change.get("objects", []):
            grants.append(
                AccessGrant(entry.timestamp, entry.object_repr, change.get("operation") == "add", entry.actor)
            )
    return grants
