from django.apps import AppConfig

from hamlet.contributions import Link


class EvaluationConfig(AppConfig):
    name = "evaluation"
    navigation = [Link("Evaluation", "evaluation:index", "evaluation.view_research_extract")]

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        extract = ["evaluation.view_research_extract"]
        return {Role.CUSTODY_MANAGER: extract, Role.EVALUATOR: extract}
