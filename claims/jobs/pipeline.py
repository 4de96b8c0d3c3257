"""The article pipeline's tasks: extract, assign, notify, remind, and the sweep.

Nothing inside the project imports this module: intake and review write the
rows that say what is owed and nudge these tasks by name through
``claims.outbox``. Every task is idempotent, and the sweep
(``sweep_stuck_work``) finds whatever a lost message, a dead worker or a
restarted Redis left behind. Queues and time limits: ``factcheck/celery.py``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .. import outbox
from ..intake import lifecycle, submission
from ..models import Claim
from ..review import notifications, workflow

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=None)
def extract_article_claims(self, article_id: int) -> int:
    """Fetch (for URLs), extract, store and assign an article's claims (one transaction)."""
    article = lifecycle.take_lease(article_id)
    if article is None:  # finished, gone, or a live worker holds it
        return 0
    try:
        claim_ids = submission.extract_and_store(article)
    except submission.TransientFetchError as exc:
        tries = self.request.retries + 1
        if tries > settings.FETCH_MAX_RETRIES:
            lifecycle.fail(article_id, f"{exc} Gave up after {tries} tries.")
            return 0
        countdown = settings.FETCH_RETRY_BASE_SECONDS * 2**self.request.retries
        lifecycle.postpone(
            article_id, token=article.lease_token, seconds=countdown, reason=str(exc)
        )
        raise self.retry(exc=exc, countdown=countdown) from None
    except Exception:
        # A database error or the like: give the lease back so a redelivery or
        # the sweep can try again; the delivery counter bounds the loop.
        lifecycle.release_lease(article_id, article.lease_token)
        raise
    return len(claim_ids)


@shared_task(bind=True, max_retries=5)
def assign_article_claims(self, article_id: int) -> int:
    """Assign an article's waiting claims to the least-loaded reviewers, once."""
    try:
        return workflow.assign_waiting_claims(article_id).assigned
    except workflow.StaleClaim as exc:
        raise self.retry(exc=exc, countdown=0.2 * 2**self.request.retries) from None


@shared_task(bind=True, max_retries=None)
def send_notifications(self) -> int:
    """Send the outbox's due emails, one per recipient; retry failures with backoff."""
    result = notifications.send_due()
    if result.failed:
        countdown = min(settings.NOTIFY_RETRY_BASE_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(countdown=countdown, exc=RuntimeError("; ".join(result.errors[:3])))
    return result.sent


@shared_task
def send_sla_reminders() -> dict:
    """Remind reviewers of claims past the SLA, then escalate to editors. Once per threshold."""
    now = timezone.now()
    remind_before = now - timedelta(hours=settings.REVIEW_SLA_HOURS)
    escalate_before = now - timedelta(hours=settings.REVIEW_ESCALATION_HOURS)
    counts = {"reminded": 0, "escalated": 0}
    waiting = Claim.objects.filter(status__in=Claim.REVIEW_STATUSES, assigned_at__lt=remind_before)
    for claim in list(waiting):
        if workflow.record_sla_event(claim, kind="reminder", hours=settings.REVIEW_SLA_HOURS):
            counts["reminded"] += 1
        if claim.assigned_at < escalate_before and workflow.record_sla_event(
            claim, kind="escalated", hours=settings.REVIEW_ESCALATION_HOURS
        ):
            counts["escalated"] += 1
    return counts


@shared_task
def release_reviewer_claims(user_id: int) -> int:
    """A reviewer was deactivated or left the group: hand their open claims on."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or workflow.is_reviewer(user):
        return 0
    return len(workflow.release_claims_of(user))


@shared_task
def sweep_stuck_work() -> dict:
    """Nudge again whatever is owed and has no live message (beat runs it every minute).

    Articles: by their lease, never by ``submitted_at``. Claims: one assignment
    per article, and none at all while no reviewer is active or every reviewer is
    at their daily cap (no churn; room frees at midnight or as they finish).
    Notifications: one sender nudge if any is due. Departed reviewers: release.
    """
    articles = lifecycle.reenqueue(lifecycle.due_for_sweep())
    article_ids = []
    if workflow.reviewer_has_room():
        cutoff = timezone.now() - timedelta(seconds=settings.SWEEP_CLAIMS_AFTER_SECONDS)
        article_ids = list(
            Claim.objects.filter(
                status__in=workflow.WAITING,
                assignee=None,
                held=False,
                attached=False,
                status_changed_at__lt=cutoff,
            )
            .order_by("article_id")
            .values_list("article_id", flat=True)
            .distinct()[:500]
        )
        for article_id in article_ids:
            outbox.send(outbox.ASSIGN_ARTICLE, article_id)
    departed = workflow.departed_reviewer_ids()
    for user_id in departed:
        outbox.send(outbox.RELEASE_REVIEWER, user_id)
    due = notifications.unsent_due_count()
    if due:
        outbox.send(outbox.SEND_NOTIFICATIONS)
    return {
        "articles": articles,
        "claim_articles": len(article_ids),
        "released": len(departed),
        "notifications": due,
    }
