"""``/healthz``, ``/readyz`` and ``/metrics``: no login, no session, no secrets.

The two health endpoints answer anyone (a load balancer, Docker, a person with
curl) and say nothing a stranger could use. ``/metrics`` needs the bearer token
or an allowed address (``claims.ops.metrics.allowed``).
"""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from ..accounts.client_ip import client_ip
from . import exposition, health, metrics


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process is up and answering. Touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    ready, report = health.readiness()
    return JsonResponse(report, status=200 if ready else 503)


@never_cache
@require_GET
def metrics_view(request):
    if not exposition.allowed(request.headers.get("Authorization", ""), client_ip(request)):
        response = HttpResponse(
            "Metrics need a bearer token (METRICS_TOKEN) or an allowed address "
            "(METRICS_ALLOWED_IPS).\n",
            status=403,
            content_type="text/plain; charset=utf-8",
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.render(), content_type=CONTENT_TYPE_LATEST)
