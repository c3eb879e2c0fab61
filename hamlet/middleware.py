import logging

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from hamlet.network import client_ip
from hamlet.sessions import session_signed_in_at

logger = logging.getLogger("hamlet.security")


class NoStoreMiddleware:
    """Pages carry data about prisoners and staff: no browser or proxy may keep a copy,
    which matters on a shared office PC. Static files never reach this (whitenoise
    answers them first) and keep their long cache lifetimes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class SessionLimitMiddleware:
    """However busy someone is, their session ends a set time (10 hours) after they signed in,
    so a shared office PC left signed in does not stay signed in for days. The idle limit is
    Django's own (SESSION_COOKIE_AGE, renewed on every request). Sits after the message
    middleware so it can say why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._past_limit(request):
            user_id = request.user.pk
            logout(request)
            logger.warning("session ended at the absolute limit user_id=%s", user_id)
            hours = settings.HAMLET_SESSION_ABSOLUTE_LIMIT.total_seconds() / 3600
            messages.info(
                request,
                f"You have been signed out because you signed in more than {hours:g} hours ago. "
                "Sign in again to carry on.",
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _past_limit(request) -> bool:
        signed_in_at = session_signed_in_at(request.session)
        # A session without the stamp began before the limit existed: treat it as too old.
        return signed_in_at is None or timezone.now() - signed_in_at >= settings.HAMLET_SESSION_ABSOLUTE_LIMIT


class AuditAddressMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, recording the address Hamlet trusts (hamlet.network)
    on each audit entry instead of the left-most X-Forwarded-For entry, which the client
    writes and can forge."""

    def get_extra_data(self, request) -> dict:
        return {**super().get_extra_data(request), "remote_addr": client_ip(request)}
