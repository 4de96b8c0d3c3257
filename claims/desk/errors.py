"""Error pages that say what went wrong instead of a bare "Bad Request (400)"."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views.defaults import bad_request as django_bad_request

from ..intake import submission


def wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def too_large_response(request, message: str | None = None):
    message = message or submission.request_too_large_message()
    if wants_json(request):
        return JsonResponse({"detail": message, "code": "too_large"}, status=413)
    return render(request, "claims/too_large.html", {"message": message}, status=413)


def bad_request(request, exception, template_name="400.html"):
    """handler400: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE gets a 413 that
    says so (as JSON for the API); any other bad request, Django's page."""
    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    return django_bad_request(request, exception, template_name)
