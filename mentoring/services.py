"""Writes for mentoring: atomic, and audited through django-auditlog."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hamlet.models import Wing
from hamlet.versions import StaleEdit, save_if_unchanged
from mentoring.models import (
    Candidate,
    Decision,
    HoldingEnd,
    Interview,
    MentorContact,
    MentoringSettings,
    Nomination,
    PeerRole,
    RecruitmentRound,
    RoleHolding,
    SupervisionSession,
)
from mentoring.selectors import holds_a_role
from residents.models import DepartureReason, Resident
from residents.services import check_within_stay

if TYPE_CHECKING:  # only annotations here: the form makes the record
    from mentoring.models import NextStep, TrainingRecord


@transaction.atomic
def role_holding_start(*, resident: Resident, role: PeerRole, started_on: date) -> RoleHolding:
    if role.establishment_id != resident.establishment_id:
        raise ValidationError({"role": "That role belongs to another establishment"})
    if not resident.is_current:
        raise ValidationError("This resident has left the wing")
    if RoleHolding.objects.current().filter(resident=resident, role=role).exists():
        raise ValidationError({"role": f"{resident} already holds this role"})
    check_within_stay(resident, started_on, "started_on")
    return RoleHolding.objects.create(resident=resident, role=role, started_on=started_on)


@transaction.atomic
def role_holding_end(*, holding: RoleHolding, ended_on: date, reason: str, note: str = "") -> RoleHolding:
    if holding.ended_on:
        raise ValidationError("This role has already ended")
    if ended_on < holding.started_on:
        raise ValidationError({"ended_on": "The role cannot end before it started"})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": "The date cannot be in the future"})
    holding.ended_on, holding.end_reason, holding.end_note = ended_on, reason, note
    holding.save(update_fields=["ended_on", "end_reason", "end_note"])
    return holding


@transaction.atomic
def end_roles_on_departure(*, resident: Resident, departed_on: date, reason: DepartureReason, by) -> None:
    """The residents app's departure step: every role the resident holds ends with them."""
    for holding in RoleHolding.objects.current().filter(resident=resident).select_for_update():
        role_holding_end(
            holding=holding,
            ended_on=max(departed_on, holding.started_on),
            reason=HoldingEnd.LEFT_WING,
            note=DepartureReason(reason).label,
        )


# The next supervision is booked within a quarter: a later date is a typing mistake.
LONGEST_SUPERVISION_GAP = timedelta(weeks=13)


def check_holds_a_role(resident: Resident, on: date, field: str) -> None:
    """A mentor's contacts, supervision and next steps belong to the time they hold a peer role."""
    if not holds_a_role(resident, on):
        raise ValidationError({field: "They did not hold a peer role on this date. Start a peer role first."})


def _check_contact(contact: MentorContact) -> None:
    if contact.occurred_at > timezone.now():
        raise ValidationError({"occurred_on": "The contact cannot be in the future"})
    check_within_stay(contact.mentor, timezone.localdate(contact.occurred_at), "occurred_on")
    check_holds_a_role(contact.mentor, timezone.localdate(contact.occurred_at), "occurred_on")
    if contact.mentee_id == contact.mentor_id:
        raise ValidationError({"mentee": "A mentor cannot be their own mentee"})
    contact.full_clean()


def _check_not_anonymised(mentor: Resident, what: str) -> None:
    if mentor.anonymised_on:
        raise ValidationError(f"This mentor's record has been anonymised, so its {what} cannot be changed")


def _check_correctable(contact: MentorContact, by) -> None:
    if not contact.correctable_by(by):
        raise PermissionDenied("Only the person who logged a contact, or a custody manager, may correct it")


@transaction.atomic
def contact_log(*, contact: MentorContact, work_out_hours: bool = False) -> MentorContact:
    """Log a contact. ``work_out_hours``: "Out of hours?" was left as the form first showed it,
    so it is worked out from the time entered and the wing's core day; otherwise it stands as chosen."""
    if work_out_hours:
        contact.out_of_hours = MentoringSettings.for_wing(contact.mentor.wing).is_out_of_hours(contact.occurred_at)
    _check_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: MentorContact, version: int, by) -> MentorContact:
    """Correct a logged contact, unless someone else saved it since ``version`` was read."""
    _check_correctable(contact, by)
    _check_not_anonymised(contact.mentor, "contacts")
    _check_contact(contact)
    save_if_unchanged(contact, version=version)
    return contact


@transaction.atomic
def contact_remove(*, contact: MentorContact, by) -> None:
    """Remove a contact logged in error; the audit trail keeps what it said and who removed it."""
    _check_correctable(contact, by)
    contact.delete()


def _check_supervision(session: SupervisionSession) -> None:
    check_within_stay(session.mentor, session.held_on, "held_on")
    check_holds_a_role(session.mentor, session.held_on, "held_on")
    if session.next_due <= session.held_on:
        raise ValidationError({"next_due": "The next session must be after this one"})
    if session.next_due > session.held_on + LONGEST_SUPERVISION_GAP:
        latest = session.held_on + LONGEST_SUPERVISION_GAP
        raise ValidationError(
            {"next_due": f"The next session must be due within 13 weeks of this one, by {latest:%-d %B %Y}"}
        )
    session.full_clean()


@transaction.atomic
def supervision_record(*, session: SupervisionSession) -> SupervisionSession:
    _check_supervision(session)
    session.save()
    return session


@transaction.atomic
def supervision_update(*, session: SupervisionSession, version: int) -> SupervisionSession:
    """Correct a recorded session, unless someone else saved it since ``version`` was read."""
    _check_not_anonymised(session.mentor, "notes")
    _check_supervision(session)
    save_if_unchanged(session, version=version)
    return session


@transaction.atomic
def hand_back_dealt_with(*, session: SupervisionSession, by, on: date) -> SupervisionSession:
    """What the mentor handed back at this session has been dealt with by staff."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    if not session.hand_back or session.hand_back_dealt_with_on:
        raise ValidationError("There is nothing from this session still to deal with")
    session.hand_back_dealt_with_on, session.hand_back_dealt_with_by = on, by
    session.save(update_fields=["hand_back_dealt_with_on", "hand_back_dealt_with_by"])
    return session


@transaction.atomic
def training_record_add(*, record: "TrainingRecord", resident: Resident) -> "TrainingRecord":
    record.resident = resident
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def next_step_add(*, step: "NextStep", resident: Resident, by) -> "NextStep":
    step.resident, step.recorded_by, step.recorded_on = resident, by, timezone.localdate()
    check_holds_a_role(resident, step.recorded_on, "description")
    step.save()
    return step


@transaction.atomic
def mentoring_settings_save(*, settings: MentoringSettings, version: int | None) -> MentoringSettings:
    """Save a wing's settings, unless someone else saved them since ``version`` was read.
    ``None``: the wing had none saved then, so they are made now, unless someone else just did."""
    if version is None:
        stored, created = MentoringSettings.objects.get_or_create(wing=settings.wing)
        if not created:
            raise StaleEdit
        settings.pk, version = stored.pk, stored.version
    save_if_unchanged(settings, version=version)
    return settings


@transaction.atomic
def round_open(*, round: RecruitmentRound, wing: Wing, by) -> RecruitmentRound:
    round.wing, round.opened_by = wing, by
    round.save()
    return round


@transaction.atomic
def candidate_add(*, round: RecruitmentRound, resident: Resident, route: str) -> Candidate:
    if not round.is_open:
        raise ValidationError("This recruitment round is closed")
    referred_here = not resident.on_a_wing and resident.establishment_id == round.wing.establishment_id
    if not (resident.wing_id == round.wing_id or referred_here) or not resident.is_current:
        raise ValidationError({"resident": "The candidate must be living on the wing, or referred onto it"})
    if RoleHolding.objects.current().filter(resident=resident, role=round.role).exists():
        raise ValidationError({"resident": f"{resident} already holds the role {round.role}"})
    if Candidate.objects.filter(round=round, resident=resident).exists():
        raise ValidationError({"resident": f"{resident} is already a candidate in this round"})
    return Candidate.objects.create(round=round, resident=resident, route=route, added_on=timezone.localdate())


@transaction.atomic
def nomination_add(*, candidate: Candidate, by: Resident, kind: str, comment: str) -> Nomination:
    """A resident's voice in the selection: only residents of the wing, once each, never for themselves."""
    if by.pk == candidate.resident_id:
        raise ValidationError({"by": "A resident cannot nominate or endorse themselves"})
    if by.wing_id != candidate.round.wing_id or not by.is_current:
        raise ValidationError({"by": "Nominations come from residents living on the wing"})
    if Nomination.objects.filter(candidate=candidate, by=by).exists():
        raise ValidationError({"by": f"{by} has already nominated or endorsed {candidate.resident}"})
    return Nomination.objects.create(
        candidate=candidate, by=by, kind=kind, comment=comment, recorded_on=timezone.localdate()
    )


@transaction.atomic
def candidate_decide(*, candidate: Candidate, decision: str, reason: str, by) -> Candidate:
    """Record the panel's decision; an appointment starts the role holding in the same step."""
    round = RecruitmentRound.objects.select_for_update().get(pk=candidate.round_id)
    if not round.is_open:
        raise ValidationError("This recruitment round is closed")
    if candidate.decision:
        raise ValidationError("A decision has already been recorded for this candidate")
    if decision == Decision.APPOINTED:
        appointed = round.candidates.filter(decision=Decision.APPOINTED).count()
        if appointed >= round.places:
            raise ValidationError({"decision": f"All {round.places} places have been filled; choose reserve"})
        if not candidate.resident.on_a_wing:
            raise ValidationError(
                {
                    "decision": f"{candidate.resident} is not on the wing yet: they can be appointed once they have"
                    " moved onto it (from their referral). Choose reserve or not now until then."
                }
            )
        role_holding_start(resident=candidate.resident, role=round.role, started_on=timezone.localdate())
    elif not reason.strip():
        raise ValidationError({"reason": "Give the reason, so the resident can be told why"})
    candidate.decision, candidate.decision_reason = decision, reason
    candidate.decided_on, candidate.decided_by = timezone.localdate(), by
    candidate.save(update_fields=["decision", "decision_reason", "decided_on", "decided_by"])
    return candidate


@transaction.atomic
def round_close(*, round: RecruitmentRound, closed_on: date) -> RecruitmentRound:
    if not round.is_open:
        raise ValidationError("This recruitment round is already closed")
    round.closed_on = closed_on
    round.save(update_fields=["closed_on"])
    return round


@transaction.atomic
def interview_save(*, interview: Interview, interviewers, version: int | None = None) -> Interview:
    """Save an interview's scores with who interviewed, together: a new interview, or a change
    to one opened at ``version``, unless someone else saved it since (``StaleEdit``)."""
    candidate = interview.candidate
    if not candidate.round.is_open:
        raise ValidationError("This recruitment round is closed")
    if interview.held_on > timezone.localdate():
        raise ValidationError({"held_on": "The interview cannot be in the future"})
    if interview.held_on < candidate.round.opened_on:
        raise ValidationError({"held_on": "The interview must be on or after the round opened"})
    if interview.pk is None:
        # Opened before anyone scored the candidate; someone else may have since. The row is
        # one per candidate, so the lock on the candidate makes two first saves take turns.
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        if Interview.objects.filter(candidate=candidate).exists():
            raise ValidationError(
                "Someone else saved scores for this candidate while you were scoring, so yours have not been "
                "saved. Open the interview again to see theirs."
            )
        interview.save()
    else:
        save_if_unchanged(interview, version=version)
    interview.interviewers.set(interviewers)
    return interview
