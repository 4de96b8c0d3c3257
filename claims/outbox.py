"""The one seam between the inside (submission, lifecycle, workflow) and Celery.

Work that must happen is a row in the database, written in the same transaction
as the change that owes it (an article's lease, a ``Notification``, a
``WebhookDelivery``). The broker only carries a nudge to look at that row, so a
lost nudge costs time, never work: the sweep finds the row and nudges again.

Inside code names tasks by their registered name and sends the nudge after
commit. It never imports ``claims.jobs.pipeline``: tasks sit at the edge and call
inwards, so the arrows point one way (``tests/test_import_graph.py``).
"""

from __future__ import annotations

import logging

from django.db import transaction

from factcheck.celery import app

from . import telemetry

log = logging.getLogger(__name__)

EXTRACT_ARTICLE = "claims.jobs.pipeline.extract_article_claims"
ASSIGN_ARTICLE = "claims.jobs.pipeline.assign_article_claims"
RELEASE_REVIEWER = "claims.jobs.pipeline.release_reviewer_claims"
SEND_NOTIFICATIONS = "claims.jobs.pipeline.send_notifications"
POLL_SOURCES = "claims.jobs.sources.poll_due_sources"
DELIVER_WEBHOOK = "claims.jobs.webhooks.deliver_webhook"


def send(task_name: str, *args, countdown: float | None = None) -> bool:
    """Nudge now. A broker that is down is logged, not raised: the sweep recovers.

    The task carries the id of the request (or task) that sent it, so its log lines
    can be traced back to the click that caused them."""
    request_id = telemetry.current().get("request_id")
    headers = {telemetry.REQUEST_ID_HEADER: request_id} if request_id else None
    try:
        app.send_task(task_name, args=args, countdown=countdown, headers=headers)
        return True
    except Exception as exc:  # kombu.OperationalError, redis errors, DNS…
        log.warning("could not enqueue %s%r: %s", task_name, args, exc)
        return False


def send_on_commit(task_name: str, *args, countdown: float | None = None) -> None:
    """Nudge once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task_name, *args, countdown=countdown))
