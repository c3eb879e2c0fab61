"""Subject access: everything held about one resident, in words a person can read."""

from collections.abc import Callable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from hamlet.models import display_name
from residents.audit import listings_including
from residents.models import NonAssociation, Resident, StageChange, SupportContact


def _readable(obj, exclude=()) -> dict:
    """A record's fields by their labels, with choices and people written out."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name == "id":
            continue
        value = getattr(obj, field.name)
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        elif field.is_relation and hasattr(value, "get_username"):
            value = display_name(value)
        elif field.is_relation and value is not None:
            value = str(value)
        values[str(field.verbose_name)] = value
    return values


# Later apps add what they hold about a resident: a function taking the resident and
# returning {"section name": [records...]} plus, under "audit", the LogEntry rows of them.
Section = Callable[[Resident], dict]
SECTIONS: list[Section] = []


def readable(obj, exclude=()) -> dict:
    return _readable(obj, exclude)


def trail_of(records_by_model: dict[type, list]) -> QuerySet[LogEntry]:
    """The audit entries of the given records, in one query."""
    types = ContentType.objects.get_for_models(*records_by_model)
    condition = Q(pk__in=[])
    for model, records in records_by_model.items():
        condition |= Q(content_type=types[model], object_pk__in=[str(record.pk) for record in records])
    return LogEntry.objects.filter(condition).select_related("actor", "content_type")


def everything_about(resident: Resident) -> dict:
    """Everything Hamlet holds about one resident, with its audit trail, for a subject access request."""
    stage_changes = list(resident.stage_changes.all())
    contacts = list(resident.support_contacts.all())
    non_associations = list(NonAssociation.objects.involving(resident))
    trail = list(
        trail_of(
            {
                Resident: [resident],
                StageChange: stage_changes,
                SupportContact: contacts,
                NonAssociation: non_associations,
            }
        )
    )
    held = {
        "produced_at": timezone.now(),
        "resident": {
            **_readable(resident, exclude={"version"}),
            "staff who may open a limited-access record": [
                display_name(user) for user in resident.permitted_staff.all()
            ],
        },
        "engagement stages": [_readable(change, exclude={"resident"}) for change in stage_changes],
        "pre-engagement support": [_readable(contact, exclude={"resident"}) for contact in contacts],
        # Another resident is a third party: say that a non-association exists, not with whom.
        "non-associations": [
            {"with": "another resident", "reason": row.reason, "recorded at": row.recorded_at}
            for row in non_associations
        ],
    }
    for section in SECTIONS:
        found = section(resident)
        trail += list(found.pop("audit", []))
        held.update(found)
    trail.sort(key=lambda entry: entry.timestamp)
    held["audit_trail"] = [
        {
            "when": entry.timestamp,
            "who": entry.actor.get_username() if entry.actor else None,
            "record": f"{entry.content_type.model} {entry.object_pk}",
            "action": entry.get_action_display(),
            "changes": entry.changes,
            "details": entry.additional_data,
        }
        for entry in [*trail, *listings_including(resident)]
    ]
    return held
