"""Every door refuses an article over MAX_ARTICLE_BYTES, with the same message.

Doors: the web form (paste and upload), POST /api/articles/ (html and file), the
``extract_claims`` and ``ingest_article`` commands, a fetched URL, and
``extraction.extract`` itself (the worker's last line of defence).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from knox.models import AuthToken

from claims import extraction
from claims.intake import submission
from claims.models import Article

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2_000
# A real article body, repeated past the limit (the seed is about 6 kB).
SEED = ROOT / "sample" / "labour-volunteers-fec-complaint.html"


def big_page(size: int = 3 * LIMIT) -> bytes:
    seed = SEED.read_bytes()
    return (seed * (size // len(seed) + 1))[:size]


def message(size: int) -> str:
    return extraction.too_large_message(size, LIMIT)


def test_the_message_names_the_size_and_the_limit():
    assert message(3_000_000) == ("The article is too large (3,000,000 bytes; the limit is 2,000).")


def test_extract_refuses_oversize_input_before_parsing():
    data = big_page()
    with pytest.raises(extraction.ArticleTooLarge) as caught:
        extraction.extract(data, max_bytes=LIMIT)
    assert str(caught.value) == message(len(data))
    assert isinstance(caught.value, extraction.ExtractionError)
    # Text counts as its UTF-8 bytes: 700 characters of "é" and the tags are 1,407 bytes.
    with pytest.raises(extraction.ArticleTooLarge, match="1,407 bytes"):
        extraction.html_to_document("<p>" + "é" * 700 + "</p>", max_bytes=1_000)
    # At the limit is fine.
    seed = SEED.read_bytes()
    assert extraction.extract(seed, max_bytes=len(seed)).sentences


@pytest.fixture
def limited(settings):
    settings.MAX_ARTICLE_BYTES = LIMIT
    return settings


@pytest.mark.django_db
def test_web_form_refuses_a_pasted_article_over_the_limit(client, alice, limited):
    html = big_page().decode("utf-8", "ignore").strip()  # the form strips what is pasted
    client.force_login(alice)
    r = client.post(reverse("claims:submit"), {"html": html})
    assert r.status_code == 200
    assert message(len(html.encode())) in r.content.decode().replace("&#x27;", "'")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_web_form_refuses_an_uploaded_file_over_the_limit(client, alice, limited):
    data = big_page()
    client.force_login(alice)
    upload = SimpleUploadedFile("big.html", data, "text/html")
    r = client.post(reverse("claims:submit"), {"file": upload})
    assert r.status_code == 200
    assert message(len(data)) in r.content.decode()
    assert not Article.objects.exists()


@pytest.fixture
def alice_api(client, alice):
    _, token = AuthToken.objects.create(user=alice)
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


@pytest.mark.django_db
def test_api_refuses_html_over_the_limit(client, alice_api, limited, generous_api_rates):
    html = big_page().decode("utf-8", "ignore")
    r = client.post(
        "/api/articles/", json.dumps({"html": html}), content_type="application/json", **alice_api
    )
    assert r.status_code == 400, r.content[:300]
    assert message(len(html.encode())) in r.content.decode()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_api_refuses_a_file_over_the_limit(client, alice_api, limited, generous_api_rates):
    data = big_page()
    upload = SimpleUploadedFile("big.html", data, "text/html")
    r = client.post("/api/articles/", {"file": upload}, **alice_api)
    assert r.status_code == 400, r.content[:300]
    assert message(len(data)) in r.content.decode()
    assert not Article.objects.exists()


def run_extract_claims(*args, stdin=None):
    env = dict(
        os.environ,
        MAX_ARTICLE_BYTES=str(LIMIT),
        DATABASE_URL="sqlite:////nonexistent/dir/db.sqlite3",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "extract_claims", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def test_extract_claims_refuses_a_file_and_stdin_over_the_limit(tmp_path):
    data = big_page()
    path = tmp_path / "big.html"
    path.write_bytes(data)
    result = run_extract_claims(str(path))
    assert result.returncode != 0
    assert message(len(data)) in result.stderr.decode()
    # From stdin the command reads one byte past the limit, and says so.
    result = run_extract_claims("-", stdin=data)
    assert result.returncode != 0
    assert message(LIMIT + 1) in result.stderr.decode()
    # Under the limit it works.
    result = run_extract_claims("-", stdin=data[:LIMIT])
    assert result.returncode == 0, result.stderr.decode()[-500:]


@pytest.mark.django_db
def test_ingest_article_refuses_a_file_over_the_limit(tmp_path, limited, redis_server):
    limited.REDIS_URL_FROM_ENV = redis_server.url
    data = big_page()
    path = tmp_path / "big.html"
    path.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        call_command("ingest_article", str(path), wait=0)
    assert str(caught.value) == message(len(data))
    assert not Article.objects.exists()


@pytest.fixture
def big_site(loopback):
    body = big_page(20 * LIMIT)

    def without_length(handler):  # streamed, with no Content-Length to go by
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.end_headers()
        handler.wfile.write(body)

    site = loopback()
    site.routes["/big"] = without_length
    return site.base


@pytest.mark.django_db
def test_a_fetched_page_over_the_limit_fails_the_article_with_the_message(big_site, alice, limited):
    limited.FETCH_ALLOW_PRIVATE = True
    article = submission.submit_article(actor=alice, url=big_site + "/big").article
    submission.extract_and_store(article)  # what the worker's task runs
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error.startswith("The article is too large (")
    assert article.error.endswith(f"bytes; the limit is {LIMIT:,}).")
    assert not article.raw_html


@pytest.mark.django_db
def test_the_worker_refuses_a_stored_article_over_the_limit(alice, limited):
    # An article stored before the limit was lowered is refused, not parsed.
    article = Article.objects.create(
        raw_html=big_page().decode("utf-8", "ignore"), submitted_by=alice
    )
    submission.extract_and_store(article)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error.startswith("The article is too large (")


@pytest.mark.django_db
def test_the_zero_width_page_that_crashed_goes_through_the_form_and_the_api(
    client, alice, alice_api, generous_api_rates
):
    # "<p>x<b>\u200b</b> y</p>" once raised IndexError and both doors answered 500.
    page = "<p>The council spent x<b>\u200b</b> y on 3,000 homes in 2023.</p>"
    client.force_login(alice)
    r = client.post(reverse("claims:submit"), {"html": page})
    assert r.status_code == 302
    r = client.post(
        "/api/articles/",
        json.dumps({"html": page + "<p>Again.</p>"}),
        content_type="application/json",
        **alice_api,
    )
    assert r.status_code == 201, r.content[:300]
    assert Article.objects.count() == 2
