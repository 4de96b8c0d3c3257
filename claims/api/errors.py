"""Every API error is JSON: ``{"detail": "<message>", "code": "<code>"}``.

Validation errors add ``"errors": {field: [messages]}`` and a ``detail`` that
names the first problem. Workflow refusals keep the workflow's own message:
NotAllowed → 403, InvalidState and StaleClaim → 409, any other WorkflowError → 400.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from ..intake import submission
from ..publishing import webhooks
from ..review import workflow


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the claim's current state."
    default_code = "conflict"


class Refused(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request was refused."
    default_code = "refused"


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large."
    default_code = "too_large"


def _translate(exc):
    """Map domain and Django exceptions onto DRF ones, keeping their message."""
    if isinstance(exc, workflow.StaleClaim):
        return Conflict(str(exc), code="stale")
    if isinstance(exc, workflow.InvalidState):
        return Conflict(str(exc), code="invalid_state")
    if isinstance(exc, workflow.NotAllowed):
        return exceptions.PermissionDenied(str(exc), code="not_allowed")
    if isinstance(exc, (workflow.WorkflowError, submission.SubmissionError, webhooks.WebhookError)):
        return Refused(str(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or "Not found.")
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, RequestDataTooBig):
        return TooLarge(submission.request_too_large_message())
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError("The request could not be read.")
    return exc


def _first_message(data) -> str:
    if isinstance(data, dict):
        for field, value in data.items():
            msg = _first_message(value)
            return msg if field in ("non_field_errors", "detail") else f"{field}: {msg}"
    if isinstance(data, list) and data:
        return _first_message(data[0])
    return str(data)


def exception_handler(exc, context):
    response = drf_exception_handler(_translate(exc), context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    data = response.data
    if isinstance(data, dict) and set(data) <= {"detail"}:
        detail = data.get("detail", "Error.")
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    else:
        response.data = {
            "detail": _first_message(data) or "Invalid input.",
            "code": "invalid",
            "errors": data,
        }
    return response


def not_found(request, *args, **kwargs):
    """The JSON 404 for any /api/ path that matches no endpoint."""
    return JsonResponse({"detail": "No such API endpoint.", "code": "not_found"}, status=404)
