"""The address a request really came from, for lock-outs behind reverse proxies."""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Each proxy in front of Hamlet appends the address it saw to X-Forwarded-For, so with
    HAMLET_PROXY_COUNT proxies the client's address is that many entries from the right.
    Anything further left was written by the client and may be forged, so it is never read.
    Without proxies the header is ignored and the connection's own address is used."""
    remote_addr = request.META.get("REMOTE_ADDR")
    count = settings.HAMLET_PROXY_COUNT
    if count <= 0:
        return remote_addr
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        # The request did not pass through every proxy: the connection is all we can trust.
        return remote_addr
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr


def client_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username django-axes records for a sign-in attempt, cut to the longest a real
    username can be: axes stores it in a 255-character column, and a longer one typed into
    any sign-in form (the Django admin's too) must be refused, not break the page."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    if username is None:
        return None
    return str(username)[: get_user_model()._meta.get_field("username").max_length]
