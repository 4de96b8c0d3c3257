"""How large a request body each door takes, checked before anything parses it.

Parsing a urlencoded body costs about 75 times its size in memory (every
``%XX`` becomes Python objects: 2.5 MB of ``%C3%A9`` peaks at about 200 MB), and
Django parses one on any POST that reaches a view, for the CSRF token alone.
So urlencoded bodies stay under ``FORM_BODY_MAX_BYTES`` on every door; the few
doors that take an article or an evidence document take it as multipart (a
file, or the paste as a field, kept as bytes) or as JSON, up to their own
limit. The check reads only ``Content-Length``: Django never reads past it.

The middleware sits before ``CsrfViewMiddleware``, whose ``process_view`` is
the first thing to read ``request.POST``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from ..intake import submission
from ..review import evidence
from .errors import too_large_response

logger = logging.getLogger("claims.security")

# A refused body up to this size is read and thrown away, 64 KB at a time (no
# memory), so the client, who is still sending it, gets to read the 413 that
# says why; past it the connection is just closed.
DISCARD_MAX_BYTES = 64 * 1024 * 1024

MULTIPART = "multipart/form-data"
JSON = "application/json"


def article_body_limit() -> int:
    # JSON escapes (\u00e9, \") may triple an article's bytes; a pasted field in
    # multipart does not, but the browser doubles its line ends. The rest of the
    # form may be as large as any form.
    return 3 * settings.MAX_ARTICLE_BYTES + settings.FORM_BODY_MAX_BYTES


def evidence_body_limit() -> int:
    return evidence.max_bytes() + settings.FORM_BODY_MAX_BYTES


# (view name, its ``action`` argument or None) → (the content types it takes
# large, its limit). Every other door, and a urlencoded body on these, is held
# to FORM_BODY_MAX_BYTES.
LARGE_BODY_DOORS = {
    ("claims:submit", None): ({MULTIPART}, article_body_limit),
    ("api:article-list", None): ({MULTIPART, JSON}, article_body_limit),
    ("admin:claims_article_add", None): ({MULTIPART}, article_body_limit),
    ("claims:claim_act", "add_evidence"): ({MULTIPART}, evidence_body_limit),
    ("api:claim-evidence", None): ({MULTIPART}, evidence_body_limit),
    ("admin:claims_claim_act", "add_evidence"): ({MULTIPART}, evidence_body_limit),
}


def content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # as Django: an unreadable length reads no body


def body_limit(request) -> tuple[int, bool]:
    """The largest body this request's door takes, and whether that is a door
    for articles or documents (which decides what the refusal says)."""
    match = request.resolver_match
    door = LARGE_BODY_DOORS.get((match.view_name, match.kwargs.get("action"))) if match else None
    if door and request.content_type in door[0]:
        return door[1](), True
    return settings.FORM_BODY_MAX_BYTES, bool(door)


def form_too_large_message(size: int, *, large_door: bool) -> str:
    limit_kb = settings.FORM_BODY_MAX_BYTES // 1024
    message = _(
        "What you sent (%(size)s bytes) is too large: this form takes at most %(limit)s KB."
    ) % {"size": f"{size:,}", "limit": f"{limit_kb:,}"}
    if large_door:
        message += " " + _(
            "Send an article or a document as a file, or from the page's own form "
            "(multipart/form-data), or as JSON to the API."
        )
    return message


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        size = content_length(request)
        if size <= settings.FORM_BODY_MAX_BYTES:
            return None
        limit, large = body_limit(request)
        if size <= limit:
            return None
        logger.warning(
            "Refused a %s body of %d bytes to %s (limit %d).",
            request.content_type or "typeless",
            size,
            request.path,
            limit,
        )
        if large and limit > settings.FORM_BODY_MAX_BYTES:
            message = submission.request_too_large_message()
        else:
            message = form_too_large_message(size, large_door=large)
        discard_body(request, size)
        response = too_large_response(request, message)
        response["Connection"] = "close"
        return response


def discard_body(request, size: int) -> None:
    if size > DISCARD_MAX_BYTES:
        return
    try:
        while request.read(65_536):
            pass
    except OSError:
        pass  # the client went away
