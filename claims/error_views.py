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


def bad_request(request, exception, template_name="400.html"):
    """handler400: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 that
    says so (as JSON for the API); any other bad request, Django's page."""
    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    return django_bad_request(request, exception, template_name)
