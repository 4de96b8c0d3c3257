"""Webhooks: signed ClaimReview deliveries to a real local HTTP server, with retries."""

import hashlib
import hmac
import json

import pytest
import standardwebhooks
from django.utils import timezone
from knox.models import AuthToken

from claims.jobs import webhooks as webhook_jobs
from claims.models import Claim, ClaimLog, Webhook, WebhookDelivery
from claims.publishing import pages, webhooks
from claims.review import workflow

from .conftest import wait_until
from .loopback import LoopbackSite
from .test_workflow import claim_in

S = Claim.Status
D = WebhookDelivery.Status


class Receiver(LoopbackSite):
    """A partner's endpoint: answers with queued status codes, then 200."""

    PATH = "/hooks/factcheck"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []  # status codes to answer, in order; then 200
        self.url = self.base + self.PATH
        self.routes[self.PATH] = self.answer

    def answer(self, handler):
        return (self.responses.pop(0) if self.responses else 200, {}, b"ok")


@pytest.fixture
def receiver(loopback, settings):
    settings.FETCH_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.2
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    return loopback(cls=Receiver)


@pytest.fixture(autouse=True)
def _generous_rates(generous_api_rates):
    pass


def api_headers(user):
    _, token = AuthToken.objects.create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def register(client, user, url, **extra):
    r = client.post(
        "/api/webhooks/",
        json.dumps({"url": url, **extra}),
        content_type="application/json",
        **api_headers(user),
    )
    assert r.status_code == 201, r.content
    return r.json()


def publish_one(make_claim, alice, bob):
    claim = claim_in(S.APPROVED, make_claim, bob)
    workflow.publish(claim, actor=alice)
    return Claim.objects.select_related("article", "verdict").get(pk=claim.pk)


def assert_signed(request, secret):
    headers, body = request.headers, request.body
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-factcheck-signature"] == expected
    assert webhooks.verify_signature(secret, body, headers["x-factcheck-signature"])
    assert not webhooks.verify_signature(
        "wrong-secret-wrong-secret", body, headers["x-factcheck-signature"]
    )
    sent = json.loads(body)
    assert abs(int(headers["x-factcheck-timestamp"]) - timezone.now().timestamp()) < 60
    assert headers["x-factcheck-event"] == "claim.published"
    assert headers["x-factcheck-delivery"] == str(sent["delivery"])
    assert headers["content-type"].startswith("application/json")
    assert_standard_webhook(request, secret)
    return sent


def assert_standard_webhook(request, secret):
    """The Standard Webhooks reference verifier accepts the delivery, and refuses it
    under another secret, with a changed body or a changed id."""
    headers, body = dict(request.headers), request.body
    verifier = standardwebhooks.Webhook(webhooks.standard_secret(secret))
    assert verifier.verify(body, headers) == json.loads(body)
    assert headers["webhook-id"] == f"msg_{json.loads(body)['delivery']}"
    assert headers["webhook-timestamp"] == headers["x-factcheck-timestamp"]
    other = standardwebhooks.Webhook(webhooks.standard_secret("another-secret-another-secret"))
    for bad_verifier, bad_body, bad_headers in (
        (other, body, headers),
        (verifier, body.replace(b'"attempt":', b'"attempt": '), headers),
        (verifier, body, {**headers, "webhook-id": "msg_999999"}),
    ):
        with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
            bad_verifier.verify(bad_body, bad_headers)


# ---------------------------------------------------------------------------
# Through the real worker


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_publishing_posts_a_signed_claimreview(
    celery_worker, receiver, client, make_claim, alice, bob
):
    hook = register(client, alice, receiver.url, description="Partner A")
    assert len(hook["secret"]) >= 32

    claim = publish_one(make_claim, alice, bob)
    delivery = WebhookDelivery.objects.get()
    wait_until(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == D.SUCCEEDED,
        message="delivery succeeded",
    )

    (request,) = receiver.requests
    sent = assert_signed(request, hook["secret"])
    assert sent["event"] == "claim.published" and sent["claim"] == claim.pk
    assert sent["claimReview"] == pages.claimreview(claim)
    assert sent["attempt"] == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 200, "")
    assert delivery.delivered_at and len(delivery.attempt_log) == 1
    assert delivery.attempt_log[0]["status_code"] == 200


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_with_backoff_until_it_succeeds(
    celery_worker, receiver, client, make_claim, alice, bob, settings
):
    # Waits of 0.5 s then 1 s: long enough that a busy machine's scheduling delay
    # cannot make the second look no longer than the first.
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.5
    hook = register(client, alice, receiver.url)
    receiver.responses = [500, 503]
    publish_one(make_claim, alice, bob)
    delivery = WebhookDelivery.objects.get()
    wait_until(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == D.SUCCEEDED,
        timeout=30,
        message="delivery succeeded after retries",
    )

    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert [a["status_code"] for a in delivery.attempt_log] == [500, 503, 200]
    assert [a["attempt"] for a in delivery.attempt_log] == [1, 2, 3]
    assert "500" in delivery.attempt_log[0]["error"]
    assert delivery.last_error == "" and delivery.last_status_code == 200
    # Each attempt was signed afresh and waited longer than the one before.
    sent = [assert_signed(r, hook["secret"]) for r in receiver.requests]
    assert [s["attempt"] for s in sent] == [1, 2, 3]
    assert len({s["delivery"] for s in sent}) == 1
    times = [timezone.datetime.fromisoformat(a["at"]) for a in delivery.attempt_log]
    assert (times[2] - times[1]) > (times[1] - times[0]) * 1.2


# ---------------------------------------------------------------------------
# Without a worker: the task run eagerly, and the bookkeeping


@pytest.mark.django_db
def test_giving_up_after_the_last_attempt_then_retrying_by_hand(
    receiver, client, settings, make_claim, alice, bob, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    hook = register(client, alice, receiver.url)
    receiver.responses = [500, 500, 500]
    publish_one(make_claim, alice, bob)
    delivery = WebhookDelivery.objects.get()

    assert webhook_jobs.deliver_webhook.apply(args=[delivery.pk]).get() == "failed"
    delivery.refresh_from_db()
    assert delivery.status == D.FAILED and delivery.attempts == 3
    assert [a["status_code"] for a in delivery.attempt_log] == [500, 500, 500]
    assert delivery.last_status_code == 500 and "500" in delivery.last_error

    # Failed deliveries are visible through the API…
    headers = api_headers(alice)
    failed = client.get("/api/deliveries/", {"status": "failed"}, **headers).json()
    assert [d["id"] for d in failed["results"]] == [delivery.pk]
    per_hook = client.get(
        f"/api/webhooks/{hook['id']}/deliveries/", {"status": "failed"}, **headers
    ).json()
    assert per_hook["count"] == 1

    # …and can be retried there: one more attempt, which now succeeds.
    with django_capture_on_commit_callbacks() as callbacks:
        r = client.post(f"/api/deliveries/{delivery.pk}/retry/", **headers)
    assert r.status_code == 202 and r.json()["status"] == "pending"
    assert len(callbacks) == 1
    assert webhook_jobs.deliver_webhook.apply(args=[delivery.pk, False]).get() == "succeeded"
    delivery.refresh_from_db()
    assert delivery.status == D.SUCCEEDED and delivery.attempts == 4
    assert len(receiver.requests) == 4

    # A delivery that is not failed cannot be retried, and running it again sends nothing.
    r = client.post(f"/api/deliveries/{delivery.pk}/retry/", **headers)
    assert r.status_code == 409 and "failed" in r.json()["detail"]
    assert webhook_jobs.deliver_webhook.apply(args=[delivery.pk]).get() == "noop"
    assert len(receiver.requests) == 4


@pytest.mark.django_db
def test_a_manual_retry_from_the_admin(receiver, client, root, make_claim, alice, bob):
    Webhook.objects.create(url=receiver.url, created_by=alice)
    publish_one(make_claim, alice, bob)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=D.FAILED, attempts=6, last_error="Timeout"
    )
    client.force_login(root)
    page = client.get("/admin/claims/webhookdelivery/?status__exact=failed")
    assert page.status_code == 200 and b"Failed" in page.content
    r = client.post(
        "/admin/claims/webhookdelivery/",
        {"action": "retry_deliveries", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert r.status_code == 200 and b"Retrying 1 deliveries" in r.content
    delivery.refresh_from_db()
    assert delivery.status == D.PENDING


@pytest.mark.django_db
def test_editors_have_webhook_admin_permissions(alice, bob):
    assert alice.has_perm("claims.add_webhook") and alice.has_perm("claims.change_webhookdelivery")
    assert not bob.has_perm("claims.add_webhook")


@pytest.mark.django_db
def test_one_delivery_per_publication(receiver, make_claim, alice, bob):
    Webhook.objects.create(url=receiver.url, created_by=alice)
    Webhook.objects.create(url=receiver.url, active=False, created_by=alice)
    Webhook.objects.create(url=receiver.url, events=[], created_by=alice)
    claim = publish_one(make_claim, alice, bob)
    entry = ClaimLog.objects.get(claim=claim, action="claim.published")
    assert WebhookDelivery.objects.count() == 1  # only the active, subscribed hook
    assert webhooks.enqueue_claim_published(claim, entry) == []  # idempotent
    assert WebhookDelivery.objects.count() == 1

    workflow.reopen(claim, actor=alice, reason="New evidence.")
    workflow.propose_verdict(claim, actor=bob, rating="false", conclusion="Wrong after all.")
    workflow.sign_off(claim, actor=alice)
    workflow.publish(claim, actor=alice)
    # publication, withdrawal, corrected re-publication
    assert WebhookDelivery.objects.count() == 3
    assert (
        list(WebhookDelivery.objects.values_list("event", flat=True))
        == ["claim.published", "factcheck.withdrawn", "claim.published"][::-1]
    )
    latest = WebhookDelivery.objects.first()
    assert latest.payload["claimReview"]["reviewRating"]["alternateName"] == "False"


@pytest.mark.django_db
def test_webhooks_never_reach_private_addresses(receiver, client, settings, make_claim, alice, bob):
    settings.FETCH_ALLOW_PRIVATE = False
    r = client.post(
        "/api/webhooks/",
        json.dumps({"url": receiver.url}),
        content_type="application/json",
        **api_headers(alice),
    )
    assert r.status_code == 400 and "not allowed" in r.json()["detail"]
    for url in ("ftp://example.org/x", "http://user:pw@example.org/x"):
        r = client.post(
            "/api/webhooks/",
            json.dumps({"url": url}),
            content_type="application/json",
            **api_headers(alice),
        )
        assert r.status_code == 400, url

    # A hook saved before (or whose name now resolves inside) is refused at send time.
    Webhook.objects.create(url=receiver.url, created_by=alice)
    publish_one(make_claim, alice, bob)
    delivery = WebhookDelivery.objects.get()
    assert webhook_jobs.deliver_webhook.apply(args=[delivery.pk, False]).get() == "failed"
    delivery.refresh_from_db()
    assert "private or local" in delivery.last_error
    assert receiver.requests == []


@pytest.mark.django_db
def test_only_editors_manage_webhooks(receiver, client, alice, bob, dave):
    for user in (bob, dave):
        r = client.get("/api/webhooks/", **api_headers(user))
        assert r.status_code == 403 and r.json()["detail"]
    hook = register(client, alice, receiver.url, events=["claim.published"])
    listed = client.get("/api/webhooks/", **api_headers(alice)).json()["results"]
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0]  # shown once, at creation
    r = client.patch(
        f"/api/webhooks/{hook['id']}/",
        json.dumps({"active": False}),
        content_type="application/json",
        **api_headers(alice),
    )
    assert r.status_code == 200 and r.json()["active"] is False
    r = client.post(
        "/api/webhooks/",
        json.dumps({"url": receiver.url, "events": ["nope"]}),
        content_type="application/json",
        **api_headers(alice),
    )
    assert r.status_code == 400 and "events" in r.json()["errors"]
    assert client.delete(f"/api/webhooks/{hook['id']}/", **api_headers(alice)).status_code == 204
    assert not Webhook.objects.exists()


def test_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [webhooks.backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert webhooks.backoff(30) == webhooks.MAX_BACKOFF_SECONDS


@pytest.mark.django_db
def test_an_attempt_lost_with_its_worker_is_sent_again_after_its_lease(
    receiver, redis_server, alice, bob, make_claim, monkeypatch
):
    from datetime import timedelta

    hook = Webhook.objects.create(url=receiver.url, created_by=alice)
    claim = claim_in(S.APPROVED, make_claim, bob)
    workflow.publish(claim, actor=alice)
    delivery = WebhookDelivery.objects.get(webhook=hook)

    def worker_dies(*args):
        raise SystemExit("worker killed mid-POST")

    monkeypatch.setattr(webhooks, "_post", worker_dies)
    with pytest.raises(SystemExit):
        webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == D.PENDING and delivery.attempts == 1
    import redis

    from factcheck.celery import app

    redis_server.flush()
    queue = redis.Redis.from_url(app.conf.broker_url)
    assert webhook_jobs.send_due_webhook_deliveries() == 0  # still leased
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(minutes=3)
    )  # the lease ran out
    assert webhook_jobs.send_due_webhook_deliveries() == 1
    assert queue.llen("webhooks") == 1  # deliver_webhook is on its way again (its own queue)
    redis_server.flush()
