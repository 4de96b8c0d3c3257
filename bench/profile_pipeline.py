"""Where a claim's time goes in the worker: the pipeline's tasks run in this
process under cProfile, as a worker child runs them (``Task.apply``: the app's
signal handlers included, the broker not).

Two batches of bench pages, as ``bench_pipeline.py`` submits them: in the first
every claim starts a cluster; in the second most join one (each copy states the
first copy's facts). The second is what a busy desk looks like, and the one
printed. CPU seconds, so a loaded machine slows the figures less than the clock.

    .venv/bin/python bench/profile_pipeline.py [--articles 40] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_pipeline import _pages  # noqa: E402
from local_redis import free_port, start_redis  # noqa: E402

# (label, module file suffix, function): cumulative time of each, per claim.
STAGES = (
    ("whole task, as a worker child runs it (Task.apply)", "celery/app/task.py", "apply"),
    ("  the task's body", "claims/jobs/pipeline.py", "extract_article_claims"),
    ("    take_lease", "claims/intake/lifecycle.py", "take_lease"),
    (
        "    extraction.analyse (sentences, scores, understanding)",
        "claims/extraction/__init__.py",
        "analyse",
    ),
    ("    _store (all of what follows)", "claims/intake/submission.py", "_store"),
    ("      facts.canonical_facts", "facts.py", "canonical_facts"),
    ("      matching.terms", "claims/review/matching.py", "terms"),
    ("      clusters.plan_arrivals (read-only)", "clusters.py", "plan_arrivals"),
    ("      triage.priority", "triage.py", "priority"),
    ("      PreparedInsert (building rows)", "claims/bulk.py", "__init__"),
    ("      lifecycle.mark_extracted", "claims/intake/lifecycle.py", "mark_extracted"),
    ("      clusters.store_arrivals", "clusters.py", "store_arrivals"),
    ("      PreparedInsert.insert (claims, log rows)", "claims/bulk.py", "insert"),
    ("      matching.index_claims", "claims/review/matching.py", "index_claims"),
    ("      clusters.link_arrivals", "clusters.py", "link_arrivals"),
    ("      triage.refresh_priorities", "triage.py", "refresh_priorities"),
    ("      workflow.assign_waiting_claims", "claims/review/workflow.py", "assign_waiting_claims"),
    ("      atomic blocks closing (commits, savepoints)", "django/db/transaction.py", "__exit__"),
    ("  app signal handlers: log line, metrics, context", "claims/ops/worker.py", "start_task"),
    ("  ", "claims/ops/worker.py", "finish_task"),
    (
        "  close_old_connections (before and after)",
        "django/db/__init__.py",
        "close_old_connections",
    ),
    ("send_notifications (whole task)", "claims/review/notifications.py", "send_due"),
    ("outbox.send (a nudge to the broker)", "claims/outbox.py", "send"),
)


def _cumulative(stats: pstats.Stats, suffix: str, name: str) -> tuple[float, int]:
    total, calls = 0.0, 0
    for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():
        if func == name and filename.endswith(suffix):
            total += ct
            calls += nc
    return total, calls


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--dump", help="write the second batch's profile here (for pstats)")
    ap.add_argument("--plain", action="store_true", help="no cProfile: CPU ms a claim only")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="profile-pipeline-"))
    port = free_port()
    os.environ.update(
        {
            "REDIS_URL": f"redis://127.0.0.1:{port}/0",
            "FACTCHECK_VAR_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "EMAIL_URL": "memorymail://",  # the worker's console emails, without the printing
        }
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-pipeline-" + "x" * 40)
    os.environ.setdefault("REVIEWER_DAILY_CAP", "1000000")
    redis_proc = start_redis(port, tmp)
    try:
        import django

        django.setup()
        import logging

        from django.core.management import call_command
        from django.db import connection

        from claims.intake import submission
        from claims.jobs import pipeline
        from claims.models import Article, Claim

        # The worker writes its log line per task to a file; here, to nowhere.
        logging.getLogger("factcheck.task").handlers = [logging.NullHandler()]
        logging.getLogger("factcheck.task").propagate = False
        call_command("migrate", verbosity=0)
        call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))
        time.sleep(0.2)

        for batch in range(2):
            ids = [
                submission.submit_article(actor=None, html=html).article.pk
                for html in _pages(args.articles, offset=batch * args.articles)
            ]
            c0 = Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            profile = cProfile.Profile(time.process_time)
            cpu0 = time.process_time()
            if not args.plain:
                profile.enable()
            for article_id in ids:
                pipeline.extract_article_claims.apply(args=(article_id,))
            pipeline.send_notifications.apply()
            profile.disable()
            cpu = time.process_time() - cpu0
            claims = Claim.objects.filter(pk__gt=c0)
            n = claims.count()
            attached = claims.filter(attached=True).count()
            done = Article.objects.filter(pk__in=ids, status=Article.Status.EXTRACTED).count()
        print(f"database   {connection.vendor}")
        profiled = "plain" if args.plain else "under cProfile"
        print(
            f"batch 2    {done} articles, {n} claims ({attached} attached to a cluster), "
            f"{cpu:.2f} CPU s in all: {cpu * 1000 / n:.2f} ms a claim, "
            f"{cpu * 1000 / len(ids):.1f} ms an article ({profiled})"
        )
        if args.plain:
            return 0
        stats = pstats.Stats(profile, stream=sys.stdout)
        if args.dump:
            stats.dump_stats(args.dump)
        print()
        print("| step | calls | ms per claim | share |")
        print("|---|---|---|---|")
        for label, suffix, name in STAGES:
            total, calls = _cumulative(stats, suffix, name)
            print(
                f"| {label.strip() or name} | {calls} | {total * 1000 / n:.3f} "
                f"| {total / cpu:.0%} |".replace("|  ", "| ")
            )
        print()
        stats.sort_stats("tottime").print_stats(args.top)
    finally:
        redis_proc.terminate()
        redis_proc.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
