"""The whole path with real parts: submit → worker extracts → worker assigns → email."""

import pytest
from django.core import mail

from claims.intake import submission
from claims.jobs import pipeline
from claims.models import Article, Claim, ClaimLog, Notification

from .conftest import queue_drained, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _all_assigned(article):
    claims = list(Claim.objects.filter(article=article))
    return claims and all(c.status == Claim.Status.ASSIGNED for c in claims) and claims


def test_seed_claims_end_up_assigned_exactly_once(celery_worker, seed_html, alice, bob, carol):
    sub = submission.submit_article(actor=alice, html=seed_html, source="upload")
    assert sub.created
    article = sub.article

    claims = wait_until(lambda: _all_assigned(article), message="all claims assigned")
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    assert len(claims) >= 3
    texts = " ".join(c.text for c in claims)
    for needle in (
        "six-page complaint",
        "almost 100 current and former staff",
        "In 2019 he was impeached",
    ):
        assert needle in texts

    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
        assigned = ClaimLog.objects.filter(claim=claim, action="claim.assigned")
        assert assigned.count() == 1, claim.text
        assert assigned.get().actor_id is None
        assert claim.assignee in (bob, carol)
    # Least-loaded assignment spreads the work.
    loads = {u: sum(c.assignee_id == u.pk for c in claims) for u in (bob, carol)}
    assert abs(loads[bob] - loads[carol]) <= 1

    # One notification row per assignment, sent as one email per reviewer.
    wait_until(
        lambda: Notification.objects.filter(sent_at__isnull=False).count() == len(claims),
        message="every assignment notified",
    )
    keys = set(Notification.objects.values_list("key", flat=True))
    assert len(keys) == len(claims)
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]
    for message in mail.outbox:
        mine = [c for c in claims if c.assignee.email == message.to[0]]
        assert message.subject == f"{len(mine)} updates from the fact-check desk"
        assert all(c.text[:60] in message.body for c in mine)
    # The article's history names who submitted it and what the system did.
    assert list(article.log.values_list("action", "actor_id")) == [
        ("article.submitted", alice.pk),
        ("article.extracted", None),
    ]


def test_running_the_tasks_again_changes_nothing(celery_worker, seed_html, alice, bob):
    article = submission.submit_article(actor=alice, html=seed_html).article
    claims = wait_until(lambda: _all_assigned(article), message="claims assigned")
    wait_until(lambda: len(mail.outbox) == 1, message="email")
    versions = {c.pk: c.version for c in claims}

    # The sweep would do this if it thought the work lost; so might a redelivery.
    Article.objects.filter(pk=article.pk).update(lease_until=None)
    pipeline.extract_article_claims.delay(article.pk)
    pipeline.assign_article_claims.delay(article.pk)
    pipeline.send_notifications.delay()
    wait_until(queue_drained, message="queue drained")

    assert Claim.objects.filter(article=article).count() == len(claims)
    for c in Claim.objects.filter(article=article):
        assert c.version == versions[c.pk]
        assert ClaimLog.objects.filter(claim=c, action="claim.assigned").count() == 1
    assert Notification.objects.count() == len(claims)
    assert len(mail.outbox) == 1


def test_the_same_article_twice_is_one_article(celery_worker, seed_html, alice, bob):
    first = submission.submit_article(actor=alice, html=seed_html)
    second = submission.submit_article(actor=alice, html=seed_html.decode("utf-8"))
    assert second.duplicate
    assert second.article.pk == first.article.pk
    wait_until(lambda: _all_assigned(first.article), message="claims assigned")
    assert Article.objects.count() == 1


def test_without_reviewers_claims_wait_in_the_queue(celery_worker, seed_html, alice, settings):
    article = submission.submit_article(actor=alice, html=seed_html).article
    claims = wait_until(
        lambda: (
            [c for c in Claim.objects.filter(article=article) if c.status == Claim.Status.QUEUED]
            or None
        ),
        message="claims queued",
    )
    wait_until(
        lambda: all(c.status == Claim.Status.QUEUED for c in Claim.objects.filter(article=article))
    )
    assert all(c.assignee_id is None for c in Claim.objects.filter(article=article))
    assert claims
    # The sweep does not churn through waiting claims while nobody can take them.
    settings.SWEEP_CLAIMS_AFTER_SECONDS = 0
    assert pipeline.sweep_stuck_work()["claim_articles"] == 0


def test_a_dropped_broker_loses_nothing(
    celery_worker, redis_server, seed_html, alice, bob, settings
):
    """Redis goes away mid-submission: the article is kept, and the sweeper recovers it."""
    redis_server.stop()
    try:
        sub = submission.submit_article(actor=alice, html=seed_html)
    finally:
        redis_server.start()
    article = sub.article
    article.refresh_from_db()
    assert article.status == Article.Status.RECEIVED  # saved, not extracted: enqueue failed
    assert pipeline.sweep_stuck_work()["articles"] == 0  # not yet overdue
    settings.SWEEP_ENQUEUED_AFTER_SECONDS = 0
    assert pipeline.sweep_stuck_work()["articles"] == 1  # what beat runs every minute
    wait_until(lambda: _all_assigned(article), timeout=40, message="recovered claims")


def test_the_sweep_goes_by_the_lease_not_the_submission_time(redis_server, alice):
    """A fetch whose worker died is swept once its lease has run out, however old
    or new the article is; one still leased is left alone."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    article = Article.objects.create(
        url="https://example.org/a",
        source="url",
        status=Article.Status.FETCHING,
        submitted_by=alice,
        submitted_at=now - timedelta(days=1),
        lease_until=now + timedelta(minutes=1),
    )
    assert pipeline.sweep_stuck_work()["articles"] == 0  # a worker holds it
    Article.objects.filter(pk=article.pk).update(
        lease_until=now - timedelta(seconds=1), submitted_at=now
    )
    assert pipeline.sweep_stuck_work()["articles"] == 1
    article.refresh_from_db()
    assert article.enqueued_at >= now
    redis_server.flush()
