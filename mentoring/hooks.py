"""What mentoring adds to the residents app's shared steps: a panel on the resident page,
a section of the subject access download, and the clearing of free text on anonymisation.
Registered in MentoringConfig.ready."""


def roles_panel(resident, user):
    if not user.has_perm("mentoring.view_roleholding"):
        return None
    holdings = list(resident.role_holdings.select_related("role"))
    return {"holdings": holdings}


def subject_access(resident) -> dict:
    """What mentoring holds about a resident, for a subject access request. Other residents
    named in these records (mentees, nominees) are third parties, so only this resident's side
    is given."""
    from mentoring.models import Candidate, MentorContact, NextStep, RoleHolding, SupervisionSession, TrainingRecord
    from residents.subject_access import readable, trail_of

    records = {
        RoleHolding: list(resident.role_holdings.select_related("role")),
        TrainingRecord: list(resident.training.select_related("qualification", "provider")),
        SupervisionSession: list(resident.supervision_sessions.select_related("supervisor")),
        MentorContact: list(resident.mentor_contacts.all()),
        NextStep: list(resident.next_steps.select_related("target_role")),
        Candidate: list(resident.candidacies.select_related("round__role")),
    }
    return {
        "peer roles": [readable(row, exclude={"resident"}) for row in records[RoleHolding]],
        "training": [readable(row, exclude={"resident"}) for row in records[TrainingRecord]],
        "supervision": [readable(row, exclude={"mentor"}) for row in records[SupervisionSession]],
        "contacts as a mentor": [readable(row, exclude={"mentor", "mentee"}) for row in records[MentorContact]],
        "next steps": [readable(row, exclude={"resident"}) for row in records[NextStep]],
        "recruitment": [
            {"role": str(row.round.role), **readable(row, exclude={"round", "resident"})} for row in records[Candidate]
        ],
        "audit": trail_of(records),
    }


def anonymise(resident) -> dict:
    """Clear the free text mentoring holds about a resident who is being anonymised."""
    from django.db.models import Q

    from mentoring.models import Candidate, Interview, MentorContact, NextStep, Nomination, SupervisionSession

    notes = [f"{name}_notes" for name in ("ready", "wants_responsibility", "emotional_skills", "practical_skills",
                                          "life_skills")]  # fmt: skip
    targets = {
        SupervisionSession: (SupervisionSession.objects.filter(mentor=resident), {"notes": "", "hand_back": ""}),
        MentorContact: (MentorContact.objects.filter(Q(mentor=resident) | Q(mentee=resident)), {"notes": ""}),
        NextStep: (NextStep.objects.filter(resident=resident), {"description": "[anonymised]"}),
        Nomination: (Nomination.objects.filter(Q(by=resident) | Q(candidate__resident=resident)), {"comment": ""}),
        Candidate: (Candidate.objects.filter(resident=resident), {"decision_reason": ""}),
        Interview: (Interview.objects.filter(candidate__resident=resident), dict.fromkeys(notes, "")),
    }
    redactions = {}
    for model, (queryset, blanks) in targets.items():
        redactions[model] = (list(queryset.values_list("pk", flat=True)), set(blanks))
        queryset.update(**blanks)
    return redactions
