"""Claim search at scale on PostgreSQL: the claim list's search with 1,000,000 claims.

Fills the database named by DATABASE_URL (it must be a throwaway PostgreSQL one:
the bench migrates it and adds rows) with claims whose texts are the 22,501 real
debate sentences of ``../shared/data/checkworthiness/claimbuster`` (each used many
times, with a different figure) and whose speakers are the debates' speakers. Rows
go in with one INSERT … SELECT over generate_series, then the search indexes are
rebuilt and the table analysed, as after a restore. Then it times the editor's
claim list searching for each query below through the Django test client (form,
search, keyset page, capped count, template), and prints p50/p95/max per query and
over all.

    pg_virtualenv -t -v 15 sh -c 'DATABASE_URL="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE" \\
        .venv/bin/python bench/bench_search.py --claims 1000000 --runs 10'
"""

from __future__ import annotations

import argparse
import csv
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEBATES = ROOT.parent / "shared/data/checkworthiness/claimbuster/crowdsourced.csv"

QUERIES = [
    "tax",  # a common word
    "unemployment",
    "health care",  # two words, both common
    "social security benefits",
    "nuclear weapons iran",
    '"middle class"',  # a phrase
    "jobs -china",  # a word left out
    "deficit or debt",
    "balanced budget amendment",
    "Reagan",  # a speaker's name, also in texts
    "Obma",  # a misspelt speaker
    "zzzz nothing",  # no match
]


def load(n: int) -> None:
    from django.db import connection

    from claims.models import Article, Claim

    migration = importlib.import_module("claims.migrations.0012_claim_search")

    rows = list(csv.DictReader(DEBATES.open(encoding="utf-8")))
    texts = [r["Text"] for r in rows]
    speakers = sorted({r["Speaker"] for r in rows if r["Speaker"]})
    articles = Article.objects.bulk_create(
        Article(title=f"Debate {i}", text="x", content_hash=f"bench-{i}", status="extracted")
        for i in range(1000)
    )
    first_article = articles[0].pk
    statuses = Claim.Status.values
    special = {
        "article_id": f"{first_article} + (g %% 1000)",
        "text": "(%(texts)s::text[])[1 + g %% %(n_texts)s] || ' (' || g || ')'",
        "speaker": "(%(speakers)s::text[])[1 + (g * 7) %% %(n_speakers)s]",
        "sentence_index": "g",
        "score": "((g::bigint * 7919) %% 1000) / 1000.0",
        "status": "(%(statuses)s::text[])[1 + g %% %(n_statuses)s]",
        "end": "10",
    }
    cols, exprs = [], []
    for field in Claim._meta.concrete_fields:
        if field.primary_key:
            continue
        cols.append(connection.ops.quote_name(field.column))
        kind = field.get_internal_type()
        if field.attname in special:
            exprs.append(special[field.attname])
        elif field.null:
            exprs.append("NULL")
        elif kind == "JSONField":
            exprs.append("'{}'::jsonb" if isinstance(field.get_default(), dict) else "'[]'::jsonb")
        elif kind in ("CharField", "TextField"):
            exprs.append("''")
        elif kind == "BooleanField":
            exprs.append("false")
        elif kind == "DateTimeField":
            exprs.append("now() - g * interval '1 second'")
        else:  # integers and floats
            exprs.append("1" if field.attname == "version" else "0")
    insert = (
        f"INSERT INTO claims_claim ({', '.join(cols)}) "
        f"SELECT {', '.join(exprs)} FROM generate_series(1, %(n)s) AS g"
    )
    with connection.cursor() as cursor:
        # Load first and index after, as a restore does (the speaker-name trigger stays).
        cursor.execute("DROP INDEX claims_claim_text_search")
        cursor.execute("DROP INDEX claims_claim_speaker")
        cursor.execute(
            insert,
            {
                "texts": texts,
                "n_texts": len(texts),
                "speakers": speakers,
                "n_speakers": len(speakers),
                "statuses": statuses,
                "n_statuses": len(statuses),
                "n": n,
            },
        )
    with connection.cursor() as cursor:
        for sql in migration.FORWARDS[1:3]:
            cursor.execute(sql)
        cursor.execute("ANALYZE claims_claim")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a throwaway PostgreSQL database (see the docstring).")
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
    os.environ.setdefault("FACTCHECK_VAR_DIR", tempfile.mkdtemp(prefix="fc-bench-search-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # DEBUG stays off, as gunicorn serves; static URLs without collectstatic's manifest.
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    load(args.claims)
    from claims.models import Claim

    loaded = Claim.objects.count()
    assert loaded == args.claims, loaded
    print(f"loaded and indexed {loaded:,} claims in {time.perf_counter() - t0:.0f}s")

    editor = get_user_model().objects.create_user("bench-editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    for q in QUERIES:  # warm the cache, as a desk that has been running would be
        client.get("/claims/?" + urlencode({"q": q}))
    every = []
    print(f"\n{'query':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'rows':>6}")
    for q in QUERIES:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            r = client.get("/claims/?" + urlencode({"q": q}))
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (q, r.status_code)
        shown = r.context["count"] if r.context else "?"
        every += times
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(f"{q:28} {statistics.median(times):8.1f} {p95:8.1f} {times[-1]:8.1f} {shown!s:>6}")
    every.sort()
    print(
        f"\nall {len(every)} searches: p50 {statistics.median(every):.1f} ms, "
        f"p95 {every[round(0.95 * len(every)) - 1]:.1f} ms, max {every[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
