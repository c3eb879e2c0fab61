"""Sign-in events for the security log.

django-axes stores each sign-in (AccessLog), failed sign-in (AccessAttempt,
AccessFailureLog) and lock-out in the database, where administrators read them in the
admin; these receivers also write them to the log so an operator sees them live.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("hamlet.security")


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in user_id=%s", user.pk)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    logger.info("sign-out user_id=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    logger.warning("failed sign-in")


@receiver(user_locked_out)
def log_lock_out(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning("sign-in locked out after repeated failures from %s", ip_address)
