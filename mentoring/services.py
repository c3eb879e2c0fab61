"""Writes for mentoring: atomic, and audited through django-auditlog."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentoring.models import HoldingEnd, MentorContact, PeerRole, RoleHolding, SupervisionSession
from residents.models import DepartureReason, Resident


@transaction.atomic
def role_holding_start(*, resident: Resident, role: PeerRole, started_on: date) -> RoleHolding:
    if role.establishment_id != resident.establishment_id:
        raise ValidationError({"role": "That role belongs to another establishment"})
    if not resident.is_current:
        raise ValidationError("This resident has left the wing")
    if RoleHolding.objects.filter(resident=resident, role=role, ended_on__isnull=True).exists():
        raise ValidationError({"role": f"{resident} already holds this role"})
    return RoleHolding.objects.create(resident=resident, role=role, started_on=started_on)


@transaction.atomic
def role_holding_end(*, holding: RoleHolding, ended_on: date, reason: str, note: str = "") -> RoleHolding:
    if holding.ended_on:
        raise ValidationError("This role has already ended")
    if ended_on < holding.started_on:
        raise ValidationError({"ended_on": "The role cannot end before it started"})
    holding.ended_on, holding.end_reason, holding.end_note = ended_on, reason, note
    holding.save(update_fields=["ended_on", "end_reason", "end_note"])
    return holding


def end_roles_on_departure(*, resident: Resident, departed_on: date, reason: DepartureReason, by) -> None:
    """The residents app's departure step: every role the resident holds ends with them."""
    for holding in RoleHolding.objects.filter(resident=resident, ended_on__isnull=True).select_for_update():
        role_holding_end(
            holding=holding,
            ended_on=max(departed_on, holding.started_on),
            reason=HoldingEnd.LEFT_WING,
            note=DepartureReason(reason).label,
        )


@transaction.atomic
def contact_log(*, contact: MentorContact) -> MentorContact:
    if contact.occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "The contact cannot be in the future"})
    if contact.mentee_id == contact.mentor_id:
        raise ValidationError({"mentee": "A mentor cannot be their own mentee"})
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def supervision_record(*, session: SupervisionSession) -> SupervisionSession:
    if session.held_on > timezone.localdate():
        raise ValidationError({"held_on": "The session cannot be in the future"})
    if session.next_due <= session.held_on:
        raise ValidationError({"next_due": "The next session must be after this one"})
    session.full_clean()
    session.save()
    return session
