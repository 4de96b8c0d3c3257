"""The pipeline bench's ceiling is bare Celery with the app worker's settings.

``bench/bare_celery.py`` must run no-op tasks with no Django and no app code in
its worker, yet pay for everything the app's worker config makes a task cost
(prefetch, acks_late, serializer, transport options, child recycling, time
limits): otherwise the ratio in docs/benchmarks.md measures the wrong thing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis as redis_lib
from django.conf import settings

from bench import bare_celery
from factcheck.celery import app as factcheck_app

from .conftest import wait_until

ROOT = Path(__file__).resolve().parent.parent

# Each is a setting of the app's worker that changes what a task costs.
SAME_AS_THE_APP = (
    "worker_prefetch_multiplier",
    "task_acks_late",
    "task_reject_on_worker_lost",
    "task_ignore_result",
    "result_backend",
    "task_serializer",
    "accept_content",
    "worker_max_tasks_per_child",
    "worker_max_memory_per_child",
    "worker_hijack_root_logger",
    "worker_cancel_long_running_tasks_on_connection_loss",
)


@pytest.mark.parametrize("name", SAME_AS_THE_APP)
def test_the_bare_app_has_the_app_workers_setting(name):
    assert bare_celery.app.conf[name] == factcheck_app.conf[name]


def test_the_bare_app_has_the_app_workers_broker_transport_options():
    # From settings: the test session lowers the app's retries on app.conf.
    assert bare_celery.app.conf.broker_transport_options == settings.CELERY_BROKER_TRANSPORT_OPTIONS


def test_the_bare_no_op_has_the_time_limits_the_app_gives_a_no_op():
    limits = factcheck_app.conf.task_annotations["*"]
    assert bare_celery.app.conf.task_soft_time_limit == limits["soft_time_limit"]
    assert bare_celery.app.conf.task_time_limit == limits["time_limit"]


@pytest.fixture
def bare_worker(redis_server, tmp_path):
    """The bare worker as the bench starts it, but with DJANGO_SETTINGS_MODULE left
    in its environment, where Celery's Django fixup would pick it up."""
    redis_server.flush()
    url = redis_server.url.rsplit("/", 1)[0] + "/1"
    app = bare_celery.app
    app.conf.broker_url = url
    log_path = tmp_path / "bare-worker.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bench.bare_celery",
                "worker",
                "-P",
                "prefork",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "BARE_CELERY_BROKER_URL": url,
                "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: app.control.ping(timeout=0.5), timeout=60, message="bare worker ping")
        yield app, redis_lib.Redis.from_url(url)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        print(log_path.read_text(errors="replace")[-4000:])


def test_the_bare_worker_loads_neither_django_nor_the_app(bare_worker):
    app, _ = bare_worker
    replies = app.control.broadcast("bare_modules", reply=True, timeout=5)
    assert replies, "the bare worker did not answer"
    assert [reply["loaded"] for r in replies for reply in r.values()] == [[]]


def test_the_bare_worker_runs_and_acknowledges_every_no_op(bare_worker):
    app, client = bare_worker
    with app.producer_or_acquire() as producer:
        for _ in range(50):
            app.send_task(bare_celery.NOOP, producer=producer)
    wait_until(
        lambda: client.llen(bare_celery.QUEUE) == 0 and not client.hlen("unacked"),
        timeout=30,
        message="the bare queue drained and acknowledged",
    )
    stats = app.control.inspect(timeout=5).stats()
    assert [s["total"] for s in stats.values()] == [{bare_celery.NOOP: 50}]
