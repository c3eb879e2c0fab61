"""Figures worked out from many records, held in the shared cache until a record behind them
changes.

The dashboards, the site report and the research extract count thousands of records to show a
few dozen numbers, and every reader of a wing sees the same numbers. ``held()`` keeps what such
a page worked out in Django's cache (one Redis that every node shares: ``REDIS_URL``) under a
key that names, besides what the page asked for, the current **generation** of each
establishment it draws on and of Hamlet as a whole. Any save or deletion of a record that
belongs to an establishment (through ``SiteScopedQuerySet.establishment_field``, or a foreign
key to such a record) starts a new generation for that establishment once its transaction
commits; a record that belongs to no establishment (a catalogue entry, an organisation) starts
a new one for the whole of Hamlet. A reader after that looks for a key no one has written and
counts afresh, on whichever node. Nothing is ever read back that a change has made stale.

Staff accounts are outside Hamlet's apps: a change to one other than signing in (a name, say,
which the site report shows) starts a new generation for the whole of Hamlet. What the signals
cannot see, the code that does it says itself with ``changed()``: ``bulk_create`` and
``QuerySet.update()``, which send no signals. A record moved from one establishment to another
(only the Django admin can) starts a new generation where it went, not where it left; held
figures also expire after ``HAMLET_COMPUTED_MINUTES`` (60), which bounds that and a Redis that
was down while a change was made. So nothing that protects people rests on what is held: the
research extract's disclosure control is worked out afresh every time.

A held value is shared by readers with the same permissions and the same records naming them
(``contributions.reader_access``: a limited-access record is seen only by the staff it names),
but what it shows may still be an access event for each of them: the dashboard's succession
panel names peer mentors, and each visit must leave its access entry in the audit trail. Code
that writes such an entry while a value is being worked out says so with
``again_on_every_visit()``; the entry is kept with the value and written again, for whoever
reads it then, every time the value is served.

Without ``REDIS_URL`` the cache is Django's dummy one: nothing is held, every page counts. A
Redis that stops answering is the same: the page counts, and the failure is logged.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import date
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.template import loader
from django.utils import timezone
from redis.exceptions import RedisError

from hamlet.access import SiteScopedQuerySet
from hamlet.contributions import reader_access

log = logging.getLogger(__name__)
T = TypeVar("T")

# Generations beside each establishment's: of the records that belong to no establishment, which
# every held figure depends on, and of any establishment's, for figures drawn from all of them.
HAMLET, ANY_ESTABLISHMENT = "hamlet", "any"
# Records of signing in, not of what happened on a wing: they change no figure.
UNCOUNTED = {"hamlet.usersession", "hamlet.hashedbackupcodes"}


def _generation_key(scope) -> str:
    return f"computed:generation:{scope}"


def _generations(establishments: list[int] | None) -> list[str]:
    """The current generation of Hamlet and of each establishment (None: of any establishment),
    starting one where there is none yet (or it was evicted: a new one only makes older entries
    unreachable)."""
    scopes = [HAMLET, *([ANY_ESTABLISHMENT] if establishments is None else establishments)]
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in set(keys) - set(found):
            cache.add(key, secrets.token_hex(6), timeout=None)
        found = cache.get_many(keys)
    return [found.get(key, "") for key in keys]


def _release() -> str:
    """A fingerprint of this release's code, templates and libraries, in every key: a value held
    by another release (its shape, its markup) is never read by this one, as could happen for a
    while when nodes are upgraded one by one."""
    digest = hashlib.blake2b(digest_size=8)
    roots = [Path(settings.BASE_DIR) / app for app in settings.HAMLET_APPS] + [Path(settings.BASE_DIR) / "templates"]
    files = sorted(file for root in roots for file in root.rglob("*") if file.suffix in {".py", ".html"})
    for path in [*files, Path(settings.BASE_DIR) / "requirements.txt"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


RELEASE = _release()

# While a value is worked out: what must be done again each time it is served (held()).
_on_every_visit: ContextVar[list | None] = ContextVar("hamlet_computed_on_every_visit", default=None)


def again_on_every_visit(action: Callable[..., None], **kwargs) -> None:
    """For code that has just done ``action(user=reader, **kwargs)``, such as writing an access
    entry: if that was part of working out a held value, it is kept with the value and done
    again, for the reader then, whenever the value is served. ``action`` must be a module's own
    function and ``kwargs`` plain data: both are stored in the cache."""
    kept = _on_every_visit.get()
    if kept is not None:
        kept.append((action, kwargs))


def user_permissions(user) -> str:
    """What the user may see and do, as a short key part: two readers with the same permissions
    of the same establishments see the same figures."""
    names = sorted(user.get_all_permissions()) if user.is_authenticated else []
    return hashlib.blake2b("\n".join(names).encode(), digest_size=8).hexdigest()


def held(
    name: str,
    *,
    establishments: Iterable[int] | None,
    vary: Iterable,
    compute: Callable[[], T],
    user=None,
    today: date | None = None,
) -> T:
    """What ``compute()`` returns for ``name`` at ``establishments`` (None: drawing on every
    establishment), worked out once until a record there changes. ``vary`` names everything
    else it depends on (the wing, the span). ``user`` is the reader, where what is held depends
    on who reads it: their permissions and the records that name them join the key, and what
    must be done on every visit is done for them. ``today`` (the date the caller counted to)
    is always in the key."""
    establishments = None if establishments is None else sorted(set(establishments))
    parts = [RELEASE, name, (today or timezone.localdate()).isoformat(), str(establishments), *map(str, vary)]
    if user is not None:
        if establishments is None:
            raise ValueError(f"{name}: a reader's own access is known only for named establishments")
        parts += [user_permissions(user), reader_access(establishments=establishments, user=user)]
    try:
        parts += _generations(establishments)
        key = "computed:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
        found = cache.get(key)
    except Exception:  # Redis down, or a value this code cannot read: count afresh
        log.exception("The shared cache did not answer: %s is counted afresh", name)
        return compute()
    if found is not None:
        value, actions = found
        for action, kwargs in actions:
            if user is None:
                raise ValueError(f"{name} names people: held() needs the reader, to record their access")
            action(user=user, **kwargs)
        return value
    token = _on_every_visit.set([])
    try:
        value = compute()
        actions = _on_every_visit.get()
    finally:
        _on_every_visit.reset(token)
    # Done for this reader already; a value being worked out around this one keeps them too.
    for action, kwargs in actions:
        again_on_every_visit(action, **kwargs)
    try:
        cache.set(key, (value, actions))
    except Exception:
        log.exception("The shared cache did not answer: %s is not held", name)
    return value


def held_content(
    request,
    name: str,
    *,
    template: str,
    context: Callable[[], dict],
    establishments: Iterable[int],
    vary: Iterable,
    form=None,
    today: date | None = None,
) -> str:
    """A page's content (``template`` with ``context()``), held for the reader (``held()``). Not
    the layout around it, which carries the reader's own CSRF token and messages. A ``form`` the
    reader filled in and that was refused is shown as they typed it, so it is never held."""

    def render() -> str:
        return loader.render_to_string(template, context(), request)

    if form is not None and form.is_bound and not form.is_valid():
        return render()
    vary = [*vary, form is not None and form.is_bound]
    return held(name, establishments=establishments, vary=vary, compute=render, user=request.user, today=today)


class _Pending:
    """The generations one transaction will start when it commits: all of them in one call to
    Redis, however many records it saved."""

    def __init__(self):
        self.scopes: set = set()

    def start(self) -> None:
        _start_generations(self.scopes)


def changed(establishments: Iterable[int | None]) -> None:
    """Start a new generation for each establishment (None: for the whole of Hamlet) once the
    current transaction commits, or now if there is none."""
    scopes = {HAMLET if each is None else each for each in establishments}
    if scopes - {HAMLET}:
        scopes.add(ANY_ESTABLISHMENT)
    if not scopes:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _start_generations(scopes)
        return
    # One callback for each atomic block (savepoint) that saves records: a rolled-back block
    # drops its own callback, and then the next change registers a new one.
    block = tuple(connection.savepoint_ids)
    found = getattr(connection, "_hamlet_computed_pending", None)
    if found and found[0] == block and any(entry[1] == found[1].start for entry in connection.run_on_commit):
        pending = found[1]
    else:
        pending = _Pending()
        connection._hamlet_computed_pending = (block, pending)
        transaction.on_commit(pending.start)
    pending.scopes |= scopes


def _start_generations(scopes: set) -> None:
    try:
        cache.set_many({_generation_key(scope): secrets.token_hex(6) for scope in scopes}, timeout=None)
    except RedisError:
        log.exception("The shared cache did not answer: held figures may be stale until they expire")


# Which establishment a record belongs to, found once per model when Hamlet starts.


def _path_to_establishment(model, depth: int = 0) -> list[str] | None:
    """The attributes from a record to its establishment's id: the site-scoping rule's own path
    where the model has one, otherwise through the first foreign key to a record that has one."""
    establishment = apps.get_model("hamlet", "Establishment")
    if model is establishment:
        return ["pk"]
    queryset = getattr(model._default_manager, "_queryset_class", None)
    if queryset and issubclass(queryset, SiteScopedQuerySet):
        return model._default_manager.get_queryset().establishment_field.split("__")
    if depth < 4:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model._meta.app_label in settings.HAMLET_APPS:
                rest = _path_to_establishment(field.related_model, depth + 1)
                if rest is not None:
                    return [field.name, *rest]
    return None


PATHS: dict[type, list[str] | None] = {}


def establishment_of(record: models.Model) -> int | None:
    """The id of the establishment ``record`` belongs to; None for a record that belongs to no
    one establishment (or whose chain is broken), which changes the whole of Hamlet."""
    path = PATHS[type(record)]
    if path is None:
        return None
    if path == ["pk"]:
        return record.pk
    here = record
    for step in path[:-1]:
        here = getattr(here, step, None)
        if here is None:
            return None
    last = path[-1]
    return here.pk if last == "pk" else getattr(here, f"{last}_id", None)


def _record_changed(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures: no page has counted these yet
        return
    changed([establishment_of(instance)])


def _relation_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_") and type(instance) in PATHS:
        changed([establishment_of(instance)])


def _account_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if kwargs.get("raw") or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return  # signing in changes nothing a held page shows
    changed([None])


def connect() -> None:
    """Watch every model of Hamlet's apps (``settings.HAMLET_APPS``) but sign-in records, and
    staff accounts, whose names the site report shows."""
    post_save.connect(_account_changed, sender=get_user_model(), dispatch_uid="hamlet.computed.account")
    for model in apps.get_models():
        if model._meta.app_label in settings.HAMLET_APPS and model._meta.label_lower not in UNCOUNTED:
            PATHS[model] = _path_to_establishment(model)
            uid = f"hamlet.computed.{model._meta.label_lower}"
            post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
            # Before the deletion, while the records it goes through to its establishment exist.
            pre_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(_relation_changed, dispatch_uid="hamlet.computed.m2m")
