"""The four roles, as groups with Django permissions.

A data migration creates the groups; the post_migrate handler in ``hamlet.apps`` brings
their permissions up to date after every migrate. Each app states what each role may do
with its own models in a ``role_permissions`` attribute on its AppConfig, so the roles
grow with the apps and this module never names an app that builds on it.
"""

from enum import StrEnum

from django.apps import apps as live_apps


class Role(StrEnum):
    CFO_STAFF = "CFO staff"
    CUSTODY_MANAGER = "Custody manager"
    EVALUATOR = "Evaluator"
    ADMINISTRATOR = "Administrator"


_SITE_VIEW = [
    "hamlet.view_establishment",
    "hamlet.view_wing",
    "hamlet.view_houseblock",
    "hamlet.view_organisation",
]

_STAFF = [*_SITE_VIEW, "hamlet.view_identities"]

# The regional dashboard: figures side by side across the establishments a user is linked to,
# with disclosure control. The evaluation team's home page; a custody manager compares their sites.
REGIONAL = "hamlet.view_regional"

# What each role may do with the site models of this app.
HAMLET_ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CFO_STAFF: _STAFF,
    Role.CUSTODY_MANAGER: [
        *_STAFF,
        "hamlet.change_wing",
        "hamlet.add_houseblock",
        "hamlet.change_houseblock",
        "auditlog.view_logentry",
        REGIONAL,
    ],
    Role.EVALUATOR: [*_SITE_VIEW, REGIONAL],
    Role.ADMINISTRATOR: [
        *_STAFF,
        *(
            f"hamlet.{action}_{model}"
            for model in ("establishment", "wing", "houseblock", "organisation", "staffprofile")
            for action in ("add", "change", "delete", "view")
        ),
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "auditlog.view_logentry",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ],
}


def role_permissions() -> dict[Role, set[str]]:
    """Every installed app's grants to each role, as "app_label.codename" names."""
    granted: dict[Role, set[str]] = {role: set() for role in Role}
    for app_config in live_apps.get_app_configs():
        for role, names in getattr(app_config, "role_permissions", {}).items():
            granted[role] |= set(names)
    return granted


def sync_roles(apps) -> None:
    """Create the role groups and give each exactly its permissions.

    ``apps`` is the app registry: the historical one inside a migration, the live one
    after migrate. Permissions whose models do not exist yet are left for a later run.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = set()
        for name in names:
            app_label, codename = name.split(".")
            wanted |= set(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename).values_list(
                    "pk", flat=True
                )
            )
        group.permissions.set(wanted)
