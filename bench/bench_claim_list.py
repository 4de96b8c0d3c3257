"""The claim list at scale: page and filter times with 100,000 claims.

Builds a throwaway SQLite database, fills it with articles, claims (varied
statuses, types, scores, reviewers, some with verdicts) and their log entries,
then times the editor's list page, its filters, deep keyset pages and the desk
through the Django test client, printing the median of several runs and the
number of queries each page makes.

    .venv/bin/python bench/bench_claim_list.py [--claims 100000] [--runs 5]
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

WORDS = (
    "inflation unemployment wages prices taxes crime migrants hospitals schools "
    "housing energy emissions budget deficit pensions police trains"
).split()


def build(n_claims: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from claims.models import Article, Claim, ClaimLog, Verdict
    from claims.ratings import Rating

    rng = random.Random(7)
    User = get_user_model()
    editor = User.objects.create_user("alice", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewers = []
    for name in ("bob", "carol", "erin", "frank"):
        user = User.objects.create_user(name, password="x")
        user.groups.add(Group.objects.get(name="Reviewers"))
        reviewers.append(user)

    per_article = 25
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Article {i}",
            text="x" * 200,
            content_hash=f"h{i}",
            status="extracted",
            submitted_at=now - timedelta(minutes=i),
        )
        for i in range(n_claims // per_article)
    )
    statuses = [s for s in Claim.Status.values]
    types = Claim.Type.values
    claims = []
    for i in range(n_claims):
        status = rng.choice(statuses)
        assigned = status not in ("extracted", "queued")
        words = " ".join(rng.choice(WORDS) for _ in range(8))
        claims.append(
            Claim(
                article=articles[i // per_article],
                sentence_index=i % per_article,
                text=f"Claim {i}: {words} rose by {rng.randint(1, 99)} percent.",
                start=0,
                end=10,
                score=round(rng.random(), 4),
                claim_type=rng.choice(types),
                speaker=rng.choice(["", "Keir Starmer", "Rishi Sunak", "Ed Davey"]),
                status=status,
                assignee=rng.choice(reviewers) if assigned else None,
                assigned_at=now - timedelta(hours=rng.randint(1, 72)) if assigned else None,
                created_at=now - timedelta(hours=rng.randint(1, 24 * 14)),
            )
        )
    Claim.objects.bulk_create(claims, batch_size=5000)
    from claims.review import matching  # the search and similarity index, as extraction builds it

    for start in range(0, n_claims, 5000):
        matching.index_claims(Claim.objects.order_by("id")[start : start + 5000])
    with_verdict = list(
        Claim.objects.filter(status__in=["proposed", "approved", "published"]).values_list(
            "id", flat=True
        )
    )
    verdicts = Verdict.objects.bulk_create(
        Verdict(
            claim_id=cid,
            rating=rng.choice(Rating.values),
            conclusion="c",
            proposed_by=reviewers[0],
            proposed_at=now - timedelta(hours=rng.randint(0, 48)),
        )
        for cid in with_verdict
    )
    for batch in range(0, len(verdicts), 5000):
        chunk = verdicts[batch : batch + 5000]
        Claim.objects.bulk_update(
            [Claim(pk=v.claim_id, verdict_id=v.pk) for v in chunk], ["verdict"]
        )
    ClaimLog.objects.bulk_create(
        (
            ClaimLog(
                claim_id=c.pk,
                action="claim.extracted",
                to_status="extracted",
                created_at=c.created_at,
            )
            for c in Claim.objects.only("id", "created_at").iterator()
        ),
        batch_size=5000,
    )
    return editor, reviewers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--slowest", action="store_true", help="also print each page's three slowest queries"
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="fc-bench-list-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["FACTCHECK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("DEBUG", "true")  # development settings (DEBUG defaults to off)
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
        t0 = time.perf_counter()
        editor, reviewers = build(args.claims)
        print(
            f"built {args.claims:,} claims in {time.perf_counter() - t0:.1f}s ({connection.vendor})"
        )

        from claims.models import Claim

        client = Client()
        client.force_login(editor)
        deep = Claim.objects.order_by("id").values_list("id", flat=True)[args.claims // 10]
        deep_score = Claim.objects.order_by("score", "id").values_list("score", "id")[
            args.claims // 10
        ]
        cases = [
            ("list, newest first", "/claims/"),
            ("list, by score", "/claims/?sort=score"),
            ("status=in_review", "/claims/?status=in_review"),
            ("type=quantity + score 0.8–1", "/claims/?type=quantity&score_min=0.8&score_max=1"),
            ("reviewer=bob", f"/claims/?reviewer={reviewers[0].pk}"),
            ("rating=false", "/claims/?rating=false"),
            ("article=500", "/claims/?article=500"),
            ("search 'pensions'", "/claims/?q=pensions"),
            ("search 'no such words'", "/claims/?q=zzzz+nothing"),
            ("overdue (past SLA)", "/claims/?overdue=1"),
            ("deep page (90% down), newest", f"/claims/?after={deep}"),
            (
                "deep page (90% down), by score",
                f"/claims/?sort=score&after={deep_score[0]!r}_{deep_score[1]}",
            ),
            ("my queue (editor)", "/claims/mine/"),
            ("desk", "/"),
        ]
        print(f"\n{'page':34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        for label, url in cases:
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    r = client.get(url)
                    times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, (url, r.status_code)
            print(
                f"{label:34} {statistics.median(times):10.1f} {max(times):8.1f} "
                f"{len(ctx.captured_queries):8d}"
            )
            if args.slowest:
                for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                    print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
