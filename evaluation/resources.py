from import_export import fields, resources

from hamlet.pseudonyms import research_id
from residents.models import Resident


class ResearchExtractResource(resources.ModelResource):
    """The research extract as a spreadsheet: research IDs, never identities; months, not days."""

    research_id = fields.Field(column_name="research_id")
    establishment = fields.Field("establishment__name", "establishment")
    wing = fields.Field("wing__name", "wing")
    sentence_type = fields.Field("get_sentence_type_display", "sentence_type")
    age_band = fields.Field("get_age_band_display", "age_band")
    arrived = fields.Field(column_name="arrived_month")
    departed = fields.Field(column_name="left_month")
    departure_reason = fields.Field("get_departure_reason_display", "departure_reason")
    stage = fields.Field("get_stage_display", "stage")
    roles_held = fields.Field("roles_held", "peer_roles_held")
    contacts_logged = fields.Field("contacts_logged", "mentor_contacts_logged")

    class Meta:
        model = Resident
        fields = [
            "research_id",
            "establishment",
            "wing",
            "sentence_type",
            "age_band",
            "arrived",
            "departed",
            "departure_reason",
            "stage",
            "roles_held",
            "contacts_logged",
        ]
        export_order = fields

    def dehydrate_research_id(self, resident: Resident) -> str:
        return research_id("resident", resident.pk)

    def dehydrate_arrived(self, resident: Resident) -> str:
        return f"{resident.arrived_on:%Y-%m}"

    def dehydrate_departed(self, resident: Resident) -> str:
        return f"{resident.departed_on:%Y-%m}" if resident.departed_on else ""
