"""A second, wider limit on wrong passwords: one username, tried from any number of addresses.

django-axes locks a username *at one address* after five failures (hamlet.settings), which
someone with many addresses gets round: five tries from each. Axes has one limit per
configuration, so this is Hamlet's own small check beside it: after ``HAMLET_SIGN_IN_SLOW_AFTER``
wrong passwords for a username in a day (counted from its last sign-in), from wherever, each
further try must wait twice as long as the one before — 1 second, 2, 4… up to 15 minutes — and
a try made too soon is refused before the password is even looked at (so it does not count).

Why slowing and not a lock: a lock per username lets anyone lock a custody manager out of
Hamlet by typing wrong passwords as them. Slowing costs the real person a few seconds, at worst
15 minutes, while a guesser gets a handful of tries an hour; and an administrator lifts it at
once ("Let them sign in now" on the user list), which also clears axes's locks for the username.
"""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

WINDOW = timedelta(hours=24)
LONGEST_WAIT = timedelta(minutes=15)


def wait_before_next_try(username: str) -> timedelta | None:
    """How long this username must wait before its password is checked again, if at all."""
    now = timezone.now()
    since = now - WINDOW
    signed_in = AccessLog.objects.filter(username=username, attempt_time__gte=since).aggregate(last=Max("attempt_time"))
    failures = AccessFailureLog.objects.filter(username=username, attempt_time__gt=signed_in["last"] or since)
    count, latest = failures.count(), failures.aggregate(last=Max("attempt_time"))["last"]
    beyond = count - settings.HAMLET_SIGN_IN_SLOW_AFTER
    if beyond < 0 or latest is None:
        return None
    wait = min(timedelta(seconds=2**beyond), LONGEST_WAIT)
    remaining = latest + wait - now
    return remaining if remaining > timedelta(0) else None


def in_words(wait: timedelta) -> str:
    seconds = max(1, round(wait.total_seconds()))
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{round(seconds / 60)} minutes"


def sign_in_limit_lift(*, username: str) -> None:
    """An administrator lets someone try again now: their wrong passwords and axes's locks go."""
    AccessFailureLog.objects.filter(username=username).delete()
    AccessAttempt.objects.filter(username=username).delete()
