from import_export import fields, resources, widgets

from mentoring.models import TrainingRecord


class TrainingExportResource(resources.ModelResource):
    """Training records for accreditation evidence: who, what, where, and the hours."""

    resident = fields.Field("resident__pseudonym", "resident")
    prison_number = fields.Field("resident__prison_number", "prison_number")
    qualification = fields.Field("qualification__name", "qualification")
    awarding_body = fields.Field("qualification__awarding_body", "awarding_body")
    level = fields.Field("qualification__level", "level")
    accredited = fields.Field("qualification__accredited", "accredited", widgets.BooleanWidget())
    provider = fields.Field("provider__name", "provider")
    status = fields.Field("get_status_display", "status")
    started_on = fields.Field("started_on", "started_on", widgets.DateWidget("%d/%m/%Y"))
    completed_on = fields.Field("completed_on", "completed_on", widgets.DateWidget("%d/%m/%Y"))

    class Meta:
        model = TrainingRecord
        fields = [
            "resident", "prison_number", "qualification", "awarding_body", "level", "accredited", "provider",
            "attained_at", "status", "started_on", "completed_on", "refresher", "learning_hours",
        ]  # fmt: skip
        export_order = fields
