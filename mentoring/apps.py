from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
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

        from mentoring import hooks, models, services
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
        if hooks.anonymise not in ANONYMISE_STEPS:
            ANONYMISE_STEPS.append(hooks.anonymise)
        if hooks.subject_access not in SECTIONS:
            SECTIONS.append(hooks.subject_access)
        if not any(panel.template == "mentoring/_resident_panel.html" for panel in PANELS):
            PANELS.append(Panel("Peer roles", "mentoring/_resident_panel.html", hooks.roles_panel))
