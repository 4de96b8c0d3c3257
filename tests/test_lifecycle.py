"""The article lifecycle: conditional moves that never regress, a reason for every
failure, a lease with a delivery counter, the flood cap and the notification outbox.

Unit-level: the task bodies run in this process against the real database; the
web server that misbehaves is a real local one (``tests/test_fetch.py``'s Site).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from claims.intake import lifecycle, submission
from claims.jobs import pipeline
from claims.models import Article, ArticleLog, Claim, ClaimLog, Notification
from claims.review import notifications, workflow

from .conftest import _user
from .test_api import api, people  # noqa: F401 (fixtures)
from .test_fetch import HTML

pytestmark = pytest.mark.django_db
A = Article.Status
S = Claim.Status


def test_a_second_run_that_loaded_the_article_early_stores_nothing(seed_html, alice):
    """Two deliveries of one message: the second loaded the row before the first
    committed. It used to hit IntegrityError and leave the article stuck."""
    article = submission.submit_article(actor=alice, html=seed_html).article
    stale = Article.objects.get(pk=article.pk)  # still "received"
    first = submission.extract_and_store(article)
    assert first
    assert submission.extract_and_store(stale) == []
    article.refresh_from_db()
    assert article.status == A.EXTRACTED
    assert Claim.objects.filter(article=article).count() == len(first)
    assert ArticleLog.objects.filter(article=article, action="article.extracted").count() == 1


def test_a_finished_article_never_moves_back(seed_html, alice):
    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(article)
    assert not lifecycle.fail(article.pk, "late failure")
    assert not lifecycle.store_fetched(article.pk, "<p>x</p>")
    assert not lifecycle.begin_fetch(article.pk)
    article.refresh_from_db()
    assert article.status == A.EXTRACTED and article.error == ""


def test_submission_and_failure_are_logged_with_the_actor(site, alice):
    site.routes["/gone"] = (404, HTML, b"gone")
    article = submission.submit_article(actor=alice, url=site.base + "/gone").article
    pipeline.extract_article_claims(article.pk)
    article.refresh_from_db()
    assert article.status == A.FAILED and "404" in article.error
    rows = list(article.log.values_list("action", "actor_id", "to_status"))
    assert rows == [
        ("article.submitted", alice.pk, "received"),
        ("article.fetching", None, "fetching"),
        ("article.failed", None, "failed"),
    ]
    assert "404" in article.log.last().comment


def test_a_body_cut_off_mid_answer_is_retried_then_fails_with_a_reason(site, alice, settings):
    """requests raises ChunkedEncodingError from iter_content when the connection
    breaks mid-body; it used to escape and leave the article "fetching" for ever.
    (Corrupt gzip is refused at once, with its reason: see test_fetch.)"""

    def cut_off(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.write(b"<html><body><p>The council said")
        handler.wfile.flush()
        handler.close_connection = True

    site.routes["/cut"] = cut_off
    article = submission.submit_article(actor=alice, url=site.base + "/cut").article
    with pytest.raises(submission.TransientFetchError, match="broke off mid-answer"):
        submission.extract_and_store(article)
    article.refresh_from_db()
    assert article.status == A.FETCHING  # kept for the retry
    # The task's last try gives up and says why.
    settings.FETCH_MAX_RETRIES = 0
    Article.objects.filter(pk=article.pk).update(lease_until=None)
    assert pipeline.extract_article_claims(article.pk) == 0
    article.refresh_from_db()
    assert article.status == A.FAILED
    assert "broke off mid-answer" in article.error and "Gave up after 1 tries" in article.error


def test_an_unexpected_error_while_fetching_fails_the_article(site, alice, monkeypatch):
    def broken(url):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(submission, "fetch_url", broken)
    article = submission.submit_article(actor=alice, url=site.base + "/x").article
    assert submission.extract_and_store(article) == []
    article.refresh_from_db()
    assert article.status == A.FAILED
    assert "RuntimeError: parser exploded" in article.error


def test_a_message_delivered_too_often_fails_its_article(alice, settings):
    settings.ARTICLE_MAX_DELIVERIES = 2
    article = Article.objects.create(
        url="https://example.org/poison", source="url", submitted_by=alice
    )
    for _ in range(2):  # each time the worker "dies": the lease runs out
        assert lifecycle.take_lease(article.pk) is not None
        Article.objects.filter(pk=article.pk).update(lease_until=timezone.now())
    assert lifecycle.take_lease(article.pk) is None
    article.refresh_from_db()
    assert article.status == A.FAILED
    assert "interrupted 2 times" in article.error


def test_a_live_lease_keeps_a_second_delivery_out(alice):
    article = Article.objects.create(url="https://example.org/a", source="url", submitted_by=alice)
    assert lifecycle.take_lease(article.pk) is not None
    assert lifecycle.take_lease(article.pk) is None
    assert Article.objects.get(pk=article.pk).deliveries == 1


def test_a_worker_overtaken_after_its_lease_releases_only_its_own(alice):
    article = Article.objects.create(url="https://example.org/a", source="url", submitted_by=alice)
    slow = lifecycle.take_lease(article.pk)
    Article.objects.filter(pk=article.pk).update(lease_until=timezone.now())  # it ran out
    fresh = lifecycle.take_lease(article.pk)
    assert fresh is not None and fresh.lease_token != slow.lease_token

    # The slow worker's task fails and gives "its" lease back: not the new holder's.
    assert not lifecycle.release_lease(article.pk, slow.lease_token)
    assert not lifecycle.postpone(article.pk, token=slow.lease_token, seconds=60, reason="x")
    article.refresh_from_db()
    assert article.lease_until > timezone.now() and article.lease_token == fresh.lease_token
    assert lifecycle.take_lease(article.pk) is None  # so no third worker joins in
    assert not article.log.filter(action="article.retry_scheduled").exists()

    assert lifecycle.release_lease(article.pk, fresh.lease_token)
    assert Article.objects.get(pk=article.pk).lease_until is None


def test_postpone_logs_a_retry_only_when_it_held_the_article(seed_html, alice):
    article = submission.submit_article(actor=alice, html=seed_html).article
    taken = lifecycle.take_lease(article.pk)
    submission.extract_and_store(taken)  # finished meanwhile
    assert not lifecycle.postpone(article.pk, token=taken.lease_token, seconds=5, reason="late")
    assert not article.log.filter(action="article.retry_scheduled").exists()


def test_postpone_holds_the_lease_and_says_why(alice):
    article = Article.objects.create(url="https://example.org/b", source="url", submitted_by=alice)
    taken = lifecycle.take_lease(article.pk)
    assert lifecycle.postpone(article.pk, token=taken.lease_token, seconds=20, reason="503")
    entry = article.log.get(action="article.retry_scheduled")
    assert entry.comment == "503" and entry.data == {"in_seconds": 20}


# ---------------------------------------------------------------------------
# Flood cap


def test_the_flood_cap_queues_the_best_and_holds_the_rest(seed_html, alice, bob, settings):
    settings.MAX_QUEUED_CLAIMS_PER_ARTICLE = 3
    article = submission.submit_article(actor=alice, html=seed_html).article
    waiting = submission.extract_and_store(article)
    claims = list(Claim.objects.filter(article=article).order_by("-score"))
    assert len(claims) > 3 and len(waiting) == 3
    assert [c.held for c in claims] == [False] * 3 + [True] * (len(claims) - 3)
    assert set(waiting) == {c.pk for c in claims[:3]}
    held = claims[3]
    assert ClaimLog.objects.get(claim=held).action == "claim.held"

    # Stored and assigned in one transaction; the held ones wait.
    assert {c.status for c in claims[:3]} == {S.ASSIGNED}
    assert workflow.assign_waiting_claims(article.pk).assigned == 0
    held.refresh_from_db()
    assert held.status == S.EXTRACTED and held.assignee_id is None  # still held

    with pytest.raises(workflow.NotAllowed):
        workflow.queue_held(held, actor=bob)
    workflow.queue_held(held, actor=alice)
    held.refresh_from_db()
    assert not held.held and held.status == S.QUEUED
    assert workflow.assign_waiting_claims(article.pk).assigned == 1
    held.refresh_from_db()
    assert held.assignee == bob
    with pytest.raises(workflow.InvalidState):
        workflow.queue_held(held, actor=alice)


# ---------------------------------------------------------------------------
# Batch assignment and the notification outbox


@pytest.fixture
def email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _article_with_claims(n, make_claim):
    first = make_claim()
    for i in range(1, n):
        Claim.objects.create(
            article=first.article,
            text=f"Claim {i} cost {i} million.",
            start=0,
            end=5,
            sentence_index=i + 1,
            score=0.5 + i / 100,
            claim_type="quantity",
        )
    return first.article


def test_twenty_five_claims_for_one_reviewer_make_one_email(make_claim, bob, email):
    article = _article_with_claims(25, make_claim)
    assert workflow.assign_waiting_claims(article.pk).assigned == 25
    assert ClaimLog.objects.filter(action="claim.assigned").count() == 25
    assert Notification.objects.filter(sent_at=None).count() == 25
    result = notifications.send_due()
    assert (result.sent, result.emails) == (25, 1)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bob@example.org"]
    for claim in Claim.objects.filter(article=article):
        assert f"http://127.0.0.1:8000/claims/{claim.pk}/" in mail.outbox[0].body
    assert notifications.send_due().sent == 0  # nothing twice
    # Again: nothing waits, nothing changes.
    assert workflow.assign_waiting_claims(article.pk).assigned == 0


def test_assignment_spreads_the_batch_by_load(make_claim, bob, carol, email):
    make_claim(status=S.ASSIGNED, assignee=bob)  # bob starts one ahead
    article = _article_with_claims(5, make_claim)
    workflow.assign_waiting_claims(article.pk)
    loads = {u.username: Claim.objects.filter(assignee=u).count() for u in (bob, carol)}
    assert loads == {"bob": 3, "carol": 3}


class FlakySMTP:
    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakySMTP.failures:
            FlakySMTP.failures -= 1
            raise ConnectionRefusedError("SMTP server refused the connection")
        mail.outbox.extend(messages)
        return len(messages)


def test_a_failed_send_is_kept_and_retried_later(make_claim, alice, bob, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    mail.outbox = []
    FlakySMTP.failures = 1
    workflow.assign(make_claim(), bob, actor=alice)
    result = notifications.send_due()
    assert result.failed == 1 and not mail.outbox
    row = Notification.objects.get()
    assert row.sent_at is None and "refused" in row.last_error
    assert row.claimed_until > timezone.now()  # backoff: not due yet
    assert notifications.send_due().sent == 0
    Notification.objects.filter(pk=row.pk).update(claimed_until=timezone.now())
    assert notifications.send_due().sent == 1
    assert len(mail.outbox) == 1
    assert Notification.objects.get().attempts == 2


def test_a_sender_that_died_holding_rows_is_replaced_after_its_lease(make_claim, alice, bob, email):
    workflow.assign(make_claim(), bob, actor=alice)
    Notification.objects.update(
        claimed_until=timezone.now() + timedelta(minutes=1), claim_token="dead-worker"
    )
    assert notifications.send_due().sent == 0
    Notification.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert notifications.send_due().sent == 1


def test_a_digest_window_collects_a_reviewers_messages(make_claim, alice, bob, settings, email):
    settings.NOTIFY_DIGEST_MINUTES = 10
    workflow.assign(make_claim(), bob, actor=alice)
    workflow.assign(make_claim(text="Taxes rose 5%."), bob, actor=alice)
    assert notifications.send_due().sent == 0  # the window is open
    Notification.objects.filter(pk=Notification.objects.order_by("id").first().pk).update(
        due_at=timezone.now()
    )
    result = notifications.send_due()
    assert (result.sent, result.emails) == (2, 1)


def test_the_sweep_releases_a_departed_reviewers_claims(make_claim, bob, carol, redis_server):
    claim = make_claim(status=S.ASSIGNED, assignee=bob, assigned_at=timezone.now())
    # Deactivated behind the signals' back (a lost release message, a raw update).
    type(bob).objects.filter(pk=bob.pk).update(is_active=False)
    assert workflow.departed_reviewer_ids() == [bob.pk]
    assert pipeline.sweep_stuck_work()["released"] == 1
    assert pipeline.release_reviewer_claims(bob.pk) == 1
    claim.refresh_from_db()
    assert claim.status == S.QUEUED
    redis_server.flush()


def test_an_editor_queues_a_held_claim_from_its_page(client, seed_html, alice, bob, settings):
    settings.MAX_QUEUED_CLAIMS_PER_ARTICLE = 1
    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(article)
    held = Claim.objects.filter(article=article, held=True).first()
    client.force_login(alice)
    page = client.get(held.get_absolute_url()).content.decode()
    assert 'id="claim-held"' in page and 'id="action-queue_held"' in page
    r = client.post(
        f"/claims/{held.pk}/act/queue_held/",
        {"queue_held-version": held.version, "queue_held-comment": "Worth a look"},
    )
    assert r.status_code == 302
    held.refresh_from_db()
    assert not held.held and held.status == S.QUEUED
    entry = held.log.last()
    assert (entry.action, entry.actor, entry.comment) == ("claim.unheld", alice, "Worth a look")
    # A reviewer sees the mark but no button, and cannot post it either.
    other = Claim.objects.filter(article=article, held=True).first()
    client.force_login(bob)
    page = client.get(other.get_absolute_url()).content.decode()
    assert 'id="claim-held"' in page and 'id="action-queue_held"' not in page
    r = client.post(f"/claims/{other.pk}/act/queue_held/", {"queue_held-version": other.version})
    assert r.status_code == 403
    assert Claim.objects.get(pk=other.pk).held


def test_the_desk_says_when_no_reviewer_is_available(client, alice, make_claim):
    make_claim(status=S.QUEUED)
    client.force_login(alice)
    assert 'id="no-reviewer"' in client.get("/").content.decode()
    _user("bob", "Reviewers")
    assert 'id="no-reviewer"' not in client.get("/").content.decode()


def test_an_editor_queues_a_held_claim_through_the_api(
    api,  # noqa: F811
    seed_html,
    alice,
    settings,  # noqa: F811
    generous_api_rates,
):
    settings.MAX_QUEUED_CLAIMS_PER_ARTICLE = 1
    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(article)
    held = Claim.objects.filter(article=article, held=True).first()
    assert api["bob"].act(held, "queue_held").status_code == 403
    r = api["alice"].act(held, "queue_held", comment="From the API")
    assert r.status_code == 200, r.content
    held.refresh_from_db()
    assert not held.held and held.status == S.QUEUED
    assert api["alice"].act(held, "queue_held").status_code == 409  # not held any more
