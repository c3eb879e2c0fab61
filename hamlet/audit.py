"""Reading the audit trail back in words people use.

django-auditlog stores each change as field names and raw values. This turns a page of
entries into (field, before, after) lines, looking up every foreign key on the page in
one query per related model, so a history page costs the same however long it is.
``trail_of`` is the one query for the trail of some records, for the history pages and for
subject access alike.
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.signals import pre_save
from django.http import Http404
from django.utils import formats
from django.utils.encoding import smart_str
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


def record_created(records: Sequence[models.Model], *, actor) -> None:
    """The audit trail's "created" entries for records saved with ``bulk_create``, which sends
    no signals, so django-auditlog logs nothing of it. The entries are the ones its receiver
    writes after ``save()`` (the changes from nothing, the correlation id, and what its
    context adds in a request, such as the address), with ``actor`` as the acting user, and
    are written in one statement."""
    entries = []
    for record in records:
        if auditlog.get_serialize_options(type(record))["serialize_data"]:
            raise NotImplementedError(f"{type(record).__name__} keeps serialised data, which this does not write")
        use_json = settings.AUDITLOG_STORE_JSON_CHANGES
        get_additional_data = getattr(record, "get_additional_data", None)
        entry = LogEntry(
            content_type=ContentType.objects.get_for_model(record),
            object_pk=str(record.pk),
            object_id=record.pk,
            object_repr=smart_str(record),
            action=LogEntry.Action.CREATE,
            changes=model_instance_diff(None, record, use_json_for_changes=use_json),
            actor=actor,
            actor_email=getattr(actor, "email", None),
            additional_data=get_additional_data() if callable(get_additional_data) else None,
            cid=get_cid(),
        )
        # What django-auditlog's context (AuditlogMiddleware) adds to an entry as it is saved.
        pre_save.send(sender=LogEntry, instance=entry, raw=False, using=entry._state.db, update_fields=None)
        entries.append(entry)
    LogEntry.objects.bulk_create(entries)


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


# Refusals. A request refused for one record is an access entry too: who asked for which
# record, and why they were refused. The entry names the establishment the record is at,
# which the user is never told.

# The largest key a database column can hold. An address may carry any number; one past this
# names no record, and would not fit the entry's object_id either (it is kept in object_pk).
LARGEST_KEY = 2**63 - 1


def record_refused(*, user, model: type[models.Model], pk: int | None, reason: str, path: str) -> None:
    fits = pk is not None and 0 < pk <= LARGEST_KEY
    # The path from the record to its establishment, as its site-scoped queryset names it.
    field = getattr(model._default_manager.none(), "establishment_field", None)
    where = model._base_manager.filter(pk=pk).values_list(field, flat=True).first() if fits and field else None
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk=str(pk or ""),
        object_id=pk if fits else None,
        object_repr=f"refused: {reason}",
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes={},
        additional_data={"how": "refused", "reason": reason, "page": path, "establishment": where},
    )


def refusals_recorded(model: type[models.Model], *, pk: Callable[[dict], int | None] = lambda kwargs: kwargs.get("pk")):
    """Around a view about one record of ``model``: a 403 or 404 (no permission, another
    establishment, no such record) is recorded before the user sees it. ``pk`` finds the
    record's key in the URL arguments. Put it outermost, so it sees the permission decorators
    refuse."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except (PermissionDenied, Http404) as refusal:
                if request.user.is_authenticated:
                    reason = "no permission" if isinstance(refusal, PermissionDenied) else "not found"
                    record_refused(user=request.user, model=model, pk=pk(kwargs), reason=reason, path=request.path)
                raise

        return wrapper

    return decorate
