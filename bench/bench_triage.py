"""The triage inbox at scale: p50/p95 of the "To triage" page with 100,000 claims waiting.

Builds a throwaway SQLite database with 100,000 claims in triage from 20 monitored
sources over 6 beats (and 20,000 past triage, in every other state), with real sentences and speakers from the ClaimBuster debate
set (../shared/data/checkworthiness), each ranked by the real
``claims.review.triage.priority``, plus 4 reviewers with open work. Then it signs in
as an editor and times the page through the Django test client: the whole inbox, each
filter, a later page, and the POST of a bulk accept of 50.

    .venv/bin/python bench/bench_triage.py [--claims 100000] [--runs 40]

Goal (issue 17): p95 ≤ 150 ms for the inbox with 100,000 claims waiting.
"""

from __future__ import annotations

import argparse
import csv
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
DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "claimbuster" / "crowdsourced.csv"
BEATS = ["politics", "health", "economy", "crime", "climate", "education"]


def sentences():
    """(text, speaker, title) from the ClaimBuster debates, or generated if absent."""
    if DATA.exists():
        with DATA.open(encoding="utf-8") as f:
            rows = [
                (r["Text"], r["Speaker"], r["Speaker_title"])
                for r in csv.DictReader(f)
                if len(r["Text"]) > 40
            ]
        if rows:
            return rows
    words = "inflation wages taxes crime hospitals schools housing energy budget".split()
    rng = random.Random(3)
    return [
        (" ".join(rng.choice(words) for _ in range(12)) + " rose 4%.", "", "") for _ in range(5000)
    ]


def build(n_claims: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from claims.models import Article, Claim, ClaimLog, Source
    from claims.review import triage

    rng = random.Random(7)
    User = get_user_model()
    editor = User.objects.create_user("alice", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    for name in ("bob", "carol", "erin", "frank"):
        User.objects.create_user(name, password="x").groups.add(Group.objects.get(name="Reviewers"))
    sources = Source.objects.bulk_create(
        Source(
            name=f"Outlet {i}",
            url=f"https://outlet{i}.example.org/rss",
            beat=BEATS[i % len(BEATS)],
            beat_weight=rng.choice([0.8, 1.0, 1.0, 1.5]),
        )
        for i in range(20)
    )
    per_article = 20
    now = timezone.now()
    articles = Article.objects.bulk_create(
        (
            Article(
                title=f"Article {i}",
                publisher=f"Outlet {i % 20}",
                text="x" * 200,
                content_hash=f"h{i}",
                status="extracted",
                monitored_source=sources[i % 20],
                submitted_at=now - timedelta(minutes=i),
            )
            for i in range(n_claims // per_article)
        ),
        batch_size=5000,
    )
    pool = sentences()
    claims = []
    for i in range(n_claims):
        text, speaker, title = pool[i % len(pool)]
        article = articles[i // per_article]
        source = sources[(i // per_article) % 20]
        claim = Claim(
            article=article,
            sentence_index=i % per_article,
            text=f"{title} {speaker} said: {text}" if title and i % 3 == 0 else text,
            start=0,
            end=10,
            score=round(0.5 + rng.random() / 2, 4),
            speaker=speaker,
            status=Claim.Status.TRIAGE,
            source=source,
            beat=source.beat,
            created_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 7)),
        )
        ranking = triage.priority(
            triage.signals_for(
                claim, (rng.choice([1, 1, 1, 2, 3]), rng.choice([0, 0, 1])), source.beat_weight
            )
        )
        claim.triage_priority, claim.triage_reasons = ranking.value, ranking.reasons
        claims.append(claim)
    # The rest of a working desk: claims past triage, in every other state.
    others = [s for s in Claim.Status.values if s != Claim.Status.TRIAGE]
    extra = Article.objects.create(title="Earlier", content_hash="earlier", status="extracted")
    claims += [
        Claim(
            article=extra,
            sentence_index=i,
            text=pool[i % len(pool)][0],
            start=0,
            end=10,
            score=0.8,
            status=others[i % len(others)],
        )
        for i in range(n_claims // 5)
    ]
    Claim.objects.bulk_create(claims, batch_size=5000)
    ClaimLog.objects.bulk_create(
        (
            ClaimLog(claim_id=pk, action="claim.extracted", to_status="triage")
            for pk in Claim.objects.values_list("id", flat=True).iterator()
        ),
        batch_size=5000,
    )
    return editor, sources


def percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def timed(client, url, runs):
    """Wall-clock and CPU (this process: Django and SQLite alike) milliseconds per GET.
    On a shared machine the wall clock includes waiting for a core; CPU time does not."""
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return (*percentiles(wall), *percentiles(cpu))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument(
        "--keep", metavar="PATH", help="keep the database at PATH and reuse it on the next run"
    )
    parser.add_argument("--slowest", action="store_true", help="print each page's slowest query")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="fc-bench-triage-")
    db = Path(args.keep) if args.keep else Path(tmp) / "bench.sqlite3"
    reuse = db.exists()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["FACTCHECK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("DEBUG", "true")  # development settings, as bench_claim_list.py
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    try:
        call_command("migrate", verbosity=0)
        from django.contrib.auth import get_user_model

        from claims.models import Claim, Source

        if reuse:
            editor = get_user_model().objects.get(username="alice")
            sources = list(Source.objects.order_by("id"))
        else:
            t0 = time.perf_counter()
            editor, sources = build(args.claims)
            print(f"built {args.claims:,} claims in triage in {time.perf_counter() - t0:.1f}s")
        waiting = Claim.objects.filter(status="triage").count()
        print(f"{waiting:,} claims waiting in triage ({connection.vendor})")

        client = Client()
        client.force_login(editor)
        cases = [
            ("inbox, highest priority first", "/triage/"),
            ("source=Outlet 3", f"/triage/?source={sources[3].pk}"),
            ("beat=health", "/triage/?beat=health"),
            ("min score 0.9", "/triage/?min_score=0.9"),
            ("claimant 'obama'", "/triage/?claimant=obama"),
            ("beat + min score 0.95", "/triage/?beat=climate&min_score=0.95"),
            ("page 20", "/triage/?page=20"),
        ]
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            f"\n{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8} {'queries':>8}"
        )
        for label, url in cases:
            client.get(url)  # warm
            p50, p95, cpu50, cpu95 = timed(client, url, args.runs)
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            print(
                f"{label:32} {p50:8.1f} {p95:8.1f} {cpu50:8.1f} {cpu95:8.1f} "
                f"{len(ctx.captured_queries):8d}"
            )
            if args.slowest:
                for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                    print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
        if args.keep:
            return  # the bulk accepts below would change the kept database
        batches = []
        for _ in range(5):
            ids = list(
                Claim.objects.filter(status="triage")
                .order_by("?")
                .values_list("id", flat=True)[:50]
            )
            batches.append(ids)
        times = []
        for ids in batches:
            t = time.perf_counter()
            r = client.post("/triage/", {"ids": ids, "bulk": "accept"})
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 302
        p50, p95 = percentiles(times)
        print(f"{'bulk accept of 50 (POST)':32} {p50:8.1f} {p95:8.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
