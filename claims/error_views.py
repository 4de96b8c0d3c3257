"""Error pages that say what went wrong instead of a bare "Bad Request (400)"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views.defaults import bad_request as django_bad_request


def too_large_message() -> str:
    limit_mb = settings.MAX_ARTICLE_BYTES / (1024 * 1024)
    return (
        f"What you sent is too large. An article may be at most {limit_mb:.0f} MB "
        f"({settings.MAX_ARTICLE_BYTES:,} bytes); send its URL instead, or trim it."
    )


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def too_large_response(request):
    message = too_large_message()
    if wants_json(request):
        return JsonResponse({"detail": message, "code": "too_large"}, status=413)
    return render(request, "claims/too_large.html", {"message": message}, status=413)


class RequestBodyLimitMiddleware:
    """Refuse a non-multipart body over DATA_UPLOAD_MAX_MEMORY_SIZE before anyone
    reads it. Django checks this only when ``request.body`` is used; DRF's
    parsers read the stream instead, so a JSON body had no bound at all.
    (Multipart uploads stream files to disk; Django limits their other fields.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.content_type != "multipart/form-data":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return too_large_response(request)
        return self.get_response(request)


def bad_request(request, exception, template_name="400.html"):
    """handler400: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 that
    says so (as JSON for the API); any other bad request, Django's page."""
    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    return django_bad_request(request, exception, template_name)
