"""``/metrics``: what every process counted, plus gauges read from the database and
Redis at scrape time, and who may read them.

Counters and histograms (requests, tasks, extraction, source polls) live in
``claims.telemetry``. With ``PROMETHEUS_MULTIPROC_DIR`` set (gunicorn's workers,
Celery's pool children) each process writes them to a file there and the
exporter adds the files up; without it, the process's own registry is served.

The gauges below are computed per scrape, over indexed queries and one Redis
pipeline, so they cost the same however busy the desk is and never go stale in a
file. A dependency that is down shows as ``factcheck_dependency_up 0`` rather
than failing the scrape.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from ..models import Article, Claim, Notification, Source, WebhookDelivery
from . import exposition, health, heartbeat


def render() -> bytes:
    """The counters, then the desk's gauges (a worker's exporter serves only the
    former, so the gauges are not scraped twice)."""
    desk = CollectorRegistry(auto_describe=False)
    desk.register(DeskCollector())
    return generate_latest(exposition.process_registry()) + generate_latest(desk)


# ---------------------------------------------------------------------------
# Scrape-time gauges


def triage_statuses() -> list[str]:
    """The claim statuses that make up the triage backlog: those named in
    METRICS_TRIAGE_STATUSES that the workflow has (none today, so no series)."""
    return [s for s in settings.METRICS_TRIAGE_STATUSES if s in Claim.Status.values]


class DeskCollector:
    def collect(self):
        up = GaugeMetricFamily(
            "factcheck_dependency_up",
            "1 if the dependency answered this scrape.",
            labels=["dependency"],
        )
        try:
            yield from self._database()
            up.add_metric(["database"], 1)
        except Exception:
            up.add_metric(["database"], 0)
        try:
            yield from self._redis()
            up.add_metric(["redis"], 1)
        except Exception:
            up.add_metric(["redis"], 0)
        yield up

    def _database(self):
        claims = GaugeMetricFamily(
            "factcheck_claims", "Claims on the desk, by status.", labels=["status"]
        )
        counts = dict(Claim.objects.order_by().values_list("status").annotate(n=Count("id")))
        for status in Claim.Status.values:
            claims.add_metric([status], counts.get(status, 0))
        held = Claim.objects.filter(status=Claim.Status.EXTRACTED, held=True).count()
        articles = GaugeMetricFamily(
            "factcheck_articles", "Articles, by status.", labels=["status"]
        )
        by_status = dict(Article.objects.order_by().values_list("status").annotate(n=Count("id")))
        for status in Article.Status.values:
            articles.add_metric([status], by_status.get(status, 0))
        yield claims
        yield articles
        yield GaugeMetricFamily(
            "factcheck_claims_held", "Claims held back by the flood cap.", value=held
        )
        statuses = triage_statuses()
        if statuses:
            yield GaugeMetricFamily(
                "factcheck_triage_backlog",
                "Claims waiting for triage (" + ", ".join(statuses) + ").",
                value=sum(counts.get(s, 0) for s in statuses),
            )
        yield self._outbox()
        yield GaugeMetricFamily(
            "factcheck_sources_failing",
            "Active monitored sources whose last poll failed.",
            value=Source.objects.filter(active=True).exclude(last_error="").count(),
        )

    def _outbox(self):
        now = timezone.now()
        oldest = GaugeMetricFamily(
            "factcheck_outbox_oldest_unsent_age_seconds",
            "Age of the oldest row the outbox still owes (0 when nothing is owed): "
            "notifications past their due time, webhook deliveries still pending.",
            labels=["outbox"],
        )
        due = (
            Notification.objects.filter(sent_at=None, due_at__lte=now)
            .order_by()
            .aggregate(t=Min("due_at"))["t"]
        )
        pending = (
            WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
            .order_by()
            .aggregate(t=Min("created_at"))["t"]
        )
        for name, since in (("notification", due), ("webhook", pending)):
            oldest.add_metric([name], (now - since).total_seconds() if since else 0.0)
        return oldest

    def _redis(self):
        conn = health.broker()
        depths = health.queue_depths(conn)
        queue = GaugeMetricFamily(
            "factcheck_queue_depth", "Messages waiting in each Celery queue.", labels=["queue"]
        )
        for name, n in depths.items():
            queue.add_metric([name], n)
        yield queue
        yield GaugeMetricFamily(
            "factcheck_queue_unacked",
            "Messages taken by a worker and not yet acknowledged (running or counting down).",
            value=health.unacked(conn),
        )
        now = time.time()
        ages = heartbeat.worker_ages(conn, now)
        limit = heartbeat.stale_after_seconds()
        yield GaugeMetricFamily(
            "factcheck_workers_alive",
            "Celery workers whose heartbeat is fresh.",
            value=sum(1 for a in ages.values() if a <= limit),
        )
        if ages:
            yield GaugeMetricFamily(
                "factcheck_worker_heartbeat_age_seconds",
                "Seconds since the freshest worker heartbeat.",
                value=min(ages.values()),
            )
        tick = heartbeat.age_of(conn, heartbeat.BEAT_TICK, now)
        if tick is not None:
            yield GaugeMetricFamily(
                "factcheck_beat_tick_age_seconds", "Seconds since beat's last tick.", value=tick
            )
