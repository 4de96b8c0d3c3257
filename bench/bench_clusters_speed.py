"""Cost of clustering on arrival with 100,000 stored claims: canonical facts, the
candidate lookup in the term index, the same-fact decision and the cluster writes,
per claim. Builds a throwaway SQLite database (or uses DATABASE_URL if set) of claims
made from the ClaimBuster debate sentences (varied with places and figures), all
inside the clustering window, then times arrivals: half reworded repeats of stored
claims, half unseen sentences.

    .venv/bin/python bench/bench_clusters_speed.py [--claims 100000] [--arrivals 300]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "checkworthiness" / "claimbuster" / "crowdsourced.csv"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--arrivals", type=int, default=300)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="fc-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["FACTCHECK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from claims.bulk import PreparedInsert
    from claims.extraction import facts
    from claims.models import Article, Claim, ClaimCluster
    from claims.review import clusters, matching

    call_command("migrate", verbosity=0)
    with open(DATA, newline="", encoding="utf-8") as fh:
        sentences = [row["Text"] for row in csv.DictReader(fh) if len(row["Text"]) > 40]
    rng = random.Random(7)
    rng.shuffle(sentences)
    held_out = sentences[:1000]  # never stored: the "new" arrivals
    pool = sentences[1000:]
    places = ["Ohio", "Texas", "Leeds", "Cardiff", "Ontario", "Lagos", "Pune", "Hamburg"]
    now = timezone.now()

    t0 = time.perf_counter()
    with transaction.atomic():
        article = Article.objects.create(title="bench", text="", content_hash="bench")
        for start in range(0, args.claims, 2000):
            claims, found = [], []
            for i in range(start, min(start + 2000, args.claims)):
                base = pool[i % len(pool)]
                text = base if i < len(pool) else f"{base} In {rng.choice(places)}, {i % 97} times."
                f = facts.canonical_facts(text)
                found.append(f)
                claims.append(
                    Claim(
                        article=article,
                        text=text,
                        start=0,
                        end=len(text),
                        sentence_index=i,
                        score=0.7,
                        facts=f.to_json(),
                        created_at=now - timezone.timedelta(minutes=rng.randrange(60 * 24 * 13)),
                    )
                )
            groups = ClaimCluster.objects.bulk_create([ClaimCluster(size=1) for _ in claims])
            for c, g in zip(claims, groups):
                c.cluster_id = g.pk
            Claim.objects.bulk_create(claims)
            matching.index_claims(
                claims,
                [matching.terms(c.text) | clusters.fact_terms(f) for c, f in zip(claims, found)],
            )
    build = time.perf_counter() - t0
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    stored = list(Claim.objects.order_by("?").values_list("text", flat=True)[: args.arrivals // 2])
    reworded = [
        t.replace(" percent", "%").replace("million", "m").replace(" the ", " ") for t in stored
    ]
    arrivals = reworded + held_out[: args.arrivals - len(reworded)]
    rng.shuffle(arrivals)
    from django.conf import settings

    settings.DEBUG = False  # as in production: no query log on the connection
    timings, cpu_ms, commit_ms, joined = [], [], [], 0
    article2 = Article.objects.create(title="arrivals", text="", content_hash="arrivals")
    for n, text in enumerate(arrivals):
        t, c = time.perf_counter(), time.process_time()
        f = facts.canonical_facts(text)
        terms = [matching.terms(text) | clusters.fact_terms(f)]
        plan = clusters.plan_arrivals([f], terms)
        claim = Claim(
            article=article2,
            text=text,
            start=0,
            end=len(text),
            sentence_index=n,
            score=0.7,
            facts=f.to_json(),
            created_at=timezone.now(),
        )
        # The claim's own insert, index terms and commit are the pipeline's cost
        # anyway; only what clustering adds inside the transaction is timed.
        with transaction.atomic():
            rows = PreparedInsert(Claim, [claim])
            new = clusters.store_arrivals([claim], plan, rows, now=timezone.now())
            t2, c2 = time.perf_counter(), time.process_time()
            rows.insert()
            matching.index_claims([claim], terms)
            t3, c3 = time.perf_counter(), time.process_time()
            clusters.link_arrivals([claim], new, now=timezone.now())
            t4, c4 = time.perf_counter(), time.process_time()
        timings.append((t2 - t + t4 - t3) * 1000)
        cpu_ms.append((c2 - c + c4 - c3) * 1000)
        commit_ms.append((time.perf_counter() - t4) * 1000)
        joined += plan[0].cluster_id is not None
    timings.sort()
    cpu_ms.sort()
    print(f"database              {connection.vendor}")
    print(f"claims stored         {args.claims:,} (all inside the window)")
    print(f"build + index         {build:.1f} s")
    print(f"arrivals              {len(timings)} ({len(reworded)} reworded repeats)")
    print(f"joined a cluster      {joined}")
    print(f"per claim p50         {statistics.median(timings):.1f} ms")
    print(f"per claim p95         {timings[int(len(timings) * 0.95) - 1]:.1f} ms")
    # On a shared machine wall-clock percentiles mostly measure the other processes;
    # the CPU time this process spent (SQLite runs inside it) does not.
    print(
        f"per claim CPU p50/p95 {statistics.median(cpu_ms):.1f} / {cpu_ms[int(len(cpu_ms) * 0.95) - 1]:.1f} ms"
    )
    print(f"(commit, not counted  p50 {statistics.median(commit_ms):.1f} ms)")


if __name__ == "__main__":
    main()
