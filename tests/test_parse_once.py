"""A pasted page is parsed once, on submission; the worker analyses what was stored."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import extraction
from claims.intake import lifecycle, submission
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db


def _claims(article):
    return list(
        Claim.objects.filter(article=article)
        .order_by("sentence_index")
        .values_list("sentence_index", "text", "start", "end", "score", "links", "speaker")
    )


def test_the_worker_does_not_parse_a_pasted_page_again(seed_html, alice, monkeypatch):
    article = submission.submit_article(actor=alice, html=seed_html).article
    assert article.parsed_at is not None and article.links  # the seed page has links

    def parse_again(*args, **kwargs):
        raise AssertionError("the page was parsed a second time")

    monkeypatch.setattr(extraction, "html_to_document", parse_again)
    with CaptureQueriesContext(connection) as queries:
        waiting = submission.extract_and_store(lifecycle.take_lease(article.pk))
    assert waiting
    # Nor does it read the page (up to MAX_ARTICLE_BYTES) from the database.
    assert not [q["sql"] for q in queries.captured_queries if "raw_html" in q["sql"]]
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    for _, text, start, end, *_ in _claims(article):
        assert article.text[start:end] == text  # offsets still slice the stored text


def test_stored_and_fresh_parses_give_the_same_claims(seed_html, alice, bob):
    """Analysing the stored document is the same as extracting the page afresh."""
    pasted = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(pasted)
    # The same page as a row stored before parse-once: no parse kept, so the
    # worker parses raw_html itself (a legacy row must not lose its links).
    legacy = Article.objects.create(raw_html=seed_html, source=Article.Source.PASTE)
    submission.extract_and_store(legacy)
    legacy.refresh_from_db()
    assert legacy.status == Article.Status.DUPLICATE  # same text: found as the same article
    fresh = extraction.extract(seed_html)
    expected = [
        (s.index, s.text, s.start, s.end, s.score, s.links, s.speaker)
        for s in fresh.sentences
        if s.checkworthy
    ]
    assert _claims(pasted) == expected
    assert any(links for *_, links, _ in expected)


def test_a_row_without_a_stored_parse_is_parsed_by_the_worker(seed_html, alice, monkeypatch):
    article = Article.objects.create(raw_html=seed_html, source=Article.Source.PASTE)
    calls = []
    real = extraction.html_to_document

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(extraction, "html_to_document", counting)
    assert submission.extract_and_store(article)
    article.refresh_from_db()
    assert calls == [1]
    assert article.parsed_at is not None and article.links and article.text
