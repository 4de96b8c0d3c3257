"""Error reports to Sentry, only when ``SENTRY_DSN`` is set, and with no personal data.

``send_default_pii=False`` keeps Sentry's integrations from attaching the user, the
client address, cookies and auth headers; local variables are not sent (a frame's
``user`` or ``request`` would carry them); and ``scrub`` removes what could still
slip through in text: e-mail addresses in messages, exception values and
breadcrumbs, and any cookie, user or address a future integration might add.
"""

from __future__ import annotations

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "[email]"
_SENSITIVE_HEADERS = {"cookie", "authorization", "x-forwarded-for", "x-real-ip", "x-csrftoken"}


def init(dsn: str, *, environment: str = "", release: str = "", traces: float = 0.0, **extra):
    """Start reporting. ``extra`` is for tests (a local ``transport``)."""
    if not dsn:
        return None
    return sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces,
        before_send=scrub,
        before_breadcrumb=_scrub_breadcrumb,
        **extra,
    )


def _redact(value):
    if isinstance(value, str):
        return EMAIL.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return value


def scrub(event, hint=None):
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
        request.pop("data", None)
        request.pop("env", None)  # REMOTE_ADDR, SERVER_NAME
        request.pop("query_string", None)  # search terms, reset tokens
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                k: v for k, v in headers.items() if k.lower() not in _SENSITIVE_HEADERS
            }
    return _redact(event)


def _scrub_breadcrumb(crumb, hint=None):
    return _redact(crumb)
