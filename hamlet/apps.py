from django.apps import AppConfig
from django.db.models.signals import post_migrate

from hamlet.contributions import Link


def _sync_roles(sender, **kwargs) -> None:
    from django.apps import apps

    from hamlet.roles import sync_roles

    # post_migrate fires once per app with models (after migrate, and after a test
    # flush); by the last one's turn every permission exists.
    if sender is [config for config in apps.get_app_configs() if config.models_module is not None][-1]:
        sync_roles(apps)


class HamletConfig(AppConfig):
    name = "hamlet"
    verbose_name = "Hamlet: sites and access"
    navigation = [
        Link("Dashboard", "hamlet:home"),
        Link("Regional dashboard", "hamlet:regional", "hamlet.view_regional"),
    ]
    # generate_data calls each app's generator in INSTALLED_APPS order (hamlet.synthetic).
    synthetic_data = "hamlet.synthetic.generate"

    @property
    def role_permissions(self):
        from hamlet.roles import HAMLET_ROLE_PERMISSIONS

        return HAMLET_ROLE_PERMISSIONS

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from hamlet import computed, models, pseudonyms, signals  # noqa: F401  (signals and checks register on import)

        computed.connect()

        for model in (models.Establishment, models.Wing, models.Houseblock, models.Organisation):
            auditlog.register(model)
        auditlog.register(models.StaffProfile, m2m_fields={"establishments"})
        # Every grant of a role or a permission, and who made it (issue 10): never the password.
        from django.contrib.auth import get_user_model

        auditlog.register(
            get_user_model(),
            m2m_fields={"groups", "user_permissions"},
            exclude_fields=["password", "last_login"],
        )
        post_migrate.connect(_sync_roles, dispatch_uid="hamlet_sync_roles")
