"""What one ``/metrics`` scrape costs: p50/p95, queries and Redis commands per scrape,
as the desk grows and as the multiprocess registry collects files.

Builds a throwaway SQLite database (or the one DATABASE_URL names, e.g. a
pg_virtualenv) with claims spread over every status, a triage backlog, articles,
owed notifications and webhook deliveries, failing sources; a real Redis with
messages waiting in every queue, taken-but-unacked ones and worker and beat
heartbeats; and a PROMETHEUS_MULTIPROC_DIR holding the counter and histogram files
of the web's and the worker's processes (forked here, each counting every view or
every task as a real one would). Then it scrapes ``/metrics`` with the bearer token
through the Django test client, first at each claim count with a handful of
process files, then at the largest count with more and more files (a worker child
is replaced every CELERY_WORKER_MAX_TASKS_PER_CHILD tasks, a gunicorn worker on
every restart, and each leaves its files behind). The first processes stay alive
to the end, as a running desk's gunicorn workers and pool children do; the others
have ended, and a scrape folds their files into an archive
(``claims.ops.exposition.compact_ended_processes``).

    .venv/bin/python bench/bench_metrics.py [--claims 1000,10000,100000]
        [--processes 4,40,400] [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from local_redis import free_port, start_redis  # noqa: E402

TOKEN = "bench-metrics-token-" + "t" * 40
# A working desk: a big triage backlog from the monitored sources, most of the rest
# decided, a few hundred in the reviewers' hands.
CLAIM_MIX = {
    "triage": 0.40,
    "extracted": 0.05,
    "queued": 0.02,
    "assigned": 0.03,
    "in_review": 0.02,
    "proposed": 0.01,
    "approved": 0.01,
    "published": 0.16,
    "dismissed": 0.30,
}
ARTICLE_MIX = {"extracted": 0.9, "duplicate": 0.05, "failed": 0.04, "received": 0.01}
QUEUE_MESSAGES = {"extract": 120, "assign": 30, "notify": 10, "webhooks": 25, "celery": 3}


def percentiles(values):
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def spread(mix: dict[str, float], n: int, rng: random.Random) -> list[str]:
    names, weights = zip(*mix.items())
    return rng.choices(names, weights, k=n)


def grow_desk(n_claims: int, rng: random.Random) -> None:
    """Add claims (and articles, 20 claims each) until there are n_claims."""
    from django.utils import timezone

    from claims.models import Article, Claim

    have = Claim.objects.count()
    if have >= n_claims:
        return
    now = timezone.now()
    per_article = 20
    first = Article.objects.count()
    new = n_claims - have
    articles = Article.objects.bulk_create(
        (
            Article(
                title=f"Article {first + i}",
                text="x" * 200,
                content_hash=f"h{first + i}",
                status=status,
                submitted_at=now - timedelta(minutes=first + i),
            )
            for i, status in enumerate(spread(ARTICLE_MIX, -(-new // per_article), rng))
        ),
        batch_size=5000,
    )
    statuses = spread(CLAIM_MIX, new, rng)
    Claim.objects.bulk_create(
        (
            Claim(
                article=articles[i // per_article],
                sentence_index=i % per_article,
                text=f"The council said {i} libraries would close by 2031.",
                start=0,
                end=10,
                score=round(0.5 + rng.random() / 2, 4),
                status=status,
                held=status == "extracted" and rng.random() < 0.3,
                triage_priority=rng.random() if status == "triage" else 0,
            )
            for i, status in enumerate(statuses)
        ),
        batch_size=5000,
    )


def outbox_and_sources() -> None:
    from django.utils import timezone

    from claims.models import Notification, Source, Webhook, WebhookDelivery

    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            key=f"n{i}",
            recipient=f"reviewer{i % 4}@example.org",
            subject="Claims for you",
            due_at=now - timedelta(minutes=i % 90),
            sent_at=None if i % 10 == 0 else now,
        )
        for i in range(20_000)
    )
    hook = Webhook.objects.create(url="https://partner.example.org/hook")
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            webhook=hook,
            event="claim.published",
            key=f"d{i}",
            status="pending" if i % 50 == 0 else "succeeded",
        )
        for i in range(10_000)
    )
    Source.objects.bulk_create(
        Source(
            name=f"Outlet {i}",
            url=f"https://outlet{i}.example.org/rss",
            last_error="timed out" if i % 7 == 0 else "",
        )
        for i in range(40)
    )


def fill_redis(conn) -> None:
    """Messages waiting (some with a priority), two taken and running, heartbeats."""
    from claims.ops import health, heartbeat

    for queue, n in QUEUE_MESSAGES.items():
        for i in range(n):
            name = queue if i % 4 else f"{queue}{health._PRIORITY_SEPARATOR}3"
            conn.lpush(name, b'{"body": "' + b"x" * 600 + b'"}')
    for i in range(2):
        conn.hset("unacked", f"tag{i}", b"x" * 600)
    for host in ("celery@web-1", "celery@worker-1", "celery@worker-2"):
        heartbeat.record_worker(conn, host)
    heartbeat.record_beat_tick(conn)
    heartbeat.record_beat_run(conn)


def view_names() -> list[str]:
    from django.urls import get_resolver

    names = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                walk(p.url_patterns, ns)
            elif p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return sorted(names)


LIVE: list[tuple[int, int]] = []  # (pid, write end of the pipe it waits on)


def add_process_files(n: int, views: list[str], live: int = 0) -> None:
    """Fork n processes that count like gunicorn workers (every view answered) and
    Celery pool children (every task run), alternately; each writes its own files.
    The first ``live`` of them stay alive until ``end_live_processes``."""
    from claims import telemetry
    from factcheck.celery import app

    tasks = sorted(t for t in app.tasks if t.startswith("claims."))
    for k in range(n):
        stay = k < live
        if stay:
            r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                for _, other in LIVE:  # or the earlier ones would never see EOF
                    os.close(other)
                rng = random.Random(k)
                if k % 2 == 0:
                    for view in views:
                        for method, status in (("GET", "200"), ("GET", "302"), ("POST", "200")):
                            telemetry.HTTP_REQUESTS.labels(view, method, status).inc()
                        telemetry.HTTP_LATENCY.labels(view).observe(rng.random())
                    telemetry.HTTP_REQUESTS.labels("<unmatched>", "GET", "404").inc()
                else:
                    for task in tasks:
                        for state in ("succeeded", "failed", "retried"):
                            telemetry.TASKS.labels(task, state).inc()
                            telemetry.TASK_DURATION.labels(task, state).observe(rng.random())
                    telemetry.EXTRACTION_DURATION.observe(rng.random())
                    telemetry.SOURCE_POLLS.labels("ok").inc()
                if stay:
                    os.close(w)
                    os.read(r, 1)
            finally:
                os._exit(0)
        if stay:
            os.close(r)
            LIVE.append((pid, w))
        else:
            os.waitpid(pid, 0)


def end_live_processes() -> None:
    for pid, w in LIVE:
        os.close(w)
        os.waitpid(pid, 0)


def scrape(client, conn, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def redis_calls() -> int:
        return sum(v["calls"] for v in conn.info("commandstats").values())

    wall, cpu, queries, commands = [], [], [], []
    size = 0
    for _ in range(runs):
        before = redis_calls()
        with CaptureQueriesContext(connection) as q:
            t, c = time.perf_counter(), time.process_time()
            r = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        assert r.status_code == 200, r.status_code
        # INFO itself counts once: one call on each side of the scrape.
        commands.append(redis_calls() - before - 1)
        queries.append(len(q.captured_queries))
        size = len(r.content)
    assert b"factcheck_claims{" in r.content and b"factcheck_queue_depth{" in r.content
    return {
        "wall": percentiles(wall),
        "cpu": percentiles(cpu),
        "queries": max(queries),
        "commands": max(commands),
        "bytes": size,
        "sql": [s["sql"] for s in q.captured_queries],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", default="1000,10000,100000")
    parser.add_argument("--processes", default="4,40,400")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--show-queries", action="store_true")
    args = parser.parse_args()
    claim_steps = sorted(int(x) for x in args.claims.split(","))
    process_steps = sorted(int(x) for x in args.processes.split(","))

    tmp = Path(tempfile.mkdtemp(prefix="fc-bench-metrics-"))
    port = free_port()
    redis_proc = start_redis(port, tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["FACTCHECK_VAR_DIR"] = str(tmp)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(tmp / "prometheus")
    os.environ["METRICS_TOKEN"] = TOKEN
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    try:
        import django

        django.setup()
        import redis
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        call_command("migrate", verbosity=0)
        conn = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                conn.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        fill_redis(conn)
        outbox_and_sources()
        views = view_names()
        rng = random.Random(11)
        client = Client()
        print(
            f"/metrics with the token; {args.runs} scrapes a row; {connection.vendor}; "
            f"{len(views)} views; queues {QUEUE_MESSAGES}\n"
            f"process files: processes that have counted, the first {process_steps[0]} still "
            "running (files on disk after the scrapes); 1st: the first scrape after the "
            "others ended"
        )
        print(
            f"{'claims':>8} {'process files':>13} {'1st ms':>7} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'cpu p50':>7} {'cpu p95':>7} {'queries':>7} {'redis cmds':>10} {'bytes':>8}"
        )

        def row(n_claims, n_processes):
            # The first scrape after processes ended also folds their files.
            t = time.perf_counter()
            client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
            first = (time.perf_counter() - t) * 1000
            res = scrape(client, conn, args.runs)
            files = len(list(Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db")))
            print(
                f"{n_claims:>8} {f'{n_processes} ({files})':>13} {first:>7.0f} {res['wall'][0]:>7.1f} "
                f"{res['wall'][1]:>7.1f} {res['cpu'][0]:>7.1f} {res['cpu'][1]:>7.1f} "
                f"{res['queries']:>7} {res['commands']:>10} {res['bytes']:>8}",
                flush=True,
            )
            return res

        made = 0
        for n in claim_steps:
            grow_desk(n, rng)
            if made < process_steps[0]:
                add_process_files(process_steps[0] - made, views, live=process_steps[0])
                made = process_steps[0]
            res = row(n, made)
        for p in process_steps[1:]:
            add_process_files(p - made, views)
            made = p
            res = row(claim_steps[-1], made)
        if args.show_queries:
            print("\nqueries per scrape:")
            for sql in res["sql"]:
                print(" ", sql)
    finally:
        end_live_processes()
        redis_proc.terminate()
        redis_proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
