"""One request: an id, the metrics, and one log line when it is answered."""

from __future__ import annotations

import logging
import time

from django.utils.functional import empty

from .. import telemetry

log = logging.getLogger("factcheck.request")

# Probes hit these every few seconds; they are counted, not logged.
QUIET_VIEWS = {"healthz", "readyz", "metrics"}
# URL names whose ``pk`` is an article's or a claim's id.
ARTICLE_VIEWS = {"claims:article", "claims:article_live"}


class RequestTelemetryMiddleware:
    """First in MIDDLEWARE, so it times and sees every response, errors included.

    The request id is the proxy's ``X-Request-ID`` when it sends a sane one, else a
    new one; it goes back in the response's ``X-Request-ID``, on every log line
    written while serving the request, and into the tasks the request enqueues
    (``claims.outbox``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = telemetry.new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        started = time.perf_counter()
        with telemetry.scope(request_id=request_id):
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match else "<unmatched>"
            telemetry.HTTP_REQUESTS.labels(view, request.method, str(response.status_code)).inc()
            telemetry.HTTP_LATENCY.labels(view).observe(elapsed)
            if view not in QUIET_VIEWS:
                user = _loaded_user(request)
                log.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,  # never the query string: it can hold search terms
                        "view": view,
                        "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 1),
                        "user_id": user.pk if user is not None and user.is_authenticated else None,
                    },
                )
        response["X-Request-ID"] = request_id
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Name the article or claim the URL is about, for every line logged from here."""
        match = request.resolver_match
        pk = view_kwargs.get("pk")
        if match is None or pk is None:
            return None
        if match.view_name in ARTICLE_VIEWS:
            telemetry.bind(article_id=pk)
        elif match.view_name.startswith("claims:claim"):
            telemetry.bind(claim_id=pk)
        return None


def _loaded_user(request):
    """The user, if something already loaded it: the log line costs no query."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user
