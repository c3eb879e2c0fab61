"""Access events: every time someone sees a resident's data, the audit trail says so.

Opening a resident's page is one access entry on that resident. An export is one entry
per establishment it covers, naming every resident in it, so a list of 2,000 costs one
write, and a subject access request still finds every export that included the person.
"""

from collections import defaultdict

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from hamlet.models import Establishment
from residents.models import Resident


def record_access(*, user, resident: Resident, how: str) -> None:
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Resident),
        object_pk=str(resident.pk),
        object_id=resident.pk,
        object_repr=str(resident),
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes={},
        additional_data={"how": how, "establishment": resident.establishment_id},
    )


def record_export(*, user, residents: list[Resident], how: str) -> None:
    by_establishment: dict[int, list[int]] = defaultdict(list)
    for resident in residents:
        by_establishment[resident.establishment_id].append(resident.pk)
    content_type = ContentType.objects.get_for_model(Establishment)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(establishment_id),
            object_id=establishment_id,
            object_repr=f"export of {len(ids)} residents",
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes={},
            additional_data={"how": how, "residents": ids},
        )
        for establishment_id, ids in by_establishment.items()
    )


def exports_including(resident: Resident) -> list[LogEntry]:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Establishment),
        object_pk=str(resident.establishment_id),
        action=LogEntry.Action.ACCESS,
    ).select_related("actor")
    return [entry for entry in entries if resident.pk in (entry.additional_data or {}).get("residents", [])]
