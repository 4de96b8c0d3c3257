"""Faults with real processes: a prefork worker (2 children) in a subprocess, a
real Redis without persistence, and the database this test uses.

After each fault: every article ends extracted or failed with a reason, every
claim is assigned exactly once, and every assignment has exactly one
notification, sent. The test process plays beat, running the sweep every
second; thresholds are short (``FAST_RECOVERY_ENV``) so recovery takes seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.db.models import Count

from claims.intake import submission
from claims.jobs import pipeline
from claims.models import Article, Claim, ClaimLog, Notification

from .conftest import wait_until
from .test_fetch import HTML

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PAGES = sorted((Path(__file__).resolve().parent.parent / "bench" / "data" / "pages").glob("*.html"))


BODY = '<div class="article__body">'


def _pages(n: int) -> list[str]:
    """n distinct articles made from the bench pages. The line that makes each one
    unique opens the article body: after the body (next to the tags and the
    newsletter box) the extractor rightly drops it as boilerplate, and the copies
    would then be one article submitted twice."""
    out = []
    for i in range(n):
        page = PAGES[i % len(PAGES)].read_text(encoding="utf-8")
        assert BODY in page, PAGES[i % len(PAGES)]
        unique = (
            f"<p>Fault copy {i}: the council said {i + 3} libraries would close by {2030 + i}.</p>"
        )
        out.append(page.replace(BODY, BODY + unique, 1))
    return out


def _settled() -> bool:
    if Article.objects.exclude(status__in=["extracted", "failed", "duplicate"]).exists():
        return False
    if Article.objects.filter(status="failed", error="").exists():
        return False
    waiting = Claim.objects.filter(held=False, attached=False).exclude(status="assigned").exists()
    unsent = Notification.objects.filter(sent_at=None).exists()
    return not waiting and not unsent


def _recover(worker_or_none, timeout=120.0):
    """Run the sweep every second (beat's job) until everything has settled."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _settled():
            return
        pipeline.sweep_stuck_work()
        time.sleep(1)
    detail = list(Article.objects.values_list("id", "status", "error", "deliveries"))
    log = worker_or_none.log_tail() if worker_or_none else ""
    raise AssertionError(f"did not settle: {detail}\n{log}")


def _assert_exactly_once():
    for article in Article.objects.all():
        assert article.status in ("extracted", "failed", "duplicate"), article
        if article.status == "failed":
            assert article.error
    claims = Claim.objects.filter(
        held=False, attached=False
    )  # attached: its cluster lead is reviewed
    # An attached claim (the same sentence in another copy) is never assigned.
    assert not Claim.objects.filter(attached=True).exclude(status="extracted").exists()
    assert claims.exists()
    assert not claims.exclude(status="assigned").exists()
    assert not claims.filter(assignee=None).exists()
    assigned = ClaimLog.objects.filter(action="claim.assigned")
    per_claim = assigned.values("claim_id").annotate(n=Count("id"))
    assert {row["n"] for row in per_claim} == {1}
    assert assigned.count() == claims.count()
    # One claim per sentence, however many runs reached the article.
    dupes = Claim.objects.values("article_id", "sentence_index").annotate(n=Count("id"))
    assert not dupes.filter(n__gt=1).exists()
    notes = Notification.objects.all()
    assert notes.count() == assigned.count()
    assert set(notes.values_list("key", flat=True)) == {
        f"log:{pk}:user:{user}" for pk, user in assigned.values_list("id", "claim__assignee_id")
    }
    assert not notes.filter(sent_at=None).exists()


def _submit(alice, n):
    submissions = [submission.submit_article(actor=alice, html=html) for html in _pages(n)]
    assert all(s.created for s in submissions), "the pages must be distinct articles"
    return [s.article for s in submissions]


def test_a_child_killed_mid_extraction(prefork_worker, alice, bob, carol):
    worker = prefork_worker()
    _submit(alice, 8)
    wait_until(
        lambda: Article.objects.filter(lease_until__isnull=False, status="received").exists(),
        timeout=60,
        interval=0.01,
        message="an extraction under way",
    )
    worker.kill_child()
    _recover(worker)
    _assert_exactly_once()
    assert Article.objects.filter(status="extracted").count() == 8


def test_the_whole_worker_killed_and_another_started(prefork_worker, alice, bob, carol):
    worker = prefork_worker()
    _submit(alice, 8)
    wait_until(lambda: Claim.objects.exists(), timeout=60, interval=0.01, message="work under way")
    worker.kill()
    second = prefork_worker()
    _recover(second)
    _assert_exactly_once()
    assert Article.objects.filter(status="extracted").count() == 8


def test_redis_restarted_without_persistence(prefork_worker, redis_server, alice, bob, carol):
    worker = prefork_worker()
    _submit(alice, 8)
    wait_until(lambda: Claim.objects.exists(), timeout=60, interval=0.01, message="work under way")
    redis_server.stop()  # every queued and unacknowledged message is gone
    redis_server.start()
    _recover(worker)
    _assert_exactly_once()
    assert Article.objects.filter(status="extracted").count() == 8


def test_two_extractions_of_one_url_article_at_once(prefork_worker, site, alice, bob):
    # A slow page, so both deliveries are in flight together.
    site.routes["/slow"] = (200, HTML, PAGES[0].read_bytes(), 1.0)
    worker = prefork_worker()
    article = submission.submit_article(actor=alice, url=site.base + "/slow").article
    pipeline.extract_article_claims.delay(article.pk)  # the duplicate a sweep could make
    _recover(worker)
    _assert_exactly_once()
    article.refresh_from_db()
    assert article.status == "extracted"
    assert article.log.filter(action="article.extracted").count() == 1
    assert site.hits.count("/slow") == 1  # the second delivery found the lease held


def test_a_channel_whose_connection_is_gone_does_not_kill_the_worker_on_close(redis_server, caplog):
    """kombu restores a closing channel's unacked messages; after Redis came back the
    connection may already be released, and kombu raised AttributeError ('NoneType'
    object has no attribute 'hostname') in the worker. factcheck.celery leaves them to
    the visibility timeout instead."""
    from kombu import Connection

    import factcheck.celery  # noqa: F401  (installs the guard, as every worker does)

    conn = Connection(redis_server.url)
    channel = conn.channel()
    channel.qos._delivered["a-delivery-tag"] = True
    channel.connection.client = None  # what a released connection leaves behind
    try:
        channel.qos.restore_unacked()  # raised AttributeError without the guard
        assert "left for the visibility timeout" in caplog.text
    finally:
        channel.qos._delivered.clear()  # nothing for kombu's exit handler to restore
