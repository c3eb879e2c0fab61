"""The address a request really came from, for lock-outs behind reverse proxies."""

import ipaddress

from django.conf import settings
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
