"""One request's cost must not grow with the article's size.

Two articles with the same text (2,000 sentences), one with 120 claims and one
with 2,000: every article endpoint must answer both with the same number of
queries, about the same number of bytes, and about the same peak memory; and no
query may read the article's raw HTML, or its text once per claim row.
"""

from __future__ import annotations

import re
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from claims.models import Article, Claim

pytestmark = pytest.mark.django_db

SENTENCES = 2000
SMALL, BIG = 120, 2000  # both above one page of claims (50)


def build_article(n_claims: int, tag: str, claim_status: str) -> Article:
    sentences, spans, pos = [], [], 0
    for i in range(SENTENCES):
        sentence = f"Sentence {i} of {tag} says the council spent {i * 3} million pounds."
        sep = "\n\n" if i % 10 == 9 else " "
        spans.append((pos, pos + len(sentence)))
        sentences.append(sentence + sep)
        pos += len(sentence) + len(sep)
    text = "".join(sentences)
    article = Article.objects.create(
        title=f"Budget {tag}",
        text=text,
        raw_html=f"<html><body><p>{text}</p></body></html>",
        content_hash=f"cost-{tag}",
        status=Article.Status.EXTRACTED,
        sentence_count=SENTENCES,
        links=[{"href": f"https://example.org/{i}", "text": "x"} for i in range(200)],
    )
    step = SENTENCES // n_claims
    Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                text=text[spans[i][0] : spans[i][1]],
                start=spans[i][0],
                end=spans[i][1],
                sentence_index=i,
                score=(i % 97) / 97,
                claim_type="quantity",
                status=claim_status,
            )
            for i in range(0, step * n_claims, step)
        ]
    )
    return article


ENDPOINTS = {
    "article page": lambda a: f"/articles/{a.pk}/",
    "article page by score": lambda a: f"/articles/{a.pk}/?sort=score",
    "article page, last page": lambda a: f"/articles/{a.pk}/?page=last",
    "live fragment": lambda a: f"/articles/{a.pk}/live/",
    "article list": lambda a: "/articles/",
    "api article": lambda a: f"/api/articles/{a.pk}/",
    "api article list": lambda a: "/api/articles/",
    "api article claims": lambda a: f"/api/claims/?article={a.pk}&ordering=sentence_index",
    "admin article": lambda a: f"/admin/claims/article/{a.pk}/change/",
    "admin article list": lambda a: "/admin/claims/article/",
    "admin claim list": lambda a: f"/admin/claims/claim/?article__id__exact={a.pk}",
}

_JOINED_ARTICLE = re.compile(r'JOIN "claims_article" ON \("claims_claim"\."article_id"')


def measure(client, url, headers):
    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
            body = response.content
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200, (url, response.status_code)
    return {
        "queries": len(queries),
        "bytes": len(body),
        "peak": peak,
        "sql": [q["sql"] for q in queries.captured_queries],
    }


def big_column_reads(sqls) -> list[str]:
    """Queries that read the raw HTML at all, or the text on every claim row."""
    bad = []
    for sql in sqls:
        if '"claims_article"."raw_html"' in sql:
            bad.append(sql[:200])
        elif '"claims_article"."text"' in sql and _JOINED_ARTICLE.search(sql):
            bad.append(sql[:200])
    return bad


@pytest.mark.parametrize("state", ["done", "in progress"])
def test_no_article_endpoint_grows_with_the_number_of_claims(client, alice, state):
    # "done": every claim queued; "in progress": claims still waiting to be queued,
    # which is when the live fragment is polled every second.
    claim_status = Claim.Status.QUEUED if state == "done" else Claim.Status.EXTRACTED
    small = build_article(SMALL, "small", claim_status)
    big = build_article(BIG, "big", claim_status)
    client.force_login(alice)
    _, token = AuthToken.objects.create(user=alice)
    problems = []
    for name, url_of in ENDPOINTS.items():
        headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if "api" in name else {}
        measure(client, url_of(small), headers)  # warm caches (templates, permissions)
        a = measure(client, url_of(small), headers)
        b = measure(client, url_of(big), headers)
        if b["queries"] != a["queries"]:
            problems.append(
                f"{name}: {a['queries']} queries at {SMALL} claims, {b['queries']} at {BIG}"
            )
        if b["bytes"] > a["bytes"] * 1.1 + 2000:
            problems.append(
                f"{name}: {a['bytes']:,} bytes at {SMALL} claims, {b['bytes']:,} at {BIG}"
            )
        if b["peak"] > a["peak"] * 1.5 + 1_000_000:
            problems.append(
                f"{name}: peak {a['peak']:,} B at {SMALL} claims, {b['peak']:,} B at {BIG}"
            )
        for sql in big_column_reads(a["sql"] + b["sql"]):
            problems.append(f"{name}: reads a big column: {sql}")
    assert not problems, "\n".join(problems)


def test_the_article_page_lists_and_marks_one_page_of_claims(client, alice):
    article = build_article(BIG, "paged", Claim.Status.QUEUED)
    client.force_login(alice)
    page = client.get(f"/articles/{article.pk}/?page=2").content.decode()
    assert page.count('<li data-claim="') == 50
    assert page.count('class="claim-mark st-queued"') == 50  # only this page's claims
    assert "Claims 51–100 of 2000." in page and "Page 2 of 40" in page
    first_of_page = Claim.objects.filter(article=article).order_by("sentence_index")[50]
    assert f'id="claim-mark-{first_of_page.pk}"' in page


def test_the_api_article_gives_a_page_of_claims_and_a_link_to_all(client, alice):
    article = build_article(BIG, "api", Claim.Status.QUEUED)
    _, token = AuthToken.objects.create(user=alice)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    data = client.get(f"/api/articles/{article.pk}/", **auth).json()
    assert len(data["claims"]) == 50 and data["claim_count"] == BIG
    assert data["claims"][0]["article_title"] == "Budget api"
    listed = client.get(data["claims_url"], **auth).json()
    assert listed["count"] == BIG and len(listed["results"]) == 50
    assert [c["id"] for c in listed["results"]] == [c["id"] for c in data["claims"]]


def test_the_admin_article_page_links_to_its_claims_instead_of_listing_them(client, alice):
    article = build_article(BIG, "admin", Claim.Status.QUEUED)
    client.force_login(alice)
    page = client.get(f"/admin/claims/article/{article.pk}/change/").content.decode()
    assert f'href="/admin/claims/claim/?article__id__exact={article.pk}"' in page
    assert "2000 claims" in page
    listed = client.get(f"/admin/claims/claim/?article__id__exact={article.pk}")
    assert listed.status_code == 200
    assert listed.content.decode().count('name="_selected_action"') == 50
