from django.apps import AppConfig

from hamlet.contributions import Link


class EvaluationConfig(AppConfig):
    name = "evaluation"
    navigation = [Link("Evaluation", "evaluation:index", "evaluation.view_research_extract")]

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        # Evaluators only: a custody manager also sees named records, and could line the two up.
        return {Role.EVALUATOR: ["evaluation.view_research_extract"]}
