from django.apps import AppConfig

from hamlet.contributions import Link


class EvaluationConfig(AppConfig):
    name = "evaluation"
    navigation = [
        Link("Evaluation", "evaluation:periods", "evaluation.view_assessmentperiod"),
        Link("Research extract", "evaluation:index", "evaluation.view_research_extract"),
    ]

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        read = ["evaluation.view_assessmentperiod", "evaluation.view_gridrating", "evaluation.view_rolerung"]
        return {
            Role.CFO_STAFF: read,
            # The custody manager sets the periods and rates the instruments.
            Role.CUSTODY_MANAGER: [
                *read,
                "evaluation.add_assessmentperiod",
                "evaluation.change_assessmentperiod",
                "evaluation.add_gridrating",
                "evaluation.change_gridrating",
                "evaluation.add_rolerung",
                "evaluation.change_rolerung",
            ],
            # Evaluators only: a custody manager also sees named records, and could line the two up.
            Role.EVALUATOR: [*read, "evaluation.view_research_extract"],
        }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from evaluation import models

        for model in (models.AssessmentPeriod, models.PeriodReopening, models.GridRating, models.RoleRung):
            auditlog.register(model)
