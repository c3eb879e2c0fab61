"""Writes that touch more than one row, each atomic and audited.

Later apps take part through the resident contract (``residents.contract``): leaving the
wing runs every app's ``on_departure`` in the same transaction (ending enrolments and peer
roles without this app knowing about them), and anonymisation reaches every app's records.
The engagement journey is written only here, by ``journey_move``, which later apps call to
move a resident into and through the phases.
"""

from datetime import date

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from hamlet import computed
from hamlet.audit import record_created
from hamlet.models import Establishment, Houseblock, Wing
from hamlet.versions import save_if_unchanged
from residents.contract import resident_contributions, scrub
from residents.models import (
    PRE_ENGAGEMENT_STAGES,
    DepartureReason,
    NonAssociation,
    Resident,
    Stage,
    StageChange,
    SupportContact,
)
from residents.selectors import PRISON_NUMBER_IN_USE, prison_number_in_use

# For the audit trail: {Model: (primary keys, field names whose past values go)}.
Redactions = dict[type, tuple[list[int], set[str]]]

ANONYMISED = "[anonymised]"


@transaction.atomic
def resident_admit(*, resident: Resident, by, permitted_staff=None) -> Resident:
    residents_admit(residents=[resident], by=by)
    if permitted_staff is not None:
        resident.permitted_staff.set(permitted_staff)
    return resident


@transaction.atomic
def residents_admit(*, residents: list[Resident], by) -> list[Resident]:
    """Admit residents, many at once for an import: each resident, the stage change that starts
    their engagement journey, and each one's "created" entry in the audit trail with ``by`` as
    the acting user, written a statement for all of them rather than several for each."""
    for resident in residents:
        resident.prison_number = resident.prison_number.upper()
        resident.stage = resident.stage or Stage.NOT_ENGAGED
    Resident.objects.bulk_create(residents)
    starts = StageChange.objects.bulk_create(
        StageChange(resident=resident, stage=resident.stage, changed_on=resident.arrived_on, recorded_by=by)
        for resident in residents
    )
    record_created([*residents, *starts], actor=by)
    # bulk_create sends no signals: the dashboards' held figures are told here.
    computed.changed({resident.establishment_id for resident in residents})
    _note_shared_prison_numbers(residents, by)
    return residents


def _note_shared_prison_numbers(residents: list[Resident], by) -> None:
    """A limited-access record here has the same prison number as someone admitted. The
    admitting user was told nothing (they may not know it exists), so the establishment's audit
    trail, which custody managers read on the wing's history page, says so without naming it:
    the staff named on the hidden record are the ones to resolve it."""
    admitted = {resident.pk for resident in residents}
    shared = set(
        Resident.objects.current()
        .filter(
            establishment__in={resident.establishment_id for resident in residents},
            prison_number__in={resident.prison_number for resident in residents},
            limited_access=True,
        )
        .exclude(pk__in=admitted)
        .values_list("establishment_id", "prison_number")
    )
    content_type = ContentType.objects.get_for_model(Establishment)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(resident.establishment_id),
            object_id=resident.establishment_id,
            object_repr=f"{resident} was admitted with a prison number a limited-access record here also has",
            action=LogEntry.Action.UPDATE,
            actor=by,
            changes={},
            additional_data={"how": "prison number shared with a limited-access record", "resident": resident.pk},
        )
        for resident in residents
        if (resident.establishment_id, resident.prison_number) in shared
    )


@transaction.atomic
def resident_refer(*, resident: Resident, by) -> Resident:
    """Record a person of the establishment who is not on a wing yet: someone referred onto
    the wing from elsewhere in the prison. The prison number is checked as at admission
    (among the establishment's current residents the user may open); there is no wing, no
    arrival and no step on the journey until they move onto it (``resident_move_onto_wing``)."""
    resident.wing, resident.arrived_on, resident.houseblock, resident.room = None, None, None, ""
    resident.prison_number = (resident.prison_number or "").upper()
    if prison_number_in_use(user=by, establishment_id=resident.establishment_id, prison_number=resident.prison_number):
        raise ValidationError({"prison_number": PRISON_NUMBER_IN_USE})
    resident.stage = Stage.NOT_ENGAGED
    resident.full_clean()
    resident.save()
    _note_shared_prison_numbers([resident], by)
    return resident


@transaction.atomic
def resident_move_onto_wing(
    *, resident: Resident, wing: Wing, arrived_on: date, by, houseblock: Houseblock | None = None, room: str = ""
) -> Resident:
    """A person not yet on a wing moves onto ``wing``: from then on they are its resident like
    anyone admitted, their journey starting on the day they arrived. The room and namesake
    rules of an admission apply (``Resident.clean``)."""
    if not resident.is_current:
        raise ValidationError("This person's record is closed")
    if resident.on_a_wing:
        raise ValidationError(f"{resident} is already on {resident.wing.name}")
    if wing.establishment_id != resident.establishment_id:
        raise ValidationError({"wing": "That wing is at another establishment"})
    if houseblock is not None and houseblock.wing_id != wing.pk:
        raise ValidationError({"houseblock": f"Choose a houseblock on {wing.name}"})
    resident.wing, resident.arrived_on, resident.houseblock, resident.room = wing, arrived_on, houseblock, room
    resident.full_clean()
    # A colleague with the edit form open must not then save the person off the wing again.
    resident.version = F("version") + 1
    resident.save(update_fields=["wing", "arrived_on", "houseblock", "room", "version"])
    resident.refresh_from_db(fields=["version"])
    StageChange.objects.create(
        resident=resident, stage=resident.stage, changed_on=arrived_on, note=f"Moved onto {wing.name}", recorded_by=by
    )
    return resident


@transaction.atomic
def resident_referral_close(*, resident: Resident, on: date, by, field: str = "departed_on") -> Resident:
    """A person referred onto the wing who will not move onto it (declined, withdrawn): their
    record closes as anyone's who left, so the retention and anonymisation rules reach it."""
    if not resident.is_current:
        raise ValidationError("This person's record is already closed")
    if resident.on_a_wing:
        raise ValidationError(f"{resident} is on {resident.wing.name}: record that they left the wing instead")
    if on > timezone.localdate():
        raise ValidationError({field: "The date cannot be in the future"})
    return _leave(resident, on=on, reason=DepartureReason.REFERRAL_CLOSED, by=by)


@transaction.atomic
def resident_update(*, resident: Resident, version: int, by, permitted_staff=None) -> Resident:
    """Save an edited resident, unless someone else saved it since ``version`` was read.
    The stage recorded at admission moves with the arrival."""
    save_if_unchanged(resident, version=version)
    admission = resident.stage_changes.order_by("pk").first()
    if admission is not None and admission.changed_on != resident.arrived_on:
        admission.changed_on = resident.arrived_on
        admission.save(update_fields=["changed_on"])
    if permitted_staff is not None:
        resident.permitted_staff.set(permitted_staff)
    return resident


@transaction.atomic
def resident_change_stage(*, resident: Resident, stage: str, changed_on: date, note: str, by) -> StageChange:
    """Staff record a step of pre-engagement; the phases are the programme's to record."""
    if stage not in PRE_ENGAGEMENT_STAGES:
        raise ValidationError({"stage": "Phase 1 and Phase 2 are recorded when the resident joins a cohort"})
    if stage == resident.stage:
        raise ValidationError({"stage": f"The resident is already at: {Stage(stage).label}. Choose another stage."})
    return journey_move(resident=resident, stage=stage, on=changed_on, note=note, by=by)


@transaction.atomic
def journey_move(
    *, resident: Resident, stage: str, on: date, by, note: str = "", future_allowed: bool = False
) -> StageChange:
    """Move a resident along the engagement journey: the one way any app writes a stage.

    Dated and attributed (a ``StageChange``, in the audit trail). The resident's stage is the
    latest change dated today or earlier, so a step recorded late does not rewind them. A
    date after today is refused unless ``future_allowed`` — for a cohort that starts later,
    whose change takes effect on its day (``journey_catch_up`` brings stages up to date).
    """
    if stage not in Stage.values:
        raise ValidationError({"stage": "Choose a stage of the engagement journey"})
    if not resident.is_current:
        raise ValidationError("This resident has left the wing")
    check_within_stay(resident, on, "changed_on", future_allowed=future_allowed)
    change = StageChange.objects.create(resident=resident, stage=stage, changed_on=on, note=note, recorded_by=by)
    _settle_stage(resident, today=timezone.localdate())
    return change


def _settle_stage(resident: Resident, *, today: date) -> None:
    latest = resident.stage_changes.filter(changed_on__lte=today).order_by("-changed_on", "-recorded_at", "-pk").first()
    if latest is not None and latest.stage != resident.stage:
        resident.stage = latest.stage
        resident.save(update_fields=["stage"])


@transaction.atomic
def journey_catch_up(*, today: date) -> int:
    """Give every current resident the stage of their latest change dated ``today`` or
    earlier, for changes recorded ahead of their day (run nightly: see the README's
    housekeeping). Returns how many residents moved."""
    latest = (
        StageChange.objects.filter(resident=OuterRef("pk"), changed_on__lte=today)
        .order_by("-changed_on", "-recorded_at", "-pk")
        .values("stage")[:1]
    )
    due = Resident.objects.current().annotate(due=Subquery(latest)).exclude(due=F("stage")).exclude(due=None)
    moved = 0
    for resident in due:
        resident.stage = resident.due
        resident.save(update_fields=["stage"])
        moved += 1
    return moved


def check_within_stay(resident: Resident, on: date, field: str, *, future_allowed: bool = False) -> None:
    """A date recorded about a resident falls in their time on the wing, and not after today.
    Someone not on a wing yet (referred onto it) has no time there: nothing of it is recorded."""
    if resident.arrived_on is None:
        raise ValidationError({field: f"{resident} is not on a wing yet: record this once they have moved onto it"})
    if resident.departed_on and on > resident.departed_on:
        raise ValidationError({field: "The date must be on or before the resident left the wing"})
    if on < resident.arrived_on:
        raise ValidationError({field: "The date must be on or after the resident arrived on the wing"})
    if on > timezone.localdate() and not future_allowed:
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
    if reason == DepartureReason.REFERRAL_CLOSED:
        raise ValidationError({"reason": "Choose why they left the wing"})
    check_within_stay(resident, departed_on, "departed_on")
    return _leave(resident, on=departed_on, reason=reason, by=by)


def _leave(resident: Resident, *, on: date, reason: str, by) -> Resident:
    """Close the record from ``on``, ending everything the person held, in every app."""
    resident.departed_on = on
    resident.departure_reason = reason
    # A colleague with the edit form open must not then save over the departure.
    resident.version = F("version") + 1
    resident.save(update_fields=["departed_on", "departure_reason", "version"])
    resident.refresh_from_db(fields=["version"])
    for contribution in resident_contributions():
        contribution.on_departure(resident=resident, departed_on=on, reason=reason, by=by)
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


def _free_text(model: type[models.Model]) -> dict[str, str]:
    """What anonymisation writes over each free-text field of ``model``: every character or
    text field that is not a choice (categories are kept for the statistics)."""
    return {
        field.name: "" if field.blank else ANONYMISED
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    }


@transaction.atomic
def resident_anonymise(*, resident: Resident, by, today: date) -> Resident:
    """Keep the counts, drop the person: identifiers and free text go, from the record, from
    every record about them in any app, and from the audit trail of all of these; stages,
    dates and categories stay for the statistics."""
    if resident.is_current:
        raise ValidationError("Only residents who have left can be anonymised")
    forget = [value for value in (resident.pseudonym, resident.prison_number) if value]
    about: dict[type, QuerySet] = {
        StageChange: resident.stage_changes.all(),
        SupportContact: resident.support_contacts.all(),
        NonAssociation: NonAssociation.objects.involving(resident),
    }
    shared: dict[type, QuerySet] = {}
    for contribution in resident_contributions():
        part = contribution.anonymise(resident)
        about.update(part.own)
        shared.update(part.shared)
    with set_actor(by):
        for name, blank in _free_text(Resident).items():
            setattr(resident, name, blank)
        resident.prison_number = None
        resident.pseudonym = f"Anonymised resident {resident.pk}"
        resident.anonymised_on = today
        # Nothing identifying is left to protect, and the named staff go: keeping the flag
        # would leave a record that no one could open or count.
        resident.limited_access = False
        resident.save()
        resident.permitted_staff.clear()
        redactions: Redactions = {Resident: ([resident.pk], set(_free_text(Resident)))}
        for model, records in about.items():
            pks = list(records.values_list("pk", flat=True))
            blanks = _free_text(model)
            if blanks:
                model.objects.filter(pk__in=pks).update(**blanks)
            redactions[model] = (pks, set(blanks))
        # Shared with others: keep the text, lose the person's name in it. Kept apart from
        # ``redactions``, since a model can have both (their own mark, others' marks beside it).
        shared_redactions: Redactions = {
            model: (_scrub_shared(model, records, forget), set()) for model, records in shared.items()
        }
    redact_audit_trail(resident, redactions, forget=forget)
    redact_audit_trail(resident, shared_redactions, forget=forget)
    return resident


def _scrub_shared(model: type[models.Model], records: QuerySet, forget: list[str]) -> list[int]:
    """Write ``[anonymised]`` over every mention of ``forget`` in the free text of records
    that several residents share; returns their primary keys."""
    fields = list(_free_text(model))
    pks = []
    for record in records.only("pk", *fields):
        pks.append(record.pk)
        changed = {name: scrub(getattr(record, name), forget, ANONYMISED) for name in fields}
        changed = {name: value for name, value in changed.items() if value != getattr(record, name)}
        if changed:
            model.objects.filter(pk=record.pk).update(**changed)
    return pks


def _redact(values):
    if not isinstance(values, list):
        return values
    return [ANONYMISED if value not in (None, "None", "") else value for value in values]


def _scrub(value, forget: list[str]):
    """``value`` with any string that holds one of ``forget`` replaced, however deeply nested."""
    if isinstance(value, str):
        return ANONYMISED if any(word in value for word in forget) else value
    if isinstance(value, dict):
        return {key: _scrub(item, forget) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, forget) for item in value]
    return value


@transaction.atomic
def redact_audit_trail(resident: Resident, redactions: Redactions, *, forget: list[str] = ()) -> None:
    """Remove the named fields' values from the audit entries of the named records, and any
    mention of the words in ``forget`` (the old pseudonym and prison number). Who did what to
    which record, and when, stays."""
    forget = list(forget)
    for model, (pks, fields) in redactions.items():
        current = model._base_manager.in_bulk(pks)
        entries = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in pks]
        )
        for entry in entries:
            changes = {name: _redact(v) if name in fields else v for name, v in (entry.changes or {}).items()}
            record = current.get(int(entry.object_pk))
            # The record's name as it reads now, with the anonymised name and blanked text in it.
            repr_ = str(record) if record is not None else ANONYMISED
            # .update() rather than save(): audit entries are otherwise never rewritten.
            LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=_scrub(repr_, forget),
                changes=_scrub(changes, forget),
                changes_text="",
                serialized_data=None,
                additional_data=_scrub(entry.additional_data, forget),
            )
