from django.apps import AppConfig

from hamlet.contributions import Link


class ProgrammeConfig(AppConfig):
    name = "programme"
    # What the programme adds to a resident and to the home page: see residents.contract.
    contribution = "programme.contribution.ProgrammeContribution"
    navigation = [Link("Programme", "programme:index", "programme.view_cohort")]
    synthetic_data = "programme.synthetic.generate"

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        staff = [
            "programme.view_phasesettings",
            "programme.view_referral",
            "programme.add_referral",
            "programme.change_referral",
            "programme.view_waitinglistentry",
            "programme.add_waitinglistentry",
            "programme.change_waitinglistentry",
            "programme.view_cohort",
            "programme.add_cohort",
            "programme.change_cohort",
            "programme.view_enrolment",
            "programme.add_enrolment",
            "programme.change_enrolment",
            "programme.view_session",
            "programme.add_session",
            "programme.change_session",
            "programme.view_attendance",
            "programme.add_attendance",
            "programme.change_attendance",
            "programme.view_meeting",
            "programme.add_meeting",
            "programme.change_meeting",
            "programme.view_action",
            "programme.add_action",
            "programme.change_action",
            "programme.view_suggestion",
            "programme.add_suggestion",
            "programme.change_suggestion",
            "programme.view_project",
            "programme.add_project",
            "programme.change_project",
            "programme.view_projecthours",
            "programme.add_projecthours",
            "programme.delete_projecthours",
        ]
        return {
            Role.CFO_STAFF: staff,
            # The custody manager alone sets how the wing runs each phase.
            Role.CUSTODY_MANAGER: [*staff, "programme.change_phasesettings"],
        }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from programme import models

        for model in (
            models.PhaseSettings,
            models.Referral,
            models.ReferralMove,
            models.WaitingListEntry,
            models.WaitingMove,
            models.Enrolment,
            models.Attendance,
            models.AttendanceChange,
            models.MeetingAttendee,
            models.Suggestion,
            models.Project,
            models.ProjectHours,
        ):
            auditlog.register(model)
        auditlog.register(models.Cohort, m2m_fields={"facilitators", "peer_mentors"})
        auditlog.register(models.Session, m2m_fields={"co_delivered_by", "catch_up_for"})
        auditlog.register(models.Meeting, m2m_fields={"staff_present"})
        auditlog.register(models.Action, m2m_fields={"reviewed_at"})
