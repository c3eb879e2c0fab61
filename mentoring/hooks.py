"""What mentoring adds to the residents app's shared steps: a panel on the resident page,
its sections of the subject access download, and, on anonymisation, the mentoring records
about the person (the residents app blanks their free text and redacts their audit entries).
Registered in MentoringConfig.ready."""

from django.db.models import Q

from hamlet.models import display_name
from mentoring.models import (
    Candidate,
    Interview,
    MentorContact,
    NextStep,
    Nomination,
    RoleHolding,
    SupervisionSession,
    TrainingRecord,
)
from residents.subject_access import readable, trail_of


def roles_panel(resident, user):
    if not user.has_perm("mentoring.view_roleholding"):
        return None
    holdings = list(resident.role_holdings.select_related("role"))
    return {"holdings": holdings}


def subject_access(resident) -> dict:
    """What mentoring holds about a resident, for a subject access request. Other residents
    named in these records (mentors, mentees, nominees, nominators) are third parties, so only
    this resident's side is given."""
    as_mentor = list(resident.mentor_contacts.all())
    as_mentee = list(MentorContact.objects.filter(mentee=resident))
    about = list(Nomination.objects.filter(candidate__resident=resident).select_related("candidate__round__role"))
    made = list(Nomination.objects.filter(by=resident).select_related("candidate__round__role"))
    interviews = list(
        Interview.objects.filter(candidate__resident=resident)
        .select_related("candidate__round__role")
        .prefetch_related("interviewers")
    )
    records = {
        RoleHolding: list(resident.role_holdings.select_related("role")),
        TrainingRecord: list(resident.training.select_related("qualification", "provider")),
        SupervisionSession: list(resident.supervision_sessions.select_related("supervisor")),
        MentorContact: as_mentor + as_mentee,
        NextStep: list(resident.next_steps.select_related("target_role")),
        Candidate: list(resident.candidacies.select_related("round__role")),
        Nomination: about + made,
        Interview: interviews,
    }
    voice = {"candidate", "by"}
    return {
        "peer roles": [readable(row, exclude={"resident"}) for row in records[RoleHolding]],
        "training": [readable(row, exclude={"resident"}) for row in records[TrainingRecord]],
        "supervision": [readable(row, exclude={"mentor"}) for row in records[SupervisionSession]],
        "contacts as a mentor": [readable(row, exclude={"mentor", "mentee"}) for row in as_mentor],
        "contacts as a mentee": [readable(row, exclude={"mentor", "mentee"}) for row in as_mentee],
        "next steps": [readable(row, exclude={"resident"}) for row in records[NextStep]],
        "recruitment": [
            {"role": str(row.round.role), **readable(row, exclude={"round", "resident"})} for row in records[Candidate]
        ],
        "interviews": [
            {
                "role": str(row.candidate.round.role),
                **readable(row, exclude={"candidate"}),
                "interviewers": [display_name(user) for user in row.interviewers.all()],
            }
            for row in interviews
        ],
        "nominations and endorsements of them": [
            {"role": str(row.candidate.round.role), "by": "another resident", **readable(row, exclude=voice)}
            for row in about
        ],
        "nominations and endorsements they made": [
            {"role": str(row.candidate.round.role), "of": "another resident", **readable(row, exclude=voice)}
            for row in made
        ],
        "audit": trail_of(records),
    }


def anonymise(resident) -> dict:
    """The records mentoring holds about a resident being anonymised: the residents app
    blanks their free text and redacts their audit trail."""

    return {
        RoleHolding: RoleHolding.objects.filter(resident=resident),
        TrainingRecord: TrainingRecord.objects.filter(resident=resident),
        SupervisionSession: SupervisionSession.objects.filter(mentor=resident),
        MentorContact: MentorContact.objects.filter(Q(mentor=resident) | Q(mentee=resident)),
        NextStep: NextStep.objects.filter(resident=resident),
        Candidate: Candidate.objects.filter(resident=resident),
        Nomination: Nomination.objects.filter(Q(by=resident) | Q(candidate__resident=resident)),
        Interview: Interview.objects.filter(candidate__resident=resident),
    }
