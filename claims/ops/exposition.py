"""Serving metrics, without the database: the process counters and the access rule.

Shared by the web's ``/metrics`` (``claims.ops.metrics`` adds the desk's gauges) and
a worker's exporter (``claims.ops.worker``), which loads before Django's models do.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess


def process_registry() -> CollectorRegistry:
    """Every process's counters (multiprocess mode), or this process's own."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
        return reg
    return REGISTRY


# ---------------------------------------------------------------------------
# Who may read them


def allowed(authorization: str, address: str) -> bool:
    """A bearer token equal to METRICS_TOKEN, or an address in METRICS_ALLOWED_IPS.
    Neither configured: nobody (metrics describe the desk's workload)."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, offered = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            offered.strip().encode(), token.encode()
        ):
            return True
    if settings.METRICS_ALLOWED_IPS and address:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in settings.METRICS_ALLOWED_IPS)
    return False
