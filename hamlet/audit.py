"""Reading the audit trail back in words people use.

django-auditlog stores each change as field names and raw values. This turns a page of
entries into (field, before, after) lines, looking up every foreign key on the page in
one query per related model, so a history page costs the same however long it is.
``trail_of`` is the one query for the trail of some records, for the history pages and for
subject access alike.
"""

from collections import defaultdict
from datetime import date

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import formats
from django.utils.text import capfirst

Change = tuple[str, str, str]


def trail_of(records_by_model: dict[type[models.Model], list]) -> QuerySet[LogEntry]:
    """The audit entries of the given records (instances or primary keys), in one query."""
    types = ContentType.objects.get_for_models(*records_by_model)
    condition = Q(pk__in=[])
    for model, records in records_by_model.items():
        pks = [str(getattr(record, "pk", record)) for record in records]
        condition |= Q(content_type=types[model], object_pk__in=pks)
    return LogEntry.objects.filter(condition).select_related("actor", "content_type")


def _field(model, name: str):
    try:
        field = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _related_names(entries: list[LogEntry]) -> dict[type, dict[str, str]]:
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in entry.changes_dict.items():
            field = _field(model, name)
            if isinstance(field, models.ForeignKey) and isinstance(values, list):
                for value in values:
                    try:
                        wanted[field.related_model].add(field.related_model._meta.pk.to_python(value))
                    except ValidationError:
                        continue
    return {
        related: {str(obj.pk): str(obj) for obj in related._base_manager.filter(pk__in=pks - {None})}
        for related, pks in wanted.items()
    }


def _display(field, value, related_names) -> str:
    if value in (None, "None", ""):
        return "(blank)"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return related_names.get(field.related_model, {}).get(str(value), f"deleted record ({value})")
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return formats.date_format(date.fromisoformat(value), "j F Y")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def describe_changes(entries: list[LogEntry]) -> dict[int, list[Change]]:
    related_names = _related_names(entries)
    described = {}
    for entry in entries:
        model = entry.content_type.model_class()
        lines = []
        for name, values in entry.changes_dict.items():
            field = _field(model, name)
            if name == "id" or (field is None and not isinstance(values, dict)):
                continue  # the record's own id, or a reverse relation: nothing a person changed
            label = capfirst(str(getattr(field, "verbose_name", name)))
            if isinstance(values, dict):  # a many-to-many change: {"operation": ..., "objects": [...]}
                verb = {"add": "added", "delete": "removed", "clear": "cleared"}.get(values.get("operation"), "changed")
                lines.append((label, verb, ", ".join(map(str, values.get("objects", [])))))
            else:
                before, after = (list(values) + [None, None])[:2]
                lines.append((label, _display(field, before, related_names), _display(field, after, related_names)))
        described[entry.pk] = lines
    return described
