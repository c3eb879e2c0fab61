"""Access events: every time someone sees a resident's data, the audit trail says so."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from residents.models import Resident


def record_access(*, user, residents: list[Resident], how: str) -> None:
    """One access entry per resident seen, written in one query."""
    content_type = ContentType.objects.get_for_model(Resident)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(resident.pk),
            object_id=resident.pk,
            object_repr=str(resident),
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes={},
            additional_data={"how": how, "establishment": resident.establishment_id},
        )
        for resident in residents
    )
