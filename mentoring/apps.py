from django.apps import AppConfig

from hamlet.contributions import Link


class MentoringConfig(AppConfig):
    name = "mentoring"
    # What mentoring adds to a resident and to the home page: see residents.contract.
    contribution = "mentoring.contribution.MentoringContribution"
    navigation = [Link("Mentoring", "mentoring:index", "mentoring.view_peerrole")]
    synthetic_data = "mentoring.synthetic.generate"

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
            "mentoring.change_supervisionsession",
            "mentoring.view_mentorcontact",
            "mentoring.add_mentorcontact",
            # Their own contacts only (MentorContact.correctable_by).
            "mentoring.change_mentorcontact",
            "mentoring.delete_mentorcontact",
            "mentoring.view_recruitmentround",
            "mentoring.view_candidate",
            "mentoring.add_candidate",
            "mentoring.add_nomination",
            "mentoring.add_interview",
            "mentoring.change_interview",
            "mentoring.view_nextstep",
            "mentoring.add_nextstep",
            # CFO staff supervise mentors day to day; the custody manager alone sets the limits.
            "mentoring.view_workload",
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
                "mentoring.change_mentoringsettings",
                "mentoring.correct_any_mentorcontact",
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

        from mentoring import models

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
