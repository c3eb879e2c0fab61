from import_export import fields

from hamlet.spreadsheets import TypedExportResource
from mentoring.models import TrainingRecord


class TrainingExportResource(TypedExportResource):
    """Training records for accreditation evidence: who, what, where, and the hours."""

    resident = fields.Field("resident__pseudonym", "resident")
    prison_number = fields.Field("resident__prison_number", "prison_number")
    qualification = fields.Field("qualification__name", "qualification")
    awarding_body = fields.Field("qualification__awarding_body", "awarding_body")
    level = fields.Field("qualification__level", "level")
    accredited = fields.Field("qualification__accredited", "accredited")
    provider = fields.Field("provider__name", "provider")
    status = fields.Field("get_status_display", "status")

    class Meta:
        model = TrainingRecord
        fields = [
            "resident", "prison_number", "qualification", "awarding_body", "level", "accredited", "provider",
            "attained_at", "status", "started_on", "completed_on", "refresher", "learning_hours",
        ]  # fmt: skip
        export_order = fields
