"""Reads about the site that more than one app needs."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from hamlet.audit import trail_of
from hamlet.models import Establishment, Houseblock, Wing
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
