"""Writes for the evaluation instruments, keyword-only and atomic. A closed period is
read-only: only reopening it (with a reason) lets its instruments change again. Text that
evaluators read names no resident of the wing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evaluation.models import (
    AssessmentPeriod,
    AttributeCount,
    AttributeSurvey,
    ClimateCount,
    ClimateMonth,
    Finding,
    FindingProgress,
    GridRating,
    MappingScore,
    PeriodReopening,
    RelationalMapping,
    RoleDeliveryNote,
    RoleRung,
    StaffFilled,
    StaffMonth,
    StaffPost,
    Voice,
)
from hamlet.versions import save_if_unchanged
from residents.selectors import names_a_resident

CLOSED = "This period is closed. A custody manager can reopen it, giving a reason"
NAMES_A_RESIDENT = "This names a resident of the wing. Evaluators read it, so write it without names or prison numbers"


TAKEN = "Someone else saved this while you were editing. Open it again."


def _save(record, *, version: int | None, same: dict | None = None, taken: str | dict = TAKEN) -> None:
    """Create ``record``, or save it if its row is still at ``version`` (``StaleEdit`` if not).
    ``same`` finds a record someone else created while this one was being written (one per
    period and stage, say): creating a second is refused with ``taken``."""
    if record.pk is not None:
        save_if_unchanged(record, version=version)
        return
    if same is not None and type(record).objects.filter(**same).exists():
        raise ValidationError(taken)
    record.save()


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
    _save(record, version=version, same={"period": period, **same})


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


@transaction.atomic
def mapping_save(
    *,
    mapping: RelationalMapping,
    scores: dict[tuple[str, str], int],
    version: int | None,
    by,
    name_fields: dict[str, str] | None = None,
) -> RelationalMapping:
    """Record (or correct) a cohort's relational mapping for a period, with all its scores.
    ``name_fields`` says which field gave each element the group named, for its messages."""
    period = AssessmentPeriod.objects.select_for_update().get(pk=mapping.period_id)
    if period.is_closed:
        raise ValidationError(CLOSED)
    errors = {}
    if mapping.cohort.wing_id != period.wing_id:
        errors["cohort"] = "Select one of the wing's cohorts"
    if mapping.held_on and not period.starts_on <= mapping.held_on <= period.ends_on:
        errors["held_on"] = f"The date must be within the period, {period.dates}"
    elif mapping.held_on and mapping.held_on > timezone.localdate():
        errors["held_on"] = "The date cannot be in the future"
    if errors:
        raise ValidationError(errors)
    check_names_no_one(mapping.notes, wing_id=period.wing_id, field="notes")
    for element in {element for element, _ in scores}:
        check_names_no_one(element, wing_id=period.wing_id, field=(name_fields or {}).get(element, "__all__"))
    mapping.recorded_by = by
    mapping.full_clean(validate_unique=False, validate_constraints=False)
    existed = mapping.pk is not None
    taken = {"cohort": "This cohort's mapping for the period is recorded already: change that one"}
    _save(mapping, version=version, same={"period": period, "cohort": mapping.cohort_id}, taken=taken)
    if existed:
        mapping.scores.all().delete()
    for (element, construct), score in sorted(scores.items()):
        MappingScore.objects.create(mapping=mapping, element=element, construct=construct, score=score)
    return mapping


def _save_with_counts(
    record, *, version: int | None, same: dict, related: str, rows: list, link: str = "record"
) -> None:
    """Save a record that holds a set of counts, replacing those it held with ``rows`` (its
    unsaved child rows, whose field ``link`` points at it). The first save creates it; ``same`` finds
    one someone else created while this one was being written."""
    existed = record.pk is not None
    _save(record, version=version, same=same)
    if existed:
        getattr(record, related).all().delete()
    for row in rows:
        setattr(row, link, record)
        row.save()


def _check_month(month) -> None:
    if month.day != 1:
        raise ValidationError("A month is recorded on its first day")
    if month > timezone.localdate():
        raise ValidationError("This month has not started yet")


@transaction.atomic
def climate_save(*, record: ClimateMonth, counts: dict[int, int], version: int | None, by) -> ClimateMonth:
    """Record (or correct) a wing's social-climate counts for one month, keyed by indicator."""
    _check_month(record.month)
    record.recorded_by = by
    rows = [ClimateCount(indicator_id=indicator, count=count) for indicator, count in sorted(counts.items())]
    same = {"wing": record.wing_id, "month": record.month}
    _save_with_counts(record, version=version, same=same, related="counts", rows=rows)
    return record


def _open_period(period_id: int) -> AssessmentPeriod:
    period = AssessmentPeriod.objects.select_for_update().get(pk=period_id)
    if period.is_closed:
        raise ValidationError(CLOSED)
    return period


def _save_text_record(record, *, version: int | None, texts: list[str]) -> None:
    """Save a record of an open period whose ``texts`` evaluators read, so name no resident."""
    period = _open_period(record.period_id)
    for field in texts:
        check_names_no_one(getattr(record, field), wing_id=period.wing_id, field=field)
    record.full_clean()
    _save(record, version=version)


@transaction.atomic
def voice_save(*, voice: Voice, version: int | None) -> Voice:
    """Record (or correct) what a period's focus groups or interviews found."""
    _save_text_record(voice, version=version, texts=["summary", "detail", "mentors_could_help"])
    return voice


@transaction.atomic
def voice_remove(*, voice: Voice) -> None:
    _open_period(voice.period_id)
    voice.delete()


@transaction.atomic
def finding_save(*, finding: Finding, version: int | None) -> Finding:
    """Record (or correct) a period's good practice, challenge, lesson or recommendation."""
    if finding.due_on and finding.due_on < finding.period.starts_on:
        began = f"{finding.period.starts_on:%-d %B %Y}"
        raise ValidationError({"due_on": f"The date must be on or after the period began, {began}"})
    _save_text_record(finding, version=version, texts=["summary", "detail"])
    return finding


@transaction.atomic
def finding_progress(*, finding: Finding, note: str, status: str, on, version: int, by) -> FindingProgress:
    """Note how a finding's action is going, moving it to ``status``. Progress goes on after
    the period closes: the action outlives it."""
    if on > timezone.localdate():
        raise ValidationError({"on": "The date cannot be in the future"})
    check_names_no_one(note, wing_id=finding.period.wing_id, field="note")
    finding.status = status
    save_if_unchanged(finding, version=version)
    return FindingProgress.objects.create(finding=finding, note=note, status=status, on=on, by=by)


@transaction.atomic
def attributes_save(*, survey: AttributeSurvey, counts: dict[int, int], version: int | None) -> AttributeSurvey:
    """Record (or correct) how many of a period's interviews named each attribute."""
    _open_period(survey.period_id)
    if any(count > survey.interviews for count in counts.values()):
        raise ValidationError("No attribute can be named in more interviews than were held")
    survey.full_clean(validate_unique=False)
    rows = [AttributeCount(attribute_id=attribute, interviews=count) for attribute, count in sorted(counts.items())]
    same = {"period": survey.period_id}
    _save_with_counts(survey, version=version, same=same, related="counts", rows=rows, link="survey")
    return survey


@transaction.atomic
def staff_post_save(*, post: StaffPost, version: int | None) -> StaffPost:
    """Add or change one of the wing's funded posts."""
    if (
        StaffPost.objects.filter(wing=post.wing_id, title=post.title, organisation=post.organisation_id)
        .exclude(pk=post.pk)
        .exists()
    ):
        raise ValidationError({"title": "The wing has this post with this organisation already: change its number"})
    post.full_clean(validate_constraints=False)
    _save(post, version=version)
    return post


@transaction.atomic
def staff_month_save(*, record: StaffMonth, counts: dict[int, int], version: int | None) -> StaffMonth:
    """Record (or correct) how many of each funded post were filled in a month."""
    _check_month(record.month)
    rows = [StaffFilled(post_id=post, count=count) for post, count in sorted(counts.items())]
    same = {"wing": record.wing_id, "month": record.month}
    _save_with_counts(record, version=version, same=same, related="filled", rows=rows)
    return record


@transaction.atomic
def delivery_note_save(*, note: RoleDeliveryNote, version: int | None) -> RoleDeliveryNote:
    """Say in words how a CFO peer role is delivered, where the records do not."""
    note.full_clean(validate_unique=False)
    _save(note, version=version, same={"role": note.role_id})
    return note
