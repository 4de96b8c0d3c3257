"""Load on loopback: gunicorn + Redis + 2 Celery workers, editors and reviewers over HTTP.

Editors submit articles through the API while reviewers list their claims and
start reviewing them, all at once. Reports requests/s, p50/p95/p99 latency and
5xx responses, then checks the database for lost, duplicated and stuck claims.
With ``--faults`` it SIGKILLs one worker (and starts a replacement) and restarts
Redis without persistence in the middle of the run. Bounded: ``--articles``
submissions in all, and a ``--timeout`` on everything.

    pg_virtualenv -t -v 15 sh -c 'DATABASE_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" \
        .venv/bin/python bench/bench_load.py [--faults]'

Without DATABASE_URL it runs on SQLite (a file in a temp dir). The script plays
beat, running the sweep every two seconds with short thresholds.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import local_redis  # noqa: E402
from bench_pipeline import _pages  # noqa: E402

FAST = {
    "ARTICLE_LEASE_SECONDS": "20",
    "EXTRACT_SOFT_TIME_LIMIT": "15",
    "EXTRACT_HARD_TIME_LIMIT": "18",
    "SWEEP_ENQUEUED_AFTER_SECONDS": "10",
    "SWEEP_CLAIMS_AFTER_SECONDS": "10",
    "NOTIFY_LEASE_SECONDS": "10",
    "NOTIFY_RETRY_BASE_SECONDS": "1",
    "API_WRITE_RATE": "100000/min",
}


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.codes = [], {}

    def record(self, seconds, code):
        with self.lock:
            self.latencies.append(seconds)
            self.codes[code] = self.codes.get(code, 0) + 1


def _request(base, token, method, path, stats, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        base + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            payload, code = resp.read(), resp.status
    except urllib.error.HTTPError as exc:
        payload, code = exc.read(), exc.code
    except OSError:
        payload, code = b"", 599  # no answer at all counts as a server failure
    stats.record(time.perf_counter() - t, code)
    try:
        return code, json.loads(payload or b"null")
    except ValueError:
        return code, None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--editors", type=int, default=3)
    ap.add_argument("--faults", action="store_true")
    ap.add_argument("--timeout", type=float, default=300)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    redis_port, web_port = local_redis.free_port(), local_redis.free_port()
    os.environ.update(FAST)
    os.environ.update(
        {
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "FACTCHECK_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "EMAIL_URL": "consolemail://",
            "DEBUG": "false",
            "SECRET_KEY": "bench-load-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}")

    def start_redis():
        return local_redis.start_redis(redis_port, tmp)

    log = open(tmp / "processes.log", "ab")  # noqa: SIM115 (closed below)

    def start_worker(n):
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "factcheck",
                "worker",
                "-P",
                "prefork",
                "-c",
                "1",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"load{n}-{time.monotonic_ns()}@%h",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    procs = {"redis": start_redis()}
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count
        from knox.models import AuthToken

        from claims.jobs import pipeline
        from claims.models import Article, Claim, ClaimLog, Notification

        call_command("migrate", verbosity=0)
        call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))
        from django.contrib.auth import get_user_model

        users = {u.username: u for u in get_user_model().objects.all()}
        tokens = {name: AuthToken.objects.create(u)[1] for name, u in users.items()}  # knox
        procs["web"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "factcheck.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{web_port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs["worker1"], procs["worker2"] = start_worker(1), start_worker(2)
        base = f"http://127.0.0.1:{web_port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/", timeout=2)
                break
            except urllib.error.HTTPError:  # it answers: up
                break
            except OSError:
                time.sleep(0.2)

        stats = Stats()
        pages = _pages(args.articles)
        done = threading.Event()
        deadline = time.monotonic() + args.timeout

        def editor(i):
            for html in pages[i :: args.editors]:
                _request(base, tokens["editor"], "POST", "/api/articles/", stats, {"html": html})

        def reviewer(name):
            while not done.is_set() and time.monotonic() < deadline:
                code, page = _request(
                    base, tokens[name], "GET", "/api/claims/?assignee=me&status=assigned", stats
                )
                rows = (page or {}).get("results", []) if isinstance(page, dict) else []
                for row in rows[:5]:
                    _request(
                        base,
                        tokens[name],
                        "POST",
                        f"/api/claims/{row['id']}/actions/start_review/",
                        stats,
                        {"version": row["version"]},
                    )
                if not rows:
                    time.sleep(0.2)

        def beat():
            while not done.is_set():
                pipeline.sweep_stuck_work()
                time.sleep(2)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=editor, args=(i,)) for i in range(args.editors)]
        threads += [threading.Thread(target=reviewer, args=(n,)) for n in ("reviewer", "reviewer2")]
        threads.append(threading.Thread(target=beat, daemon=True))
        for t in threads:
            t.start()
        if args.faults:
            time.sleep(4)
            os.killpg(procs["worker1"].pid, signal.SIGKILL)
            procs["worker1"].wait()
            procs["worker1"] = start_worker(3)
            time.sleep(2)
            procs["redis"].terminate()
            procs["redis"].wait()
            procs["redis"] = start_redis()
        for t in threads[: args.editors]:
            t.join()

        def settled():
            return (
                not Article.objects.exclude(
                    status__in=["extracted", "failed", "duplicate"]
                ).exists()
                and not Claim.objects.filter(
                    held=False, assignee=None, status__in=["extracted", "queued"]
                ).exists()
                and not Notification.objects.filter(sent_at=None).exists()
                and not Claim.objects.filter(status="assigned").exists()
            )

        while not settled() and time.monotonic() < deadline:
            time.sleep(0.5)
        done.set()
        for t in threads[args.editors : -1]:
            t.join()
        elapsed = time.perf_counter() - t0

        lat = sorted(stats.latencies)
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
        fivexx = sum(n for code, n in stats.codes.items() if code >= 500)
        submitted = stats.codes.get(201, 0)
        lost = max(submitted - Article.objects.count(), 0)
        lost += Claim.objects.filter(
            held=False, assignee=None, status__in=["extracted", "queued"]
        ).count()
        dup_sentences = (
            Claim.objects.values("article_id", "sentence_index")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        dup_assigned = (
            ClaimLog.objects.filter(action="claim.assigned")
            .values("claim_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        dup_notes = (
            Notification.objects.values("key").annotate(n=Count("id")).filter(n__gt=1).count()
        )
        stuck = Article.objects.exclude(status__in=["extracted", "failed", "duplicate"]).count()
        stuck += Notification.objects.filter(sent_at=None).count()
        print(
            f"database          {connection.vendor}; gunicorn -w 2; 2 workers (prefork -c 1)"
            + ("; faults: worker SIGKILL + Redis restart" if args.faults else "")
        )
        print(
            f"articles          {args.articles} by {args.editors} editors; "
            f"{Claim.objects.count()} claims; 2 reviewers"
        )
        print(f"requests          {len(lat)} in {elapsed:.1f} s = {len(lat) / elapsed:.1f} req/s")
        print(
            f"latency           p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
            f"p99 {q[98] * 1000:.0f} ms"
        )
        print(f"status codes      {dict(sorted(stats.codes.items()))}")
        print(f"5xx               {fivexx}")
        print(f"lost              {lost}")
        print(
            f"duplicated        {dup_sentences + dup_assigned + dup_notes} "
            f"(sentences {dup_sentences}, assignments {dup_assigned}, notifications {dup_notes})"
        )
        print(f"stuck             {stuck}")
        failed = list(Article.objects.filter(status="failed").values_list("error", flat=True))
        if failed:
            print(f"failed articles   {len(failed)}: {failed[:3]}")
    finally:
        for name in ("web", "worker1", "worker2"):
            p = procs.get(name)
            if p and p.poll() is None:
                p.terminate()
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
        procs["redis"].terminate()
        log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
