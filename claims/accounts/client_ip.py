"""The client's address, as seen by the outermost proxy we trust.

``TRUSTED_PROXY_COUNT`` is the number of reverse proxies in front of Django,
each appending the address it was connected from to ``X-Forwarded-For`` (nginx
``$proxy_add_x_forwarded_for``, Caddy, Traefik do). The client is then the
N-th entry from the right; entries further left were written by the client and
prove nothing. With 0 (the default, gunicorn published directly) the header is
ignored and ``REMOTE_ADDR`` is the client.

Written out rather than taken from django-ipware: ipware's ``proxy_count``
counts proxies *inside* the header and, for a header shorter than it expects,
falls back to the left-most (client-written) entry or to nothing, which is the
spoofing we need to rule out.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < trusted:
        return remote  # not through all our proxies: the connection is all we know
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
