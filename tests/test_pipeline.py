"""The whole path with real parts: submit → worker extracts → worker assigns → email."""

import pytest
from django.core import mail

from claims import services, tasks
from claims.models import Article, Claim, ClaimLog, Notification

from .conftest import queue_drained, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _all_assigned(article):
    claims = list(Claim.objects.filter(article=article))
    return claims and all(c.status == Claim.Status.ASSIGNED for c in claims) and claims


def test_seed_claims_end_up_assigned_exactly_once(celery_worker, seed_html, alice, bob, carol):
    sub = services.submit_article(actor=alice, html=seed_html, source="upload")
    assert sub.created
    article = sub.article

    claims = wait_until(lambda: _all_assigned(article), message="all claims assigned")
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    assert len(claims) >= 3
    texts = " ".join(c.text for c in claims)
    for needle in ("six-page complaint", "almost 100 current and former staff",
                   "In 2019 he was impeached"):
        assert needle in texts

    for claim in claims:
        assert article.text[claim.start:claim.end] == claim.text
        assigned = ClaimLog.objects.filter(claim=claim, action="claim.assigned")
        assert assigned.count() == 1, claim.text
        assert assigned.get().actor_id is None
        assert claim.assignee in (bob, carol)
    # Least-loaded assignment spreads the work.
    loads = {u: sum(c.assignee_id == u.pk for c in claims) for u in (bob, carol)}
    assert abs(loads[bob] - loads[carol]) <= 1

    # Each reviewer is emailed once per claim.
    wait_until(lambda: Notification.objects.filter(sent_at__isnull=False).count() == len(claims),
               message="one email per claim")
    assert len(mail.outbox) == len(claims)
    assert {m.to[0] for m in mail.outbox} <= {"bob@example.org", "carol@example.org"}


def test_running_the_tasks_again_changes_nothing(celery_worker, seed_html, alice, bob):
    article = services.submit_article(actor=alice, html=seed_html).article
    claims = wait_until(lambda: _all_assigned(article), message="claims assigned")
    wait_until(lambda: len(mail.outbox) == len(claims), message="emails")
    versions = {c.pk: c.version for c in claims}

    tasks.extract_article_claims.delay(article.pk)
    for c in claims:
        tasks.queue_claim_for_review.delay(c.pk)
    # A marker task: once it has run, the duplicates queued before it have run too.
    wait_until(queue_drained, message="queue drained")

    assert Claim.objects.filter(article=article).count() == len(claims)
    for c in Claim.objects.filter(article=article):
        assert c.version == versions[c.pk]
        assert ClaimLog.objects.filter(claim=c, action="claim.assigned").count() == 1
    assert len(mail.outbox) == len(claims)


def test_the_same_article_twice_is_one_article(celery_worker, seed_html, alice, bob):
    first = services.submit_article(actor=alice, html=seed_html)
    second = services.submit_article(actor=alice, html=seed_html.decode("utf-8"))
    assert second.duplicate
    assert second.article.pk == first.article.pk
    wait_until(lambda: _all_assigned(first.article), message="claims assigned")
    assert Article.objects.count() == 1


def test_without_reviewers_claims_wait_in_the_queue(celery_worker, seed_html, alice):
    article = services.submit_article(actor=alice, html=seed_html).article
    claims = wait_until(
        lambda: [c for c in Claim.objects.filter(article=article)
                 if c.status == Claim.Status.QUEUED] or None,
        message="claims queued",
    )
    wait_until(lambda: all(c.status == Claim.Status.QUEUED
                           for c in Claim.objects.filter(article=article)))
    assert all(c.assignee_id is None for c in Claim.objects.filter(article=article))
    assert claims


def test_a_dropped_broker_loses_nothing(celery_worker, redis_server, seed_html, alice, bob):
    """Redis goes away mid-submission: the article is kept, and the sweeper recovers it."""
    redis_server.stop()
    try:
        sub = services.submit_article(actor=alice, html=seed_html)
    finally:
        redis_server.start()
    article = sub.article
    article.refresh_from_db()
    assert article.status == Article.Status.RECEIVED  # saved, not extracted: enqueue failed

    from datetime import timedelta

    from django.utils import timezone

    Article.objects.filter(pk=article.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=5)
    )
    result = tasks.sweep_stuck_work()  # what beat runs every few minutes
    assert result["articles"] == 1
    wait_until(lambda: _all_assigned(article), timeout=40, message="recovered claims")


def test_the_sweeper_picks_up_a_fetch_whose_worker_died(redis_server, alice):
    from datetime import timedelta

    from django.utils import timezone

    article = Article.objects.create(url="https://example.org/a", source="url",
                                     status=Article.Status.FETCHING, submitted_by=alice)
    assert tasks.sweep_stuck_work()["articles"] == 0  # still within its retries
    Article.objects.filter(pk=article.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=31))
    assert tasks.sweep_stuck_work()["articles"] == 1
    redis_server.flush()
