"""Writes that touch more than one row, each atomic and audited.

Later apps join the departure step by adding a function to DEPARTURE_STEPS (their
AppConfig.ready does it), so leaving the wing ends enrolments and peer roles in the
same transaction without this app knowing about them.
"""

from collections.abc import Callable
from datetime import date

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from residents.models import (
    PRE_ENGAGEMENT_STAGES,
    DepartureReason,
    NonAssociation,
    Resident,
    Stage,
    StageChange,
    SupportContact,
)

DepartureStep = Callable[..., None]
DEPARTURE_STEPS: list[DepartureStep] = []

# Later apps clear their own free text when a resident is anonymised, and say which of
# their records and fields the audit trail must forget: {Model: (primary keys, field names)}.
Redactions = dict[type, tuple[list[int], set[str]]]
ANONYMISE_STEPS: list[Callable[[Resident], Redactions]] = []

ANONYMISED = "[anonymised]"


class StaleEdit(Exception):
    """Someone else saved the record after this copy was opened."""


@transaction.atomic
def resident_admit(*, resident: Resident, by) -> Resident:
    resident.prison_number = resident.prison_number.upper()
    resident.stage = resident.stage or Stage.NOT_ENGAGED
    resident.save()
    StageChange.objects.create(resident=resident, stage=resident.stage, changed_on=resident.arrived_on, recorded_by=by)
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, version: int, by) -> Resident:
    """Save an edited resident, unless someone else saved it since ``version`` was read."""
    updated = Resident.objects.filter(pk=resident.pk, version=version).update(version=F("version") + 1)
    if not updated:
        raise StaleEdit
    resident.version = version + 1
    resident.save()
    return resident


@transaction.atomic
def resident_change_stage(*, resident: Resident, stage: str, changed_on: date, note: str, by) -> StageChange:
    if stage not in PRE_ENGAGEMENT_STAGES:
        raise ValidationError({"stage": "Phase 1 and Phase 2 are recorded when the resident joins a cohort"})
    if not resident.is_current:
        raise ValidationError("This resident has left the wing")
    check_within_stay(resident, changed_on, "changed_on")
    change = StageChange.objects.create(
        resident=resident, stage=stage, changed_on=changed_on, note=note, recorded_by=by
    )
    # The current stage is the latest by date, so recording an earlier step late does not rewind it.
    resident.stage = resident.stage_changes.order_by("-changed_on", "-recorded_at", "-pk").first().stage
    resident.save(update_fields=["stage"])
    return change


def check_within_stay(resident: Resident, on: date, field: str) -> None:
    """A date recorded about a resident falls in their time on the wing, and not after today."""
    if resident.departed_on and on > resident.departed_on:
        raise ValidationError({field: "The date must be on or before the resident left the wing"})
    if on < resident.arrived_on:
        raise ValidationError({field: "The date must be on or after the resident arrived on the wing"})
    if on > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future"})


@transaction.atomic
def support_log(*, contact: SupportContact) -> SupportContact:
    if not contact.resident.is_current:
        raise ValidationError("This resident has left the wing")
    check_within_stay(contact.resident, contact.contact_on, "contact_on")
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def resident_depart(*, resident: Resident, departed_on: date, reason: DepartureReason, by) -> Resident:
    """Record that a resident has left the wing and end everything they held on it."""
    if not resident.is_current:
        raise ValidationError("This resident has already left the wing")
    check_within_stay(resident, departed_on, "departed_on")
    resident.departed_on = departed_on
    resident.departure_reason = reason
    # A colleague with the edit form open must not then save over the departure.
    resident.version = F("version") + 1
    resident.save(update_fields=["departed_on", "departure_reason", "version"])
    resident.refresh_from_db(fields=["version"])
    for step in DEPARTURE_STEPS:
        step(resident=resident, departed_on=departed_on, reason=reason, by=by)
    return resident


@transaction.atomic
def non_association_add(*, resident: Resident, other: Resident, reason: str, by) -> NonAssociation:
    if resident.pk == other.pk:
        raise ValidationError({"other": "A resident cannot be kept apart from themselves"})
    first, second = sorted([resident, other], key=lambda r: r.pk)
    association, created = NonAssociation.objects.get_or_create(
        first=first, second=second, defaults={"reason": reason, "recorded_by": by}
    )
    if not created:
        raise ValidationError({"other": f"{other} is already recorded as a non-association"})
    return association


@transaction.atomic
def resident_anonymise(*, resident: Resident, by, today: date) -> Resident:
    """Keep the counts, drop the person: identifiers and free text go, from the record,
    its log and its audit trail; stages, dates and categories stay for the statistics."""
    if resident.is_current:
        raise ValidationError("Only residents who have left can be anonymised")
    with set_actor(by):
        resident.prison_number = None
        resident.pseudonym = f"Anonymised resident {resident.pk}"
        resident.room = ""
        resident.cats_id = ""
        resident.anonymised_on = today
        resident.save()
        resident.permitted_staff.clear()
        resident.support_contacts.update(notes="", next_step="")
        resident.stage_changes.update(note="")
        NonAssociation.objects.filter(first=resident).update(reason="")
        NonAssociation.objects.filter(second=resident).update(reason="")
        redactions: Redactions = {
            Resident: ([resident.pk], {"prison_number", "pseudonym", "room", "cats_id"}),
            SupportContact: (list(resident.support_contacts.values_list("pk", flat=True)), {"notes", "next_step"}),
            StageChange: (list(resident.stage_changes.values_list("pk", flat=True)), {"note"}),
        }
        for step in ANONYMISE_STEPS:
            redactions.update(step(resident))
    redact_audit_trail(resident, redactions)
    return resident


def _redact(values):
    if not isinstance(values, list):
        return values
    return [ANONYMISED if value not in (None, "None", "") else value for value in values]


def redact_audit_trail(resident: Resident, redactions: Redactions) -> None:
    """Remove the named fields' values from the audit entries of the named records."""
    for model, (pks, fields) in redactions.items():
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in pks]
        )
        for entry in entries:
            changes = {name: _redact(v) if name in fields else v for name, v in (entry.changes or {}).items()}
            repr_ = resident.pseudonym if model is Resident else entry.object_repr
            # .update() rather than save(): audit entries are otherwise never rewritten.
            LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=repr_, changes=changes, changes_text="", serialized_data=None
            )
