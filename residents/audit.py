"""Access events: every time someone sees a resident's data, the audit trail says so.

Opening a resident's page (or a form about them) is one access entry on that resident. A
list page or an export is one entry per establishment it covers, naming every resident in
it, so a list of 2,000 costs one write, and a subject access request still finds every
list and export that included the person. A refusal is an access entry too: who asked
for which resident, and why they were refused.
"""

import functools
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms import ModelChoiceField

from hamlet import computed
from hamlet.audit import record_refused, refusals_recorded
from hamlet.models import Establishment
from residents.models import Resident


def record_access(*, user, resident: Resident, how: str, reason: str = "") -> None:
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Resident),
        object_pk=str(resident.pk),
        object_id=resident.pk,
        object_repr=str(resident),
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes={},
        additional_data={
            "how": how,
            "establishment": resident.establishment_id,
            **({"reason": reason} if reason else {}),
        },
    )


def shown_about(request, resident: Resident, how: str = "") -> Callable[[], None]:
    """For ``hamlet.forms.form_page(shown=...)``: once the page about the resident is shown
    (not after a successful save), an access entry; ``how`` is the page's URL name unless given."""
    return lambda: record_access(user=request.user, resident=resident, how=how or request.resolver_match.view_name)


def offered_in(*forms) -> set[Resident]:
    """The residents the forms offer to choose from (a mentee, a candidate): a page that shows
    such a form names them too, so they go into its listing entry."""
    return {
        resident
        for form in forms
        for field in form.fields.values()
        if isinstance(field, ModelChoiceField) and issubclass(field.queryset.model, Resident)
        for resident in field.queryset
    }


class Listed(NamedTuple):
    """A resident as an access entry names them."""

    pk: int
    establishment_id: int


def record_listing(*, user, residents: list[Resident] | list[Listed], how: str) -> None:
    """One access entry per establishment for a list page, export or extract that showed
    ``residents``; ``how`` says which ("list page", "export csv", "research extract xlsx"…).
    On a page held for every reader (``hamlet.computed``), written again on every visit."""
    by_establishment: dict[int, list[int]] = defaultdict(list)
    for resident in residents:
        by_establishment[resident.establishment_id].append(resident.pk)
    listed = [Listed(pk, establishment) for establishment, pks in by_establishment.items() for pk in pks]
    computed.again_on_every_visit(record_listing, residents=listed, how=how)
    content_type = ContentType.objects.get_for_model(Establishment)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(establishment_id),
            object_id=establishment_id,
            object_repr=f"{how}: {len(ids)} residents",
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes={},
            additional_data={"how": how, "residents": ids},
        )
        for establishment_id, ids in by_establishment.items()
    )


def listings_including(resident: Resident) -> list[LogEntry]:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Establishment),
        object_pk=str(resident.establishment_id),
        action=LogEntry.Action.ACCESS,
    ).select_related("actor")
    if connection.features.supports_json_field_contains:
        # Every list page view adds an entry here, so where the database can look inside the
        # JSON (PostgreSQL) it does, and only the matches come back; SQLite is checked below.
        entries = entries.filter(additional_data__residents__contains=[resident.pk])
    return [entry for entry in entries if resident.pk in (entry.additional_data or {}).get("residents", [])]


def _resident_pk(kwargs: dict) -> int | None:
    return kwargs.get("pk")


def record_refusals(view=None, *, resident_pk: Callable[[dict], int | None] = _resident_pk):
    """Around a view about one resident: a refusal (no permission, another establishment,
    a limited-access record, no such record) is recorded before the user sees the 403 or
    404 (``hamlet.audit.refusals_recorded``).

    ``resident_pk`` finds the resident asked for in the view's URL arguments (``pk``
    unless told otherwise). Put it outermost, so it sees the permission decorators refuse.
    """
    if view is None:
        return functools.partial(record_refusals, resident_pk=resident_pk)
    return refusals_recorded(Resident, pk=resident_pk)(view)


def record_refusal(*, user, pk: int | None, reason: str, path: str) -> None:
    record_refused(user=user, model=Resident, pk=pk, reason=reason, path=path)
