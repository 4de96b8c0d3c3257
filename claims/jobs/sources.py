"""The monitored-sources task: a thin wrapper around ``claims.intake.sources``."""

from __future__ import annotations

from celery import shared_task

from ..intake import sources


@shared_task
def poll_due_sources() -> int:
    """Beat runs this every minute, and "poll now" nudges it through the outbox. Each
    due source is leased, so overlapping runs (two beats, a slow tick, a redelivered
    message) never poll a source twice."""
    return sources.poll_due_sources()
