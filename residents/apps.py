from django.apps import AppConfig

from hamlet.contributions import Link


class ResidentsConfig(AppConfig):
    name = "residents"
    # The resident contract every later app extends: see residents.contract.
    contribution = "residents.contribution.ResidentsContribution"
    navigation = [Link("Residents", "residents:list", "residents.view_resident")]
    synthetic_data = "residents.synthetic.generate"

    @property
    def role_permissions(self):
        from hamlet.roles import Role

        staff = [
            "residents.view_resident",
            "residents.add_resident",
            "residents.change_resident",
            "residents.export_resident",
            "residents.import_resident",
            "residents.add_stagechange",
            "residents.view_supportcontact",
            "residents.add_supportcontact",
            "residents.add_nonassociation",
        ]
        return {
            Role.CFO_STAFF: staff,
            Role.CUSTODY_MANAGER: [
                *staff,
                "residents.anonymise_resident",
                "residents.subject_access_resident",
            ],
        }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from residents import models

        auditlog.register(models.Resident, m2m_fields={"permitted_staff"}, exclude_fields=["version"])
        auditlog.register(models.StageChange)
        auditlog.register(models.SupportContact)
        auditlog.register(models.NonAssociation)
