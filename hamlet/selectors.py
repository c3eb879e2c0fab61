"""Reads about the site that a page needs whole."""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from hamlet.models import Establishment, StaffProfile


@dataclass
class AccessGrant:
    """One change to who may see an establishment: given or taken away, when and by whom."""

    when: datetime
    staff: str
    given: bool
    by: object | None


def staff_with_access(establishment: Establishment) -> list[StaffProfile]:
    """Everyone whose staff profile names the establishment, with their roles (two queries)."""
    return list(
        StaffProfile.objects.filter(establishments=establishment)
        .select_related("user", "organisation")
        .prefetch_related("user__groups")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def access_grants(establishment: Establishment) -> list[AccessGrant]:
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
