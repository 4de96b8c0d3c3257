"""Celery tasks: thin wrappers that take ids, re-fetch, and call workflow or services.

Every task is idempotent: running it twice does the work once. Enqueueing is
deferred to transaction commit, and a broker that is down never loses work:
the ``sweep_stuck_work`` beat task re-enqueues what was left behind.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import notifications, services, workflow
from .models import Article, Claim, ClaimLog

log = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send a task now. A broker that is down is logged, not raised: the sweeper recovers."""
    try:
        task.delay(*args)
        return True
    except Exception as exc:  # kombu.OperationalError, redis errors, DNS…
        log.warning("could not enqueue %s%r: %s", task.name, args, exc)
        return False


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))


@shared_task(bind=True, max_retries=3)
def extract_article_claims(self, article_id: int) -> int:
    """Fetch (for URLs), extract and store an article's claims; queue each for review."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    try:
        claim_ids = services.extract_and_store(article)
    except services.TransientFetchError as exc:
        if self.request.retries >= self.max_retries:
            services.mark_failed(article, f"{exc} Gave up after {self.max_retries + 1} tries.")
            return 0
        raise self.retry(
            exc=exc, countdown=settings.FETCH_RETRY_BASE_SECONDS * 2**self.request.retries
        )
    for claim_id in claim_ids:
        enqueue_on_commit(queue_claim_for_review, claim_id)
    return len(claim_ids)


@shared_task(bind=True, max_retries=5, default_retry_delay=1)
def queue_claim_for_review(self, claim_id: int) -> str:
    """Assign a waiting claim to the least-loaded active reviewer, once."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return "gone"
    try:
        entry = workflow.auto_assign(claim)
    except workflow.StaleClaim as exc:
        raise self.retry(exc=exc)
    if entry is None:
        return "noop"
    return entry.action


@shared_task
def notify_claim_event(log_id: int) -> int:
    """Email the people a logged claim event concerns. Sends each message once."""
    entry = (
        ClaimLog.objects.select_related("claim", "claim__article", "claim__assignee")
        .defer("claim__article__raw_html", "claim__article__text", "claim__article__links")
        .filter(pk=log_id)
        .first()
    )
    if entry is None:
        return 0
    return notifications.notify_for(entry)


@shared_task
def send_sla_reminders() -> dict:
    """Remind reviewers of claims past the SLA, then escalate to editors. Once per threshold."""
    now = timezone.now()
    remind_before = now - timedelta(hours=settings.REVIEW_SLA_HOURS)
    escalate_before = now - timedelta(hours=settings.REVIEW_ESCALATION_HOURS)
    counts = {"reminded": 0, "escalated": 0}
    waiting = Claim.objects.filter(
        status__in=Claim.REVIEW_STATUSES, assigned_at__lt=remind_before
    )
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
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or workflow.is_reviewer(user):
        return 0
    return len(workflow.release_claims_of(user))


STUCK_AFTER = timedelta(minutes=2)
FETCH_STUCK_AFTER = timedelta(minutes=30)


@shared_task
def sweep_stuck_work() -> dict:
    """Re-enqueue work whose enqueue was lost (broker down at commit time)."""
    now = timezone.now()
    cutoff = now - STUCK_AFTER
    articles = list(
        Article.objects.filter(
            Q(status__in=[Article.Status.RECEIVED, Article.Status.FETCHED],
              submitted_at__lt=cutoff)
            # A fetch whose worker died mid-way (its retries would have ended by now).
            | Q(status=Article.Status.FETCHING, submitted_at__lt=now - FETCH_STUCK_AFTER)
        ).values_list("id", flat=True)[:500]
    )
    claims = list(
        Claim.objects.filter(
            status__in=[Claim.Status.EXTRACTED, Claim.Status.QUEUED],
            assignee=None,
            status_changed_at__lt=cutoff,
        ).values_list("id", flat=True)[:5000]
    )
    for article_id in articles:
        enqueue(extract_article_claims, article_id)
    for claim_id in claims:
        enqueue(queue_claim_for_review, claim_id)
    return {"articles": len(articles), "claims": len(claims)}


from . import webhooks  # noqa: E402,F401
