"""Writes for the site itself: atomic, and audited through django-auditlog."""

from django.db import transaction

from hamlet.models import Wing
from hamlet.versions import save_if_unchanged


@transaction.atomic
def wing_update(*, wing: Wing, version: int) -> Wing:
    """Save the wing's profile, unless someone else saved it since ``version`` was read."""
    save_if_unchanged(wing, version=version)
    return wing
