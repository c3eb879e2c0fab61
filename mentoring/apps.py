from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        staff = [
            "mentoring.view_peerrole",
            "mentoring.view_qualification",
            "mentoring.view_roleholding",
            "mentoring.add_roleholding",
            "mentoring.change_roleholding",
            "mentoring.view_trainingrecord",
            "mentoring.add_trainingrecord",
            "mentoring.view_supervisionsession",
            "mentoring.add_supervisionsession",
            "mentoring.view_mentorcontact",
            "mentoring.add_mentorcontact",
            "mentoring.view_recruitmentround",
            "mentoring.view_candidate",
            "mentoring.add_candidate",
            "mentoring.add_nomination",
            "mentoring.add_interview",
            "mentoring.change_interview",
            "mentoring.view_nextstep",
            "mentoring.add_nextstep",
        ]
        catalogues = [
            f"mentoring.{action}_{model}"
            for model in ("peerrole", "qualification")
            for action in ("add", "change", "view")
        ]
        return {
            Role.CFO_STAFF: staff,
            Role.CUSTODY_MANAGER: [
                *staff,
                "mentoring.view_workload",
                "mentoring.change_mentoringsettings",
                "mentoring.add_recruitmentround",
                "mentoring.change_recruitmentround",
                "mentoring.change_candidate",
            ],
            # The catalogue of roles names no one, so evaluators may read it.
            Role.EVALUATOR: ["mentoring.view_peerrole", "mentoring.view_qualification"],
            Role.ADMINISTRATOR: catalogues,
        }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from mentoring import models, services
        from residents.panels import PANELS, Panel
        from residents.services import ANONYMISE_STEPS, DEPARTURE_STEPS
        from residents.subject_access import SECTIONS

        for model in (
            models.PeerRole,
            models.RoleHolding,
            models.Qualification,
            models.TrainingRecord,
            models.MentoringSettings,
            models.SupervisionSession,
            models.MentorContact,
            models.RecruitmentRound,
            models.Candidate,
            models.Nomination,
            models.NextStep,
        ):
            auditlog.register(model)
        auditlog.register(models.Interview, m2m_fields={"interviewers"})
        if services.end_roles_on_departure not in DEPARTURE_STEPS:
            DEPARTURE_STEPS.append(services.end_roles_on_departure)
        if _anonymise not in ANONYMISE_STEPS:
            ANONYMISE_STEPS.append(_anonymise)
        if _subject_access not in SECTIONS:
            SECTIONS.append(_subject_access)
        if not any(panel.template == "mentoring/_resident_panel.html" for panel in PANELS):
            PANELS.append(Panel("Peer roles", "mentoring/_resident_panel.html", _roles_panel))


def _roles_panel(resident, user):
    if not user.has_perm("mentoring.view_roleholding"):
        return None
    holdings = list(resident.role_holdings.select_related("role"))
    return {"holdings": holdings}


def _subject_access(resident) -> dict:
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


def _anonymise(resident) -> dict:
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
