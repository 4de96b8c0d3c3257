"""Webhook delivery tasks: thin wrappers around ``claims.publishing.webhooks``."""

from __future__ import annotations

from celery import shared_task

from ..publishing import webhooks


@shared_task(bind=True, max_retries=None)
def deliver_webhook(self, delivery_id: int, auto_retry: bool = True) -> str:
    """POST a delivery; on failure retry later with exponential backoff."""
    outcome, countdown = webhooks.attempt_delivery(delivery_id, auto_retry=auto_retry)
    if outcome == "retry":
        raise self.retry(countdown=countdown, max_retries=None)
    return outcome


@shared_task
def send_due_webhook_deliveries() -> int:
    """Beat runs this every five minutes: re-nudge deliveries whose retry is overdue."""
    return webhooks.resend_overdue()
