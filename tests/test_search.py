"""Claim search: full-text and trigram search on PostgreSQL, the term index on SQLite.

The word-forms/phrase/speaker behaviour both databases share is in
tests/test_views.py (test_search_matches_word_forms_phrases_and_speakers); these
tests cover what only PostgreSQL does, and that its queries use their indexes.
"""

from __future__ import annotations

import pytest
from django.db import connection

from claims.models import Claim
from claims.review.matching import search_claims

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def _ids(q, *, rank=False):
    qs = search_claims(Claim.objects.all(), q, rank=rank)
    return (
        list(qs.order_by("-search_rank", "id").values_list("id", flat=True))
        if rank
        else (sorted(qs.values_list("id", flat=True)))
    )


@postgres_only
def test_web_search_syntax_works_on_postgresql(make_claim):
    a = make_claim(text="The companies paid £3.5bn in fines last year.")
    b = make_claim(text="The company paid no fines at all, the regulator said.")
    c = make_claim(text="Hospital waiting lists grew to 7.6 million.")
    assert _ids("company fines") == sorted([a.pk, b.pk])  # stemmed, every word
    assert _ids('"paid no fines"') == [b.pk]  # a phrase
    assert _ids("company -regulator") == [a.pk]  # a word left out
    assert _ids("hospital or regulator") == sorted([b.pk, c.pk])


@postgres_only
def test_a_misspelt_speaker_is_found_by_trigrams(make_claim):
    claim = make_claim(text="Unemployment fell again.", speaker="Rachel Reeves")
    make_claim(text="Unemployment fell again.", speaker="Keir Starmer")
    assert _ids("Reves") == [claim.pk]


@postgres_only
def test_a_speaker_changed_later_is_found_by_the_new_name(make_claim):
    claim = make_claim(text="Unemployment fell again.", speaker="")
    Claim.objects.filter(pk=claim.pk).update(speaker="Rachel Reeves")
    assert _ids("Reves") == [claim.pk]


@postgres_only
def test_relevance_puts_the_closest_match_first(make_claim):
    weak = make_claim(text="Fines were paid, and the inquiry went on for a year.")
    strong = make_claim(text="Water companies paid record fines: fines rose for a third year.")
    assert _ids("fines year", rank=True) == [strong.pk, weak.pk]


@postgres_only
def test_postgresql_search_uses_its_indexes(make_claim):
    make_claim(text="Almost 100 staff campaigned in North Carolina.", speaker="Keir Starmer")
    with connection.cursor() as cursor:
        # On a table this small the planner would read it all; forbid that, and
        # forbid walking another index, so the plan shows which index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for q, index in (
            ("carolina", "claims_claim_text_search"),
            ("Starmr", "claims_claim_speaker"),
        ):
            sql, params = search_claims(Claim.objects.order_by(), q).query.sql_with_params()
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan
        # The names like "Starmr" come from the table of distinct names, through a
        # trigram index (which the planner picks by size: see bench/bench_search.py).
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'claims_speaker_name_trgm'"
        )
        assert "gin (name gin_trgm_ops)" in cursor.fetchone()[0]


def test_the_api_orders_matches_by_relevance_on_either_database(client, alice, make_claim):
    weak = make_claim(text="Fines were paid, and the inquiry went on for a year.")
    strong = make_claim(text="Water companies paid record fines: fines rose for a third year.")
    make_claim(text="Hospital waiting lists grew to 7.6 million.")
    client.force_login(alice)
    r = client.get("/api/claims/", {"q": "fines year", "ordering": "relevance"})
    assert r.status_code == 200, r.content
    ids = [c["id"] for c in r.json()["results"]]
    if connection.vendor == "postgresql":
        assert ids == [strong.pk, weak.pk]
    else:  # no ranking on SQLite: the matches, newest first
        assert ids == [strong.pk, weak.pk] and strong.pk > weak.pk
    r = client.get("/api/claims/", {"ordering": "relevance"})  # no q: newest first
    newest_first = sorted(Claim.objects.values_list("id", flat=True), reverse=True)
    assert [c["id"] for c in r.json()["results"]] == newest_first
