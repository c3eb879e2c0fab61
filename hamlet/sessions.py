"""Signed-in sessions, recorded at sign-in so they can be ended on the server: at sign-out,
when an account is switched off, by an administrator, when two-factor sign-in is reset, or
once the absolute limit (SESSION_ABSOLUTE_HOURS) has passed since signing in."""

import logging
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from hamlet.models import UserSession

logger = logging.getLogger("hamlet.security")

SIGNED_IN_AT = "hamlet_signed_in_at"


@transaction.atomic
def session_start(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """Stamp the new session with the time of signing in and note it against the user."""
    now = timezone.now()
    if request.session.session_key is None:
        request.session.save()
    request.session[SIGNED_IN_AT] = int(now.timestamp())
    UserSession.objects.update_or_create(
        session_key=request.session.session_key, defaults={"user": user, "signed_in_at": now}
    )
    # Sessions that simply ran out leave their row behind; none can outlive the absolute limit.
    UserSession.objects.filter(user=user, signed_in_at__lt=now - settings.HAMLET_SESSION_ABSOLUTE_LIMIT).delete()


def session_forget(*, session_key: str | None) -> None:
    """After sign-out, which deletes the session itself."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_signed_in_at(session) -> datetime | None:
    stamp = session.get(SIGNED_IN_AT)
    return datetime.fromtimestamp(stamp, tz=timezone.get_current_timezone()) if stamp is not None else None


@transaction.atomic
def user_sessions_end(*, user: AbstractBaseUser, reason: str, by: AbstractBaseUser | None = None) -> int:
    """Delete every session the user is signed in with, wherever they are, so the next request
    from any of them must sign in again. Returns how many were ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in keys:
        store.delete(key)
    UserSession.objects.filter(session_key__in=keys).delete()
    if keys:
        by_text = f" by_user_id={by.pk}" if by is not None else ""
        logger.warning("sessions ended (%s) user_id=%s count=%s%s", reason, user.pk, len(keys), by_text)
    return len(keys)
