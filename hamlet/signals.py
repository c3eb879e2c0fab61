"""Sign-in events for the security log, and keeping the record of signed-in sessions.

django-axes stores each sign-in (AccessLog), failed sign-in (AccessAttempt,
AccessFailureLog) and lock-out in the database, where administrators read them in the
admin; these receivers also write them to the log so an operator sees them live. The log
names users by id only: a username typed into the sign-in form may be someone's password.
"""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from hamlet import sessions

logger = logging.getLogger("hamlet.security")


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    sessions.session_start(request=request, user=user)
    logger.info("sign-in user_id=%s", user.pk)


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    sessions.session_forget(session_key=request.session.session_key)
    logger.info("sign-out user_id=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    logger.warning("failed sign-in")


@receiver(user_locked_out)
def log_lock_out(sender, request, username, ip_address, **kwargs) -> None:
    user = get_user_model()._default_manager.filter(username=username).only("pk").first() if username else None
    logger.warning(
        "sign-in locked out after repeated failures user_id=%s from %s", user.pk if user else None, ip_address
    )


# A signal rather than a service, because an account can be switched off anywhere (the admin,
# the shell, a future import) and every one of those must end its sessions.
@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def end_sessions_of_deactivated_user(sender, instance, **kwargs) -> None:
    if not instance.is_active:
        sessions.user_sessions_end(user=instance, reason="account deactivated")
