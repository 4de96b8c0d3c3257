"""A page over PARSE_IN_REQUEST_MAX_BYTES is not parsed in the request (it
would cost ~30 MB per MiB there): it is stored raw, with the hash of its HTML,
and the worker parses it. The same page twice is still one article."""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from claims import extraction
from claims.intake import lifecycle, submission
from claims.models import Article, Claim

from .conftest import wait_until

pytestmark = pytest.mark.django_db
A = Article.Status
SUBMIT = reverse("claims:submit")


@pytest.fixture
def small_threshold(settings, seed_html):
    settings.PARSE_IN_REQUEST_MAX_BYTES = len(seed_html) // 2  # the seed is over it
    return settings


@pytest.fixture
def no_parse(monkeypatch):
    """Fails the test if anything parses a page (in this thread) until ``allow()``."""
    real = extraction.html_to_document
    request_thread = threading.get_ident()
    state = {"parses": 0}

    def guarded(*args, **kwargs):
        if threading.get_ident() == request_thread and not state.get("allowed"):
            raise AssertionError("the page was parsed in the request")
        state["parses"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(extraction, "html_to_document", guarded)
    state["allow"] = lambda: state.update(allowed=True)
    return state


@pytest.fixture
def editor(client, alice):
    client.force_login(alice)
    return client


def _extract(article_id: int) -> Article:
    submission.extract_and_store(lifecycle.take_lease(article_id))
    return Article.objects.get(pk=article_id)


def test_a_large_paste_is_stored_unparsed_and_the_worker_parses_it(
    editor, alice, seed_html, small_threshold, no_parse
):
    response = editor.post(SUBMIT, {"html": seed_html.decode()})
    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.source, article.parsed_at, article.text) == (
        A.RECEIVED,
        Article.Source.PASTE,
        None,
        "",
    )
    assert article.raw_hash == submission.raw_hash(seed_html.decode())
    assert article.content_hash is None  # set by the worker, from the text

    no_parse["allow"]()
    article = _extract(article.pk)
    assert no_parse["parses"] == 1
    assert article.status == A.EXTRACTED and article.parsed_at is not None
    assert article.links and article.title and article.content_hash
    claims = Claim.objects.filter(article=article)
    assert claims.exists()
    for claim in claims:
        assert article.text[claim.start : claim.end] == claim.text
    # The same text as a small page gives the same claims: nothing is lost.
    fresh = extraction.extract(seed_html)
    assert sorted(claims.values_list("text", flat=True)) == sorted(
        s.text for s in fresh.sentences if s.checkworthy
    )


def test_a_page_at_the_threshold_is_still_parsed_once_in_the_request(alice, seed_html, settings):
    settings.PARSE_IN_REQUEST_MAX_BYTES = len(seed_html)
    article = submission.submit_article(actor=alice, html=seed_html).article
    assert article.parsed_at is not None and article.text and article.raw_hash is None


def test_the_default_threshold_leaves_a_megabyte_page_to_the_worker(alice, seed_html, no_parse):
    seed = seed_html.decode()
    paragraph = f"<p>{seed}</p>"
    page = "<article>" + paragraph * (1024 * 1024 // len(paragraph) + 1) + "</article>"
    sub = submission.submit_article(actor=alice, html=page, source=Article.Source.API)
    assert sub.created and sub.article.parsed_at is None


def test_a_large_upload_and_api_json_are_stored_unparsed(
    client, alice, seed_html, small_threshold, no_parse, generous_api_rates
):
    client.force_login(alice)
    upload = SimpleUploadedFile("page.html", seed_html, "text/html")
    assert client.post(SUBMIT, {"file": upload}).status_code == 302
    uploaded = Article.objects.get()
    assert (uploaded.source, uploaded.parsed_at) == (Article.Source.UPLOAD, None)

    other = b"<p>Another copy.</p>" + seed_html
    _, token = AuthToken.objects.create(user=alice)
    r = client.post(
        "/api/articles/",
        json.dumps({"html": other.decode()}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert r.status_code == 201, r.content[:300]
    api = Article.objects.get(pk=r.json()["id"])
    assert (api.source, api.parsed_at) == (Article.Source.API, None)


def test_the_same_large_page_twice_is_one_article(
    editor, alice, seed_html, small_threshold, no_parse
):
    page = seed_html.decode().replace(". ", ".\n")  # lines, as a saved page has
    assert page.count("\n") > 10
    first = submission.submit_article(actor=alice, html=page)
    assert first.created
    # Before the worker has parsed it: found by the hash of its HTML. The
    # browser sends a textarea's lines with \r\n, and the form strips the paste.
    crlf = "\n  " + page.replace("\n", "\r\n") + "\r\n"
    response = editor.post(SUBMIT, {"html": crlf}, follow=True)
    assert response.redirect_chain[-1][0] == first.article.get_absolute_url()
    assert "already submitted" in response.content.decode()
    upload = submission.submit_article(actor=alice, html=page.encode(), source="upload")
    assert upload.duplicate and upload.article.pk == first.article.pk

    no_parse["allow"]()
    assert _extract(first.article.pk).status == A.EXTRACTED
    # After: still found (the text hash now set, the HTML's kept), without
    # reading the stored page (up to MAX_ARTICLE_BYTES) back to do so.
    with CaptureQueriesContext(connection) as queries:
        again = submission.submit_article(actor=alice, html=page)
    assert not [q["sql"] for q in queries.captured_queries if "raw_html" in q["sql"]]
    assert again.duplicate and again.article.pk == first.article.pk
    assert Article.objects.count() == 1


def test_a_large_copy_of_an_article_is_found_by_the_worker_then_at_the_door(
    alice, seed_html, settings, no_parse
):
    no_parse["allow"]()
    original = submission.submit_article(actor=alice, html=seed_html).article  # small: parsed
    assert original.parsed_at is not None
    # The same article with more markup around it: over the threshold, not the same HTML.
    settings.PARSE_IN_REQUEST_MAX_BYTES = len(seed_html)
    padded = b"<div></div>" * 100 + seed_html
    copy = submission.submit_article(actor=alice, html=padded)
    assert copy.created and copy.article.parsed_at is None

    assert _extract(copy.article.pk).status == A.DUPLICATE
    assert Article.objects.get(pk=copy.article.pk).duplicate_of_id == original.pk
    assert not Claim.objects.filter(article=copy.article).exists()
    # Sent again, the large copy comes back as the article it copies.
    again = submission.submit_article(actor=alice, html=padded)
    assert again.duplicate and again.article.pk == original.pk


def test_a_failed_large_paste_is_retried_when_pasted_again(
    alice, seed_html, small_threshold, no_parse
):
    article = submission.submit_article(actor=alice, html=seed_html).article
    assert lifecycle.fail(article.pk, "The worker stopped.")
    again = submission.submit_article(actor=alice, html=seed_html)
    assert again.retried and again.article.pk == article.pk
    assert again.article.status == A.RECEIVED
    assert Article.objects.count() == 1


def test_a_large_page_that_is_not_an_article_fails_in_the_worker_with_a_reason(
    alice, small_threshold, no_parse
):
    page = "<html><body><script>" + "x = 1;" * 2000 + "</script></body></html>"
    article = submission.submit_article(actor=alice, html=page).article
    no_parse["allow"]()
    article = _extract(article.pk)
    assert article.status == A.FAILED
    assert "no article text" in article.error.lower(), article.error


def test_over_the_limit_is_still_refused_before_anything_is_stored(alice, settings):
    settings.MAX_ARTICLE_BYTES = 4_000
    settings.PARSE_IN_REQUEST_MAX_BYTES = 1_000
    with pytest.raises(submission.SubmissionError, match="too large"):
        submission.submit_article(actor=alice, html="<p>" + "é" * 2_000 + "</p>")
    assert not Article.objects.exists()


def test_an_uploaded_file_is_measured_before_it_is_read(alice, settings):
    settings.MAX_ARTICLE_BYTES = 4_000

    class Upload(io.BytesIO):
        reads = []

        def read(self, size=-1):
            self.reads.append(size)
            return super().read(size)

    big = Upload(b"<p>" + b"x" * 10_000 + b"</p>")
    big.size = 10_007
    with pytest.raises(submission.SubmissionError, match="10,007 bytes"):
        submission.submit_article(actor=alice, html=big)
    assert Upload.reads == []  # refused on its size alone
    # A file that does not say its size is read no further than the limit.
    del big.size
    with pytest.raises(submission.SubmissionError, match="too large"):
        submission.submit_article(actor=alice, html=big)
    assert Upload.reads == [4_001]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["", "plain", "é" * 5, "a\r\nb\rc\n", "😀 x", "\ud800 lone surrogate"],
)
def test_page_sizes_and_hashes_are_taken_a_slice_at_a_time(text, monkeypatch):
    whole_hash = submission.raw_hash(text)
    monkeypatch.setattr(submission, "_CHUNK_CHARS", 2)
    assert submission.utf8_size(text) == len(text.encode("utf-8", "surrogatepass"))
    assert submission.raw_hash(text) == whole_hash  # slice boundaries change nothing
    assert submission.raw_hash(" \r\n" + text + "\n ") == whole_hash  # the ends stripped
    assert submission.raw_hash(text.replace("\r\n", "\n")) == whole_hash


def test_the_worker_parses_a_large_page_end_to_end(celery_worker, alice, bob, seed_html, settings):
    settings.PARSE_IN_REQUEST_MAX_BYTES = len(seed_html) // 2
    sub = submission.submit_article(actor=alice, html=seed_html, source="upload")
    assert sub.created and sub.article.parsed_at is None
    article = wait_until(
        lambda: Article.objects.filter(pk=sub.article.pk, status=A.EXTRACTED).first(),
        message="the article extracted",
    )
    assert article.parsed_at is not None
    assert Claim.objects.filter(article=article, assignee=bob).exists()
    again = submission.submit_article(actor=alice, html=seed_html)
    assert again.duplicate and again.article.pk == article.pk


@pytest.mark.parametrize("value", ["3000000", "-1"])
def test_a_threshold_that_would_break_the_memory_budget_is_refused_at_start(tmp_path, value):
    from .test_security_settings import run, setting

    env = {"DEBUG": "true", "PARSE_IN_REQUEST_MAX_BYTES": value}
    out = run("import factcheck.wsgi", env, tmp_path)
    assert out.returncode != 0
    assert "ImproperlyConfigured: PARSE_IN_REQUEST_MAX_BYTES must be between" in out.stderr
    env["PARSE_IN_REQUEST_MAX_BYTES"] = "2097152"
    assert setting("PARSE_IN_REQUEST_MAX_BYTES", env, tmp_path) == "2097152"
