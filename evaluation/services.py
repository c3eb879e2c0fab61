"""Writes for the evaluation instruments, keyword-only and atomic. A closed period is
read-only: only reopening it (with a reason) lets its instruments change again. Text that
evaluators read names no resident of the wing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evaluation.models import AssessmentPeriod, GridRating, PeriodReopening, RoleRung
from hamlet.versions import save_if_unchanged
from residents.selectors import names_a_resident

CLOSED = "This period is closed. A custody manager can reopen it, giving a reason"
NAMES_A_RESIDENT = "This names a resident of the wing. Evaluators read it, so write it without names or prison numbers"


def check_names_no_one(text: str, *, wing_id: int, field: str) -> None:
    """Refuse text that evaluators will read if it names a resident of the wing."""
    if names_a_resident(text, wing_id=wing_id):
        raise ValidationError({field: NAMES_A_RESIDENT})


def _check_dates(period: AssessmentPeriod) -> None:
    errors = {}
    if period.starts_on and period.ends_on and period.ends_on < period.starts_on:
        errors["ends_on"] = "The end date must be on or after the start date"
    others = AssessmentPeriod.objects.filter(wing=period.wing_id).exclude(pk=period.pk)
    if not errors and period.starts_on and period.ends_on:
        overlapping = others.filter(starts_on__lte=period.ends_on, ends_on__gte=period.starts_on).first()
        if overlapping:
            errors["starts_on"] = (
                f"These dates overlap {overlapping.label} ({overlapping.dates}): periods cannot overlap"
            )
    if period.baseline:
        baseline = others.filter(baseline=True).first()
        if baseline:
            errors["baseline"] = f"The wing already has a baseline, {baseline.label}"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_add(*, period: AssessmentPeriod) -> AssessmentPeriod:
    _check_dates(period)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_update(*, period: AssessmentPeriod, version: int) -> AssessmentPeriod:
    if AssessmentPeriod.objects.filter(pk=period.pk, closed_on__isnull=False).exists():
        raise ValidationError(CLOSED)
    _check_dates(period)
    period.full_clean()
    save_if_unchanged(period, version=version)
    return period


@transaction.atomic
def period_close(*, period: AssessmentPeriod, version: int, by) -> AssessmentPeriod:
    if period.is_closed:
        raise ValidationError("This period is already closed")
    period.closed_on, period.closed_by = timezone.localdate(), by
    save_if_unchanged(period, version=version)
    return period


@transaction.atomic
def period_reopen(*, period: AssessmentPeriod, version: int, reason: str, by) -> AssessmentPeriod:
    if not period.is_closed:
        raise ValidationError("This period is open already")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the period is being reopened"})
    period.closed_on, period.closed_by = None, None
    save_if_unchanged(period, version=version)
    PeriodReopening.objects.create(period=period, reason=reason.strip(), by=by)
    return period


def _rate(record: GridRating | RoleRung, *, version: int | None, by, texts: list[str], same: dict) -> None:
    """Save one instrument's record for an open period: the first save of it creates it; its
    texts, which evaluators read, name no resident; ``same`` finds a record someone else
    created while this one was being written."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=record.period_id)
    if period.is_closed:
        raise ValidationError(CLOSED)
    for field in texts:
        check_names_no_one(getattr(record, field), wing_id=period.wing_id, field=field)
    record.rated_by, record.rated_on = by, timezone.localdate()
    record.full_clean(validate_unique=False, validate_constraints=False)
    if record.pk is None:
        if type(record).objects.filter(period=period, **same).exists():
            raise ValidationError("Someone else saved this while you were editing. Open it again.")
        record.save()
    else:
        save_if_unchanged(record, version=version)


@transaction.atomic
def grid_rate(*, rating: GridRating, version: int | None, by) -> GridRating:
    """Rate one stage of the grid for a period."""
    _rate(rating, version=version, by=by, texts=["evidence"], same={"stage": rating.stage})
    return rating


@transaction.atomic
def rung_rate(*, rung: RoleRung, version: int | None, by) -> RoleRung:
    """Place one peer role on the participation ladder for a period."""
    if rung.role.establishment_id != AssessmentPeriod.objects.get(pk=rung.period_id).wing.establishment_id:
        raise ValidationError("This role is not one of the establishment's")
    _rate(rung, version=version, by=by, texts=["evidence", "plan"], same={"role": rung.role_id})
    return rung
