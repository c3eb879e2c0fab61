from collections.abc import Iterable, Iterator

from import_export import fields, resources

from evaluation.disclosure import RULES, Generalisation, banded
from hamlet.pseudonyms import research_id
from residents.models import Resident


class ResearchExtractResource(resources.ModelResource):
    """The research extract as a spreadsheet: research IDs, never identities; months, not days."""

    research_id = fields.Field(column_name="research_id")
    establishment = fields.Field("establishment__name", "establishment")
    wing = fields.Field("wing__name", "wing")
    sentence_type = fields.Field(column_name="sentence_type")
    age_band = fields.Field(column_name="age_band")
    arrived = fields.Field(column_name="arrived_month")
    departed = fields.Field(column_name="left_month")
    departure_reason = fields.Field("get_departure_reason_display", "departure_reason")
    stage = fields.Field("get_stage_display", "stage")
    roles_held = fields.Field(column_name="peer_roles_held")
    contacts_logged = fields.Field(column_name="mentor_contacts_logged")
    notes = fields.Field(column_name="notes")

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
            "notes",
        ]
        export_order = fields

    def __init__(self, *, generalisation: Generalisation):
        super().__init__()
        self.generalisation = generalisation
        self.first_row = True

    def rows(self, residents: Iterable[Resident]) -> Iterator[list]:
        """Each resident's row as ``export()`` makes it, one at a time, for a file that is
        streamed rather than built whole (``hamlet.spreadsheets.streamed_csv_response``)."""
        columns = self.get_export_fields()  # export() works these out again for every row
        for resident in residents:
            yield [self.export_field(column, resident) for column in columns]

    def dehydrate_research_id(self, resident: Resident) -> str:
        return research_id("resident", resident.pk)

    def dehydrate_sentence_type(self, resident: Resident) -> str:
        return self.generalisation.sentence_of(resident.sentence_type)

    def dehydrate_age_band(self, resident: Resident) -> str:
        return self.generalisation.age_of(resident.age_band)

    def dehydrate_arrived(self, resident: Resident) -> str:
        return self.generalisation.when(resident.arrived_on)

    def dehydrate_departed(self, resident: Resident) -> str:
        return self.generalisation.when(resident.departed_on)

    def dehydrate_roles_held(self, resident: Resident) -> str:
        return banded(resident.roles_held)

    def dehydrate_contacts_logged(self, resident: Resident) -> str:
        return banded(resident.contacts_logged)

    def dehydrate_notes(self, resident: Resident) -> str:
        # The file's note on the rules, once, on the first row (a CSV has nowhere else to keep it).
        note, self.first_row = (RULES if self.first_row else ""), False
        return note
