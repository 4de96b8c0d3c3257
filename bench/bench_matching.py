"""Claim matching at scale: lookup time of ``similar_claims`` with 100,000 stored claims.

Builds a throwaway SQLite database (or uses DATABASE_URL if set), fills it with
claims made from the ClaimBuster debate sentences (varied to reach the target
size), indexes them, and times lookups for sentences drawn from the same pool.

    .venv/bin/python bench/bench_matching.py [--claims 100000] [--queries 200]
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
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data", default=str(DATA))
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="fc-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["FACTCHECK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("DEBUG", "true")  # development settings (DEBUG defaults to off)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from claims.models import Article, Claim, ClaimTerm
    from claims.review import matching

    call_command("migrate", verbosity=0)
    with open(args.data, newline="", encoding="utf-8") as fh:
        sentences = [row["Text"] for row in csv.DictReader(fh) if len(row["Text"]) > 40]
    rng = random.Random(7)
    places = ["Ohio", "Texas", "Leeds", "Cardiff", "Ontario", "Lagos", "Pune", "Hamburg"]

    t0 = time.perf_counter()
    with transaction.atomic():
        article = Article.objects.create(title="bench", text="", content_hash="bench")
        batch = []
        for i in range(args.claims):
            base = sentences[i % len(sentences)]
            text = (
                base if i < len(sentences) else f"{base} In {rng.choice(places)}, {i % 97} times."
            )
            batch.append(
                Claim(
                    article=article, text=text, start=0, end=len(text), sentence_index=i, score=0.7
                )
            )
            if len(batch) == 5000:
                Claim.objects.bulk_create(batch)
                batch = []
        Claim.objects.bulk_create(batch)
        for start in range(0, args.claims, 5000):
            matching.index_claims(Claim.objects.order_by("id")[start : start + 5000])
    build = time.perf_counter() - t0
    n_terms = ClaimTerm.objects.count()
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")

    ids = list(Claim.objects.values_list("id", flat=True))
    probes = Claim.objects.in_bulk(rng.sample(ids, args.queries))
    timings, found = [], 0
    for claim in probes.values():
        t = time.perf_counter()
        matches = matching.similar_claims(claim, limit=5)
        timings.append((time.perf_counter() - t) * 1000)
        found += bool(matches)
    timings.sort()
    print(f"database            {connection.vendor}")
    print(f"claims stored       {Claim.objects.count():,}")
    print(f"index rows          {n_terms:,}")
    print(f"build + index       {build:.1f} s")
    print(f"lookups             {len(timings)}")
    print(f"lookup p50          {statistics.median(timings):.1f} ms")
    print(f"lookup p95          {timings[int(len(timings) * 0.95) - 1]:.1f} ms")
    print(f"lookup max          {timings[-1]:.1f} ms")
    print(f"queries with match  {found}/{len(timings)}")


if __name__ == "__main__":
    main()
