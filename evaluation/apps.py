from django.apps import AppConfig

from hamlet.contributions import Link


class EvaluationConfig(AppConfig):
    name = "evaluation"
    synthetic_data = "evaluation.synthetic.generate"
    navigation = [
        Link("Evaluation", "evaluation:periods", "evaluation.view_assessmentperiod"),
        Link("Research extract", "evaluation:index", "evaluation.view_research_extract"),
    ]

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        read = [
            "evaluation.view_assessmentperiod",
            "evaluation.view_gridrating",
            "evaluation.view_rolerung",
            "evaluation.view_relationalmapping",
            "evaluation.view_climatemonth",
            "evaluation.view_voice",
            "evaluation.view_finding",
            "evaluation.view_attributesurvey",
            "evaluation.view_staffpost",
            "evaluation.view_roledeliverynote",
        ]
        # CFO staff run the exercises with cohorts and count the month's incidents, and record them.
        record = [
            "evaluation.add_relationalmapping",
            "evaluation.change_relationalmapping",
            "evaluation.add_climatemonth",
            "evaluation.change_climatemonth",
            "evaluation.add_voice",
            "evaluation.change_voice",
            "evaluation.delete_voice",
            "evaluation.add_finding",
            "evaluation.change_finding",
            "evaluation.add_attributesurvey",
            "evaluation.change_attributesurvey",
        ]
        return {
            Role.CFO_STAFF: [*read, *record],
            # The custody manager sets the periods and rates the instruments.
            Role.CUSTODY_MANAGER: [
                *read,
                *record,
                "evaluation.add_assessmentperiod",
                "evaluation.change_assessmentperiod",
                "evaluation.add_gridrating",
                "evaluation.change_gridrating",
                "evaluation.add_rolerung",
                "evaluation.change_rolerung",
                # The staff team and how peer roles are delivered are the manager's to keep.
                "evaluation.add_staffpost",
                "evaluation.change_staffpost",
                "evaluation.add_roledeliverynote",
                "evaluation.change_roledeliverynote",
            ],
            # Evaluators only: a custody manager also sees named records, and could line the two up.
            Role.EVALUATOR: [*read, "evaluation.view_research_extract"],
        }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from evaluation import models

        for model in (
            models.AssessmentPeriod,
            models.PeriodReopening,
            models.GridRating,
            models.RoleRung,
            models.MappingScore,
            models.ClimateMonth,
            models.ClimateCount,
            models.Voice,
            models.Finding,
            models.FindingProgress,
            models.AttributeSurvey,
            models.AttributeCount,
            models.StaffPost,
            models.StaffMonth,
            models.StaffFilled,
            models.RoleDeliveryNote,
        ):
            auditlog.register(model)
        auditlog.register(models.RelationalMapping)
