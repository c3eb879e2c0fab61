"""Subject access: everything Hamlet holds about one resident, in words a person can read.

The residents app gives its own records; every other app adds its part through the
resident contract (``ResidentContribution.subject_access``, see ``residents.contract``).
What goes to the person names no other resident, by name or by id: another resident is
"another resident"; staff who acted are named by name and job title.
"""

from auditlog.models import LogEntry
from django.utils import timezone

from hamlet.audit import trail_of
from hamlet.models import display_name
from residents.audit import listings_including
from residents.contract import resident_contributions
from residents.models import NonAssociation, Resident, StageChange, SupportContact

ANOTHER_RESIDENT = "another resident"


def staff_name(user) -> str:
    """A member of staff as the person is told of them: their name and job title."""
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    title = profile.get_job_title_display() if profile else ""
    return f"{display_name(user)} ({title})" if title else display_name(user)


def readable(obj, exclude=()) -> dict:
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
        elif field.is_relation and isinstance(value, Resident):
            value = ANOTHER_RESIDENT
        elif field.is_relation and value is not None:
            value = str(value)
        values[str(field.verbose_name)] = value
    return values


def _residents_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, Resident)
    }


def _changes_in_words(entry: LogEntry, resident: Resident) -> dict:
    """An entry's changes, with any other resident it points at written as "another resident"."""
    model = entry.content_type.model_class()
    if model is None:
        return {}
    others = _residents_fields(model)
    own = {str(resident.pk), resident.pseudonym, resident.prison_number}

    def word(value):
        return value if value in (None, "None", "") or value in own else ANOTHER_RESIDENT

    return {
        str(model._meta.get_field(name).verbose_name) if name in {f.name for f in model._meta.fields} else name: (
            [word(value) for value in values] if name in others and isinstance(values, list) else values
        )
        for name, values in (entry.changes_dict or {}).items()
    }


def _details(entry: LogEntry) -> dict:
    data = dict(entry.additional_data or {})
    listed = data.pop("residents", None)
    if listed is not None:
        # A list page names everyone on it: say how many others, not who.
        data["other residents on it"] = max(len(listed) - 1, 0)
    data.pop("establishment", None)
    return data


def everything_about(resident: Resident) -> dict:
    """Everything Hamlet holds about one resident, with its audit trail, for a subject access request."""
    stage_changes = list(resident.stage_changes.select_related("recorded_by__staff_profile"))
    contacts = list(resident.support_contacts.select_related("staff__staff_profile"))
    non_associations = list(NonAssociation.objects.involving(resident))
    records: dict[type, list] = {
        Resident: [resident],
        StageChange: stage_changes,
        SupportContact: contacts,
        NonAssociation: non_associations,
    }
    held = {
        "produced_at": timezone.now(),
        "resident": {
            **readable(resident, exclude={"version"}),
            "staff who may open a limited-access record": [staff_name(user) for user in resident.permitted_staff.all()],
        },
        "engagement stages": [readable(change, exclude={"resident"}) for change in stage_changes],
        "pre-engagement support": [readable(contact, exclude={"resident"}) for contact in contacts],
        # Another resident is a third party: say that a non-association exists, not with whom.
        "non-associations": [
            {"with": ANOTHER_RESIDENT, "reason": row.reason, "recorded at": row.recorded_at} for row in non_associations
        ],
    }
    for contribution in resident_contributions():
        part = contribution.subject_access(resident)
        held.update(part.sections)
        for model, rows in part.records.items():
            records.setdefault(model, []).extend(rows)
    trail = sorted([*trail_of(records), *listings_including(resident)], key=lambda entry: entry.timestamp)
    held["audit_trail"] = [
        {
            "when": entry.timestamp,
            "who": staff_name(entry.actor),
            "record": f"{entry.content_type.model} {entry.object_pk}",
            "action": entry.get_action_display(),
            "changes": _changes_in_words(entry, resident),
            "details": _details(entry),
        }
        for entry in trail
    ]
    return held
