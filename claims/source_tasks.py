"""Celery tasks for monitored sources: thin wrappers around ``claims.sources``.

Registered through ``CELERY_IMPORTS`` (autodiscovery only finds ``tasks.py``)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from . import sources

log = logging.getLogger(__name__)


@shared_task
def poll_due_sources() -> int:
    """Beat runs this every minute; each due source is leased, so overlapping runs
    (two beats, a slow tick, a redelivered message) never poll a source twice."""
    return sources.poll_due_sources()


def nudge_poller_on_commit() -> None:
    """Run the poller as soon as the transaction commits ("poll now"). A broker that
    is down only delays the poll to the next beat tick: the source is already due."""

    def send():
        try:
            poll_due_sources.delay()
        except Exception as exc:  # kombu.OperationalError, redis errors…
            log.warning("could not enqueue poll_due_sources: %s", exc)

    transaction.on_commit(send)
