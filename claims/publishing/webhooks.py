"""Webhooks: push each published ClaimReview to partners, signed, with retries.

On publish, ``enqueue_claim_published`` (called by ``workflow.publish`` inside
its transaction) writes one pending ``WebhookDelivery`` per interested webhook
and, on commit, queues ``deliver_webhook`` for each.

A delivery is a POST of JSON::

    {"event": "claim.published", "claim": 12, "published_at": "...",
     "claimReview": {...}, "delivery": 7, "attempt": 1, "sent_at": "..."}

Reopening a published claim sends ``factcheck.withdrawn`` (see
``enqueue_factcheck_withdrawn``) with the public URL, the date and the reason;
publishing it again sends ``claim.published`` with a corrected ClaimReview.

Deliveries are signed the Standard Webhooks way (https://www.standardwebhooks.com/):
``webhook-id`` (``msg_<delivery>``, the same on every attempt, so a receiver can
drop repeats), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature:
v1,<base64>``, the HMAC-SHA256 of ``"<id>.<timestamp>.<body>"``. The key is the
webhook's secret as UTF-8 bytes, so a receiver using a Standard Webhooks library
configures it as ``"whsec_" + base64(secret)`` (``standard_secret``).

For one release they also carry the old headers: ``X-Factcheck-Event``,
``X-Factcheck-Delivery``, ``X-Factcheck-Timestamp`` and ``X-Factcheck-Signature:
sha256=<hex>``, the HMAC-SHA256 of the raw body alone. The body carries
``sent_at`` too, so the old signature covers the time. Failures are retried with exponential backoff
(Celery ``retry(countdown=…)``) up to ``WEBHOOK_MAX_ATTEMPTS``; every attempt is
appended to ``attempt_log``. A failed delivery can be retried by hand (admin
action or API), which makes one more attempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import outbox
from ..models import AuditLog, Claim, ClaimLog, Webhook, WebhookDelivery
from ..net import fetching
from ..net.safeurl import safe_http_url, without_unsafe_urls
from . import pages

log = logging.getLogger(__name__)

EVENT_CLAIM_PUBLISHED = Webhook.Event.CLAIM_PUBLISHED.value
EVENT_FACTCHECK_WITHDRAWN = Webhook.Event.FACTCHECK_WITHDRAWN.value
EVENT_CLAIM_REPEATED = Webhook.Event.CLAIM_REPEATED.value
SIGNATURE_HEADER = "X-Factcheck-Signature"
TIMESTAMP_HEADER = "X-Factcheck-Timestamp"
EVENT_HEADER = "X-Factcheck-Event"
DELIVERY_HEADER = "X-Factcheck-Delivery"
# Standard Webhooks (the X-Factcheck-* headers above are kept for one release).
WEBHOOK_ID_HEADER = "webhook-id"
WEBHOOK_TIMESTAMP_HEADER = "webhook-timestamp"
WEBHOOK_SIGNATURE_HEADER = "webhook-signature"
MAX_BACKOFF_SECONDS = 6 * 3600
D = WebhookDelivery.Status


class WebhookError(ValueError):
    """A webhook was refused; the message is fit to show the user."""


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 6))


def retry_base_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30))


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))


def backoff(attempt: int) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1, 2, 4, 8… × base)."""
    return min(retry_base_seconds() * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def standard_secret(secret: str) -> str:
    """The secret as a Standard Webhooks receiver configures it."""
    return "whsec_" + base64.b64encode(secret.encode()).decode()


def standard_signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """For receivers (and tests): does ``header`` sign ``body`` under ``secret``?"""
    return hmac.compare_digest(sign(secret, body), header or "")


def validate_webhook_url(url: str, *, resolve: bool = True) -> None:
    """Only public http(s) addresses: a webhook must not reach inside our network."""
    try:
        fetching.validate_public_url(url, resolve=resolve)
    except fetching.SubmissionError as exc:
        raise WebhookError(f"This webhook address is not allowed: {exc}") from exc


# ---------------------------------------------------------------------------
# Configuration changes, each with its AuditLog row in the same transaction


AUDITED_FIELDS = ("url", "description", "events", "active", "secret")


def _audit(action: str, hook: Webhook, *, actor, changed=()) -> AuditLog:
    data = {
        "url": hook.url,
        "active": hook.active,
        "events": sorted(hook.events or []),
        "changed": sorted(changed),
    }
    if "secret" in changed:
        data["secret_changed"] = True  # never the secret itself
    return AuditLog.objects.create(
        action=f"webhook.{action}",
        actor=actor,
        object_type="webhook",
        object_id=str(hook.pk),
        object_repr=str(hook)[:300],
        data=data,
    )


def save_webhook(hook: Webhook, *, actor, changed=None) -> Webhook:
    """Create (no pk yet) or change a webhook, logging who did it and what changed.
    ``changed`` names the fields changed; by default, every audited field."""
    created = hook.pk is None
    if created:
        hook.created_by = actor
    changed = AUDITED_FIELDS if changed is None else [f for f in changed if f in AUDITED_FIELDS]
    with transaction.atomic():
        hook.save()
        _audit("created" if created else "changed", hook, actor=actor, changed=changed)
    return hook


def delete_webhook(hook: Webhook, *, actor) -> None:
    with transaction.atomic():
        _audit("deleted", hook, actor=actor)
        hook.delete()


# ---------------------------------------------------------------------------
# Creating deliveries


def enqueue_claim_published(claim: Claim, entry: ClaimLog) -> list[WebhookDelivery]:
    """Record a pending delivery per interested webhook; send them after commit.

    Keyed on the publish log entry, so running this twice for one publication
    creates nothing new, while a re-publication after a reopen is a new event
    (its ClaimReview then carries ``dateModified`` and the ``correction``).
    """
    return _enqueue(
        EVENT_CLAIM_PUBLISHED,
        claim,
        entry,
        lambda: {
            "event": EVENT_CLAIM_PUBLISHED,
            "claim": claim.pk,
            "published_at": claim.published_at.isoformat() if claim.published_at else None,
            "correction": claim.is_corrected,
            "claimReview": pages.claimreview(claim),
        },
    )


def enqueue_factcheck_withdrawn(claim: Claim, entry: ClaimLog) -> list[WebhookDelivery]:
    """Tell partners a published fact-check was withdrawn (reopened), and why."""
    return _enqueue(
        EVENT_FACTCHECK_WITHDRAWN,
        claim,
        entry,
        lambda: {
            "event": EVENT_FACTCHECK_WITHDRAWN,
            "claim": claim.pk,
            "url": pages.public_url(claim),
            "withdrawn_at": claim.withdrawn_at.isoformat() if claim.withdrawn_at else None,
            "reason": claim.withdrawal_reason,
            "dataFeedItem": pages.withdrawal_jsonld(claim),
        },
    )


def enqueue_claim_repeated(claim: Claim, entry: ClaimLog) -> list[WebhookDelivery]:
    """A claim with a published verdict appeared again (``claim`` is the new
    appearance, ``claim.repeat_of`` the published fact-check)."""
    return _enqueue(
        EVENT_CLAIM_REPEATED,
        claim,
        entry,
        lambda: repeat_payload(claim),
    )


def repeat_payload(claim: Claim) -> dict:
    checked = claim.repeat_of
    article = claim.article
    return {
        "event": EVENT_CLAIM_REPEATED,
        "claim": claim.pk,
        "text": claim.text,
        "appearance": {
            "url": safe_http_url(article.url) or None,
            "headline": article.title,
            "publisher": article.publisher,
        },
        "fact_check": {
            "claim": checked.pk,
            "url": pages.public_url(checked),
            "rating": checked.verdict.rating if checked.verdict_id else None,
            "published_at": checked.published_at.isoformat() if checked.published_at else None,
        },
    }


def _enqueue(event, claim, entry, payload_for) -> list[WebhookDelivery]:
    hooks = [h for h in Webhook.objects.filter(active=True) if h.wants(event)]
    if not hooks:
        return []
    payload = payload_for()
    created = []
    with transaction.atomic():
        for hook in hooks:
            delivery, is_new = WebhookDelivery.objects.get_or_create(
                key=f"{hook.pk}:{entry.pk}",
                defaults=dict(
                    webhook=hook,
                    claim=claim,
                    event=event,
                    payload=payload,
                    next_attempt_at=timezone.now(),
                ),
            )
            if is_new:
                outbox.send_on_commit(outbox.DELIVER_WEBHOOK, delivery.pk)
                created.append(delivery)
    return created


def retry_delivery(delivery: WebhookDelivery) -> bool:
    """Send a failed delivery once more. False if it is not failed (any more)."""
    with transaction.atomic():
        changed = WebhookDelivery.objects.filter(pk=delivery.pk, status=D.FAILED).update(
            status=D.PENDING, next_attempt_at=timezone.now()
        )
        if changed:
            outbox.send_on_commit(outbox.DELIVER_WEBHOOK, delivery.pk, False)
    delivery.refresh_from_db()
    return bool(changed)


# ---------------------------------------------------------------------------
# Sending


def _post(delivery: WebhookDelivery, attempt: int) -> tuple[int | None, str]:
    """POST once. Returns (status code or None, error message or "")."""
    hook = delivery.webhook
    if not hook.active:
        return None, "The webhook is switched off."
    sent_at = timezone.now()
    # Payloads are built safe; this also covers rows stored before that rule.
    body = json.dumps(
        {
            **without_unsafe_urls(delivery.payload),
            "delivery": delivery.pk,
            "attempt": attempt,
            "sent_at": sent_at.isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    timestamp = int(sent_at.timestamp())
    message_id = f"msg_{delivery.pk}"
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "factcheck-webhooks/1.0",
        WEBHOOK_ID_HEADER: message_id,
        WEBHOOK_TIMESTAMP_HEADER: str(timestamp),
        WEBHOOK_SIGNATURE_HEADER: standard_signature(hook.secret, message_id, timestamp, body),
        # The old headers, for receivers not yet moved over (one more release).
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(hook.secret, body),
    }
    # The same transport as fetching: the checked address is the one connected to.
    try:
        resp = fetching.open_pinned(
            "POST", hook.url, data=body, headers=headers, timeout=timeout_seconds()
        )
    except fetching.SubmissionError as exc:
        return None, f"This webhook address is not allowed: {exc}"[:1000]
    except fetching.TransientFetchError as exc:
        return None, str(exc)[:1000]
    with resp:
        if 200 <= resp.status_code < 300:
            return resp.status_code, ""
        return resp.status_code, f"The receiver answered {resp.status_code}."


def attempt_delivery(delivery_id: int, *, auto_retry: bool = True) -> tuple[str, float]:
    """Make one attempt. Returns (outcome, countdown): outcome is one of
    "succeeded", "failed", "retry" (try again after countdown seconds) or "noop".
    """
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != D.PENDING:
        return "noop", 0
    attempt = delivery.attempts + 1
    # Claim this attempt, so two workers holding the same message never both send.
    # The claim is a lease: if this worker dies mid-POST, the sweeper sees the
    # delivery as due again once the lease has run out.
    lease = timedelta(seconds=timeout_seconds() + 60)
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=D.PENDING, attempts=delivery.attempts
    ).update(attempts=attempt, next_attempt_at=timezone.now() + lease)
    if not claimed:
        return "noop", 0

    started = time.monotonic()
    code, error = _post(delivery, attempt)
    now = timezone.now()
    record = {
        "attempt": attempt,
        "at": now.isoformat(),
        "status_code": code,
        "error": error,
        "duration_ms": round((time.monotonic() - started) * 1000),
    }
    fields = dict(
        attempt_log=[*delivery.attempt_log, record], last_status_code=code, last_error=error
    )
    if not error:
        outcome, countdown = "succeeded", 0
        fields.update(status=D.SUCCEEDED, delivered_at=now)
    elif auto_retry and attempt < max_attempts() and delivery.webhook.active:
        outcome, countdown = "retry", backoff(attempt)
        fields.update(next_attempt_at=now + timedelta(seconds=countdown))
    else:
        outcome, countdown = "failed", 0
        fields.update(status=D.FAILED)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    if outcome != "succeeded":
        log.warning("webhook delivery %s attempt %s: %s", delivery.pk, attempt, error)
    return outcome, countdown


def resend_overdue() -> int:
    """Nudge pending deliveries whose retry is overdue (a lost message, a restarted
    worker). Safe to run often: each attempt is claimed before sending."""
    cutoff = timezone.now() - timedelta(minutes=2)
    due = list(
        WebhookDelivery.objects.filter(status=D.PENDING, next_attempt_at__lt=cutoff).values_list(
            "id", flat=True
        )[:1000]
    )
    for delivery_id in due:
        outbox.send(outbox.DELIVER_WEBHOOK, delivery_id)
    return len(due)
