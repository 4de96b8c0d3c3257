"""Running it as a service: /healthz, /readyz, /metrics, request and task logs,
request ids into tasks, the worker and beat heartbeats, Sentry without personal data."""

from __future__ import annotations

import json
import logging
import time

import pytest
import redis as redis_lib
from django.test import Client
from sentry_sdk import transport as sentry_transport

from claims import outbox, telemetry
from claims.models import Notification, Source
from claims.ops import heartbeat, logs, sentry
from claims.ops import probe as probe_module
from factcheck.celery import app

from .conftest import wait_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(redis_server):
    redis_server.flush()
    return redis_lib.Redis.from_url(redis_server.url)


@pytest.fixture
def json_lines(caplog):
    """Every log record, as the JSON line the production formatter writes."""
    caplog.set_level(logging.INFO)
    formatter = logs.JsonFormatter()

    def lines(logger=None):
        return [
            json.loads(formatter.format(r))
            for r in list(caplog.records)
            if logger is None or r.name == logger
        ]

    return lines


# ---------------------------------------------------------------------------
# Health


def test_healthz_answers_without_a_login(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert "no-cache" in r["Cache-Control"]


def test_readyz_reports_database_redis_workers_beat_and_queues(client, broker):
    heartbeat.record_worker(broker, "celery@box")
    heartbeat.record_beat_tick(broker)
    heartbeat.record_beat_run(broker, time.time() - 30)
    broker.rpush("extract", b"x", b"y")
    broker.rpush("notify\x06\x163", b"z")  # a prioritised message counts in its queue

    r = client.get("/readyz")
    assert r.status_code == 200, r.content
    body = r.json()
    checks = body["checks"]
    assert body["status"] == "ok"
    assert checks["database"]["status"] == checks["redis"]["status"] == "ok"
    assert checks["workers"]["alive"] == 1
    assert checks["workers"]["last_heartbeat_age_seconds"] < 5
    assert checks["beat"]["last_tick_age_seconds"] < 5
    assert 29 <= checks["beat"]["last_run_age_seconds"] < 40
    assert checks["queues"]["depth"] == {
        "extract": 2,
        "assign": 0,
        "notify": 1,
        "webhooks": 0,
        "celery": 0,
    }


def test_readyz_is_degraded_but_ready_without_a_worker_or_beat(client, broker):
    body = client.get("/readyz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["workers"] == {
        **body["checks"]["workers"],
        "status": "stale",
        "alive": 0,
    }
    assert body["checks"]["beat"]["status"] == "stale"
    heartbeat.record_worker(broker, "celery@old", now=time.time() - 600)
    assert client.get("/readyz").json()["checks"]["workers"]["status"] == "stale"


def test_readyz_fails_when_redis_is_down_and_leaks_no_secret(client, redis_server):
    secret_url = f"redis://:hunter2-secret@127.0.0.1:{redis_server.port + 1}/0"
    original = app.conf.broker_url
    app.conf.broker_url = secret_url
    try:
        r = client.get("/readyz")
    finally:
        app.conf.broker_url = original
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "error"
    assert body["checks"]["redis"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    text = r.content.decode()
    for leak in ("hunter2", "redis://", "127.0.0.1", str(redis_server.port + 1), "Error 111"):
        assert leak not in text


# ---------------------------------------------------------------------------
# Metrics


def test_metrics_are_closed_without_a_token_or_an_allowed_address(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get("/metrics").status_code == 403
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Token s3cret-token").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-tokén").status_code == 403
    r = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/plain")


def test_metrics_allow_listed_addresses_through_the_trusted_proxy_rule(client, settings):
    import ipaddress

    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = [ipaddress.ip_network("10.0.0.0/8")]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 403
    # A client cannot claim an allowed address through X-Forwarded-For with no proxy.
    r = client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert r.status_code == 403


def scrape(client, settings) -> str:
    settings.METRICS_TOKEN = "t" * 32
    r = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "t" * 32)
    assert r.status_code == 200
    return r.content.decode()


def sample(text: str, name: str, **labels) -> float | None:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return None


def test_metrics_expose_the_desk(client, settings, broker, make_claim, alice):
    from datetime import timedelta

    from django.utils import timezone

    make_claim(status="queued")
    make_claim(status="queued")
    make_claim(status="published")
    make_claim(status="triage")
    Notification.objects.create(
        key="n1",
        recipient="x@example.org",
        subject="s",
        due_at=timezone.now() - timedelta(seconds=120),
    )
    broker.rpush("webhooks", b"m")
    heartbeat.record_worker(broker, "celery@box")
    client.force_login(alice)
    client.get("/")  # a request to count
    client.logout()

    text = scrape(client, settings)
    assert sample(text, "factcheck_claims", status="queued") == 2
    assert sample(text, "factcheck_claims", status="published") == 1
    assert sample(text, "factcheck_claims", status="dismissed") == 0
    assert sample(text, "factcheck_queue_depth", queue="webhooks") == 1
    assert sample(text, "factcheck_queue_depth", queue="extract") == 0
    assert 115 < sample(text, "factcheck_outbox_oldest_unsent_age_seconds", outbox="notification")
    assert sample(text, "factcheck_outbox_oldest_unsent_age_seconds", outbox="webhook") == 0
    assert sample(text, "factcheck_workers_alive") == 1
    assert sample(text, "factcheck_dependency_up", dependency="redis") == 1
    assert (
        sample(
            text, "factcheck_http_requests_total", view="claims:desk", method="GET", status="200"
        )
        >= 1
    )
    assert sample(text, "factcheck_http_request_duration_seconds_count", view="claims:desk") >= 1
    # The claims waiting in triage; the statuses counted are a setting.
    assert sample(text, "factcheck_triage_backlog") == 1
    settings.METRICS_TRIAGE_STATUSES = ["queued", "no-such-status"]
    assert sample(scrape(client, settings), "factcheck_triage_backlog") == 2


def test_metrics_survive_redis_being_down(client, settings, redis_server):
    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{redis_server.port + 1}/0"
    try:
        text = scrape(client, settings)
    finally:
        app.conf.broker_url = original
    assert sample(text, "factcheck_dependency_up", dependency="redis") == 0
    assert sample(text, "factcheck_dependency_up", dependency="database") == 1


# ---------------------------------------------------------------------------
# Logs and request ids


def test_one_json_line_per_request_with_its_request_id_and_claim(
    client, json_lines, make_claim, alice
):
    claim = make_claim(status="queued")
    client.force_login(alice)
    r = client.get(f"/claims/{claim.pk}/", HTTP_X_REQUEST_ID="edge-1234")
    assert r.status_code == 200 and r["X-Request-ID"] == "edge-1234"
    (line,) = json_lines("factcheck.request")
    assert line["request_id"] == "edge-1234"
    assert line["claim_id"] == claim.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", f"/claims/{claim.pk}/", 200)
    assert line["view"] == "claims:claim" and line["user_id"] == alice.pk
    assert line["duration_ms"] > 0 and line["level"] == "INFO"


def test_a_request_id_is_made_when_none_or_a_bad_one_is_offered(client, json_lines):
    a = client.get("/accounts/login/")["X-Request-ID"]
    b = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")["X-Request-ID"]
    assert len(a) == len(b) == 32 and a != b and "Evil" not in b
    assert [line["request_id"] for line in json_lines("factcheck.request")] == [a, b]
    assert not json_lines("factcheck.request") or client.get("/healthz")
    assert len(json_lines("factcheck.request")) == 2  # probes are counted, not logged


def test_text_format_is_readable():
    formatter = logs.TextFormatter()
    with telemetry.scope(request_id="r1", article_id=7):
        record = logging.getLogger("x").makeRecord(
            "x", logging.INFO, "f", 1, "hello %s", ("world",), None
        )
    text = formatter.format(record)  # later, elsewhere: the ids came with the record
    assert "hello world" in text and "request_id=r1" in text and "article_id=7" in text


def test_the_request_id_travels_into_the_task_it_enqueues(broker):
    with telemetry.scope(request_id="req-42"):
        outbox.send(outbox.SEND_NOTIFICATIONS)
    outbox.send(outbox.SEND_NOTIFICATIONS)
    first, second = (json.loads(m) for m in broker.lrange("notify", 0, -1)[::-1])
    assert first["headers"][telemetry.REQUEST_ID_HEADER] == "req-42"
    assert telemetry.REQUEST_ID_HEADER not in second["headers"]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_task_logs_one_line_with_its_ids_and_counts_its_duration(
    celery_worker, json_lines, settings, client
):
    from claims.models import Article

    article = Article.objects.create(title="t", text="x", status=Article.Status.FAILED)
    before = telemetry.TASKS.labels("claims.jobs.pipeline.extract_article_claims", "succeeded")
    before = before._value.get()
    with telemetry.scope(request_id="req-from-the-web"):
        outbox.send(outbox.EXTRACT_ARTICLE, article.pk)
    line = wait_until(
        lambda: next(iter(json_lines("factcheck.task")), None), message="the task's log line"
    )
    assert line["task"] == "claims.jobs.pipeline.extract_article_claims"
    assert line["request_id"] == "req-from-the-web"
    assert line["article_id"] == article.pk
    assert line["task_id"] and line["state"] == "succeeded" and line["duration_ms"] >= 0
    text = scrape(client, settings)
    count = sample(
        text,
        "factcheck_celery_tasks_total",
        task="claims.jobs.pipeline.extract_article_claims",
        state="succeeded",
    )
    assert count == before + 1
    assert (
        sample(
            text,
            "factcheck_celery_task_duration_seconds_count",
            task="claims.jobs.pipeline.extract_article_claims",
            state="succeeded",
        )
        >= 1
    )


# ---------------------------------------------------------------------------
# Heartbeats and the container probes


def test_beat_records_its_ticks_and_runs(broker, transactional_db):
    from claims.ops.beat import RecordingScheduler

    scheduler = RecordingScheduler(app=app, lazy=True)
    scheduler._mark(heartbeat.record_beat_tick)
    assert heartbeat.age_of(broker, heartbeat.BEAT_TICK) < 5
    assert heartbeat.age_of(broker, heartbeat.BEAT_LAST_RUN) is None


def test_probes_say_whether_this_worker_and_beat_are_fresh(broker, redis_server, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    monkeypatch.setenv("HOSTNAME", "box1")
    assert probe_module.main(["worker"]) == 1
    assert probe_module.main(["beat"]) == 1
    heartbeat.record_worker(broker, "celery@box2")  # another container's worker
    assert probe_module.main(["worker"]) == 1
    heartbeat.record_worker(broker, "celery@box1")
    heartbeat.record_beat_tick(broker)
    assert probe_module.main(["worker"]) == 0
    assert probe_module.main(["beat"]) == 0
    heartbeat.record_beat_tick(broker, now=time.time() - 3600)
    assert probe_module.main(["beat"]) == 1
    assert probe_module.main(["nonsense"]) == 2


# ---------------------------------------------------------------------------
# Sentry


class CapturingTransport(sentry_transport.Transport):
    """Sentry's transport, keeping envelopes instead of sending them anywhere."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope.serialize().decode("utf-8", "replace"))


@pytest.fixture
def sentry_capture(settings):
    import sentry_sdk
    from django.urls import clear_url_caches, path

    import factcheck.urls

    def boom(request):
        raise RuntimeError(f"could not notify {request.user.email}")

    transport = CapturingTransport()
    sentry.init("https://public@sentry.example.invalid/1", transport=transport)
    factcheck.urls.urlpatterns.insert(0, path("boom/", boom))
    clear_url_caches()
    yield transport
    factcheck.urls.urlpatterns.pop(0)
    clear_url_caches()
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off again


def test_no_dsn_means_no_reporting():
    assert sentry.init("") is None


def test_errors_reach_sentry_without_personal_data(sentry_capture, alice):
    import sentry_sdk

    alice.email = "alice.private@example.org"
    alice.save()
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    client.cookies["tracking"] = "cookie-value-123"
    r = client.get(
        "/boom/?q=alice.private@example.org",
        REMOTE_ADDR="203.0.113.77",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        HTTP_AUTHORIZATION="Token secret-api-token",
    )
    assert r.status_code == 500
    sentry_sdk.flush()
    sent = "\n".join(sentry_capture.envelopes)
    assert "RuntimeError" in sent and "could not notify [email]" in sent  # it was reported
    for private in (
        "alice.private@example.org",
        "example.org",
        "203.0.113.77",
        "198.51.100.9",
        "cookie-value-123",
        client.cookies["sessionid"].value,
        "secret-api-token",
        '"username"',
    ):
        assert private not in sent, private


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_prefork_worker_beats_and_exports_its_pool_childrens_metrics(
    prefork_worker, broker, tmp_path, client
):
    """A real ``celery worker -P prefork``: its heartbeat reaches /readyz, its tasks run
    in pool children and its exporter adds their counters up; a shutdown says goodbye."""
    import socket
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    worker = prefork_worker(
        METRICS_WORKER_PORT=str(port),
        METRICS_TOKEN="worker-token",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prom"),
        WORKER_HEARTBEAT_SECONDS="1",
    )
    wait_until(lambda: heartbeat.worker_ages(broker), timeout=30, message="a heartbeat")
    assert client.get("/readyz").json()["checks"]["workers"]["alive"] == 1

    def scrape_worker(token="worker-token"):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=5) as r:
            return r.read().decode()

    with pytest.raises(urllib.error.HTTPError) as refused:
        scrape_worker("wrong")
    assert refused.value.code == 403

    for _ in range(3):
        outbox.send(outbox.SEND_NOTIFICATIONS)
    name = "claims.jobs.pipeline.send_notifications"
    wait_until(
        lambda: (
            sample(scrape_worker(), "factcheck_celery_tasks_total", task=name, state="succeeded")
            == 3
        ),
        timeout=30,
        message="three tasks counted across the pool children",
    )
    assert sample(scrape_worker(), "factcheck_claims", status="queued") is None  # web's job
    worker.stop()
    assert heartbeat.worker_ages(broker) == {}


def test_sentry_is_told_not_to_collect_personal_data(sentry_capture):
    import sentry_sdk

    options = sentry_sdk.get_client().options
    assert options["send_default_pii"] is False
    assert options["include_local_variables"] is False
    assert options["before_send"] is sentry.scrub


def test_extraction_and_source_polls_are_counted(alice, seed_html, loopback, settings, make_claim):
    from claims.intake import sources, submission

    settings.FETCH_ALLOW_PRIVATE = True

    def count(metric, **labels):
        return metric.labels(**labels)._value.get() if labels else metric._sum.get()

    extracted_before = telemetry.EXTRACTION_DURATION._sum.get()
    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(article)
    assert telemetry.EXTRACTION_DURATION._sum.get() > extracted_before

    site = loopback()
    site.routes["/feed.xml"] = lambda handler: (
        200,
        {"Content-Type": "application/rss+xml"},
        b"<rss version='2.0'><channel><title>t</title></channel></rss>",
    )
    ok, failed = (
        count(telemetry.SOURCE_POLLS, outcome="ok"),
        count(telemetry.SOURCE_POLLS, outcome="failed"),
    )
    good = Source.objects.create(name="good", url=site.base + "/feed.xml")
    bad = Source.objects.create(name="bad", url=site.base + "/missing.xml")
    sources.poll_source(good)
    sources.poll_source(bad)
    assert count(telemetry.SOURCE_POLLS, outcome="ok") == ok + 1
    assert count(telemetry.SOURCE_POLLS, outcome="failed") == failed + 1
