"""Subject access: everything Hamlet holds about one resident, in words a person can read.

The residents app gives its own records; every other app adds its part through the
resident contract (``ResidentContribution.subject_access``, see ``residents.contract``).
What goes to the person names no other resident, by name or by id: another resident is
"another resident"; staff who acted are named by name and job title.
"""

from datetime import date, datetime

from auditlog.models import LogEntry
from django.db.models import BooleanField
from django.utils import timezone
from django.utils.text import capfirst

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

    fields = {field.name: field for field in model._meta.concrete_fields if field.name != "id"}

    def word(value):
        return value if value in (None, "None", "") or value in own else ANOTHER_RESIDENT

    def in_words(field, value):
        # As stored ("life", "2", "True", "None"): the label, the member of staff or the
        # record a person reads, yes or no, and nothing as nothing.
        if value in (None, "None", ""):
            return None
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, BooleanField):
            return {"True": True, "False": False}.get(value, value)
        if field.is_relation:
            related = field.related_model._default_manager.filter(pk=value).first() if value.isdigit() else None
            if related is None:
                return value
            return staff_name(related) if hasattr(related, "get_username") else str(related)
        return value

    # Only the record's own fields: not the reverse relations auditlog lists on a create.
    return {
        str(fields[name].verbose_name): (
            [word(value) for value in values]
            if name in others and isinstance(values, list)
            else [in_words(fields[name], value) for value in values]
            if isinstance(values, list)
            else values
        )
        for name, values in (entry.changes_dict or {}).items()
        if name in fields
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


def _heading(key: str) -> str:
    return capfirst(key.replace("_", " "))


def _words(value) -> str:
    """One value as a person reads it: dates in words, yes or no, "Not recorded" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, dict):
        return "; ".join(
            f"{_heading(key)}: {' to '.join(_words(v) for v in item) if isinstance(item, list) else _words(item)}"
            for key, item in value.items()
        )
    if isinstance(value, list):
        return ", ".join(_words(item) for item in value)
    return str(value)


def in_words(held: dict) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    """``everything_about`` as a page shows it: each section's heading and its records,
    each record its labelled values in words."""
    sections = []
    for key, value in held.items():
        if key == "produced_at":
            continue
        records = value if isinstance(value, list) else [value]
        sections.append(
            (_heading(key), [[(_heading(label), _words(item)) for label, item in record.items()] for record in records])
        )
    return sections
