"""Every change of an article's state, as ``claims.review.workflow`` is for claims.

Each change is a conditional ``UPDATE … WHERE status IN (…)``, so a state never
regresses and two workers racing on one article get one winner; each writes an
``ArticleLog`` row (with the actor, ``None`` for the system) in the same
transaction.

Lifecycle::

    received ─▶ fetching ─▶ fetched ─▶ extracted
        │  (URL only)  │  (retry with backoff) │
        └──────────────┴───────────────────────┴──▶ failed (with a reason) / duplicate
    (pasted, uploaded and API HTML go received ─▶ extracted directly)
    failed ─▶ received: submitted again (``resubmitted``), the same row

The lease: submitting (or sweeping) sets ``enqueued_at``; a worker that starts
on the article takes a lease (``lease_until``, with a fresh ``lease_token``) and
counts a delivery. Another delivery of the same message while the lease holds
does nothing. When the lease runs out (the worker died, or is merely slow), the
sweep enqueues the article again and another worker takes it over; the first
one's ``release_lease`` and ``postpone`` then match nothing, since they name the
token they were given. After ``ARTICLE_MAX_DELIVERIES`` the article fails with a
reason instead of looping.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import outbox
from ..models import Article, ArticleLog

S = Article.Status
ACTIVE = (S.RECEIVED, S.FETCHING, S.FETCHED)
FINISHED = (S.EXTRACTED, S.DUPLICATE, S.FAILED)
MAX_REASON = 2000


def _log(
    article_id, action, *, actor=None, from_status="", to_status="", comment="", data=None, now=None
) -> ArticleLog:
    return ArticleLog.objects.create(
        article_id=article_id,
        action=f"article.{action}",
        actor=actor,
        from_status=from_status or "",
        to_status=to_status or from_status or "",
        comment=comment,
        data=data or {},
        created_at=now or timezone.now(),
    )


def _move(
    article_id, *, from_statuses, to_status, action, actor=None, comment="", data=None, **fields
) -> bool:
    """Change status only from one of ``from_statuses``; log it. Returns whether it moved."""
    now = timezone.now()
    with transaction.atomic():
        before = (
            Article.objects.filter(pk=article_id, status__in=from_statuses)
            .values_list("status", flat=True)
            .first()
        )
        if before is None:
            return False
        moved = Article.objects.filter(pk=article_id, status=before).update(
            status=to_status, **fields
        )
        if moved:
            _log(
                article_id,
                action,
                actor=actor,
                from_status=before,
                to_status=to_status,
                comment=comment,
                data=data,
                now=now,
            )
    return bool(moved)


# ---------------------------------------------------------------------------
# Submission and the lease


def submitted(article: Article, *, actor) -> None:
    """Log a new article and queue its extraction on commit. Call inside atomic."""
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(enqueued_at=now)
    _log(
        article.pk,
        "submitted",
        actor=actor,
        to_status=article.status,
        data={"source": article.source, "url": article.url},
        now=now,
    )
    outbox.send_on_commit(outbox.EXTRACT_ARTICLE, article.pk)


def resubmitted(article: Article, *, actor) -> bool:
    """A failed article submitted again: back to received with a fresh delivery
    count, logged, and queued on commit. A URL article is fetched afresh. False
    when it is not failed (any more): someone resubmitted it a moment ago."""
    fields = {"raw_html": ""} if article.source == Article.Source.URL else {}
    with transaction.atomic():
        moved = _move(
            article.pk,
            from_statuses=(S.FAILED,),
            to_status=S.RECEIVED,
            action="resubmitted",
            actor=actor,
            data={"previous_error": article.error[:MAX_REASON]},
            error="",
            lease_until=None,
            lease_token="",
            deliveries=0,
            enqueued_at=timezone.now(),
            **fields,
        )
        if moved:
            outbox.send_on_commit(outbox.EXTRACT_ARTICLE, article.pk)
    return moved


def take_lease(article_id: int) -> Article | None:
    """Start work on an article, or None if it is finished or a live worker holds it.

    Counts the delivery; one delivered too often fails with a reason. The
    article's ``lease_token`` names this holder: pass it to ``postpone`` and
    ``release_lease``.
    """
    now = timezone.now()
    lease = now + timedelta(seconds=settings.ARTICLE_LEASE_SECONDS)
    token = uuid.uuid4().hex
    taken = Article.objects.filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now),
        pk=article_id,
        status__in=ACTIVE,
    ).update(lease_until=lease, lease_token=token, deliveries=F("deliveries") + 1)
    if not taken:
        return None
    # raw_html (up to MAX_ARTICLE_BYTES) loads only if the worker needs it: a
    # page parsed on submission is analysed from its stored text.
    article = Article.objects.defer("raw_html").get(pk=article_id)
    if article.deliveries > settings.ARTICLE_MAX_DELIVERIES:
        fail(
            article_id,
            (
                f"Processing was interrupted {article.deliveries - 1} times (the worker "
                "stopped or ran out of time); giving up. Submit it again to retry."
            ),
        )
        return None
    return article


def postpone(article_id: int, *, token: str, seconds: float, reason: str) -> bool:
    """A transient failure: hold the lease until the retry is due, so the sweep
    leaves the article alone meanwhile and the retry can take it. Only the
    lease's holder (``token``) may, and only while the article is active; the
    log row is written only when that UPDATE matched. Returns whether it did."""
    now = timezone.now()
    with transaction.atomic():
        held = Article.objects.filter(pk=article_id, status__in=ACTIVE, lease_token=token).update(
            lease_until=now + timedelta(seconds=max(seconds - 1, 0)),
            error=reason[:MAX_REASON],
        )
        if held:
            _log(
                article_id,
                "retry_scheduled",
                comment=reason[:MAX_REASON],
                data={"in_seconds": seconds},
                now=now,
            )
    return bool(held)


def release_lease(article_id: int, token: str) -> bool:
    """Give the lease back early (the task failed), if this holder still has it."""
    return bool(
        Article.objects.filter(pk=article_id, lease_token=token).update(
            lease_until=None, lease_token=""
        )
    )


def due_for_sweep(limit: int = 500) -> list[int]:
    """Active articles whose message was lost or whose worker died."""
    now = timezone.now()
    unstarted = now - timedelta(seconds=settings.SWEEP_ENQUEUED_AFTER_SECONDS)
    return list(
        Article.objects.filter(status__in=ACTIVE)
        .filter(
            Q(lease_until__lt=now)
            | Q(lease_until__isnull=True)
            & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=unstarted))
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def reenqueue(article_ids) -> int:
    """The sweep's nudge: stamp ``enqueued_at`` so the next sweep waits again."""
    Article.objects.filter(pk__in=article_ids).update(enqueued_at=timezone.now())
    for article_id in article_ids:
        outbox.send(outbox.EXTRACT_ARTICLE, article_id)
    return len(article_ids)


# ---------------------------------------------------------------------------
# Transitions


def begin_fetch(article_id: int) -> bool:
    return (
        _move(article_id, from_statuses=(S.RECEIVED,), to_status=S.FETCHING, action="fetching")
        or Article.objects.filter(pk=article_id, status=S.FETCHING).exists()
    )


def store_fetched(article_id: int, html: str) -> bool:
    return _move(
        article_id,
        from_statuses=(S.RECEIVED, S.FETCHING),
        to_status=S.FETCHED,
        action="fetched",
        data={"chars": len(html)},
        raw_html=html,
        error="",
    )


def fail(article_id: int, reason: str, *, actor=None) -> bool:
    """End an article's processing with a reason the editor can read."""
    reason = (reason or "Processing failed.")[:MAX_REASON]
    return _move(
        article_id,
        from_statuses=ACTIVE,
        to_status=S.FAILED,
        action="failed",
        actor=actor,
        comment=reason,
        error=reason,
        lease_until=None,
    )


def mark_copy_of(article_id: int, original_id: int, **fields) -> bool:
    """The article's text is already on the desk as ``original_id``: end it as its copy.
    (A claim that repeats another is ``review.workflow.mark_duplicate``.)"""
    return _move(
        article_id,
        from_statuses=ACTIVE,
        to_status=S.DUPLICATE,
        action="duplicate",
        data={"duplicate_of": original_id},
        duplicate_of_id=original_id,
        lease_until=None,
        **fields,
    )


def mark_extracted(article_id: int, *, claims: int, queued: int, **fields) -> bool:
    """Call inside the transaction that stores the claims; False means someone else did."""
    return _move(
        article_id,
        from_statuses=ACTIVE,
        to_status=S.EXTRACTED,
        action="extracted",
        data={"claims": claims, "queued": queued},
        lease_until=None,
        error="",
        **fields,
    )
