"""Requests over the size limit get a clear answer, not a bare 400, and a large
urlencoded body is refused before anything parses it (claims/desk/body_limits.py).
"""

import json
import time
import tracemalloc
from pathlib import Path

import pytest
from django.conf import settings as live_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from knox.models import AuthToken

from claims.models import Article, Evidence

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parent.parent / "sample" / "labour-volunteers-fec-complaint.html"


@pytest.fixture
def small_limits(settings):
    settings.MAX_ARTICLE_BYTES = 4_000
    settings.FORM_BODY_MAX_BYTES = 1_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 13_000


def test_a_paste_over_the_upload_limit_gets_a_page_that_says_so(client, alice, small_limits):
    client.force_login(alice)
    r = client.post("/articles/new/", {"html": "<p>" + "word " * 5000 + "</p>"})
    assert r.status_code == 413
    page = r.content.decode()
    assert "too large" in page and "4,000 bytes" in page
    assert not Article.objects.exists()


def test_the_api_gets_the_same_answer_as_json(client, alice, small_limits):
    client.force_login(alice)
    r = client.post("/api/articles/", {"html": "<p>" + "word " * 5000 + "</p>"})
    assert r.status_code == 413
    assert r.json()["code"] == "too_large" and "4,000 bytes" in r.json()["detail"]


def test_other_bad_requests_still_get_djangos_400(client):
    r = client.get("/", HTTP_HOST="evil.example")  # DisallowedHost
    assert r.status_code == 400


def test_an_article_under_the_size_limit_always_fits_in_a_request():
    # Percent-encoding may triple every byte of a pasted article.
    assert live_settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= 3 * live_settings.MAX_ARTICLE_BYTES


def test_a_json_body_over_the_limit_is_refused_before_it_is_read(client, alice, small_limits):
    # DRF reads JSON from the stream, past Django's own check: without the
    # middleware this body would be read whole, then refused as a 400.
    client.force_login(alice)
    body = '{"html": "<p>' + "word " * 5000 + '</p>"}'
    r = client.post("/api/articles/", body, content_type="application/json")
    assert r.status_code == 413
    assert r.json()["code"] == "too_large" and "4,000 bytes" in r.json()["detail"]
    assert not Article.objects.exists()


def test_a_json_body_under_the_limit_still_reaches_the_api(client, alice, small_limits):
    client.force_login(alice)
    r = client.post(
        "/api/articles/",
        '{"html": "<p>' + "word " * 1000 + '</p>"}',
        content_type="application/json",
    )
    assert r.status_code == 400 and "too large" in r.json()["detail"]  # services' own check


# --- A large urlencoded body costs nothing: it is refused unread ---------------

# The probe's body: each "%C3%A9" parses into Python objects worth ~75 times its size.
HOSTILE = b"%C3%A9" * (live_settings.FORM_BODY_MAX_BYTES * 5 // 12)  # 2.5 × the limit
URLENCODED = "application/x-www-form-urlencoded"


def post_measured(client, path, body, content_type, **headers):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = client.generic("POST", path, body, content_type=content_type, **headers)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, peak, time.perf_counter() - started


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/api/auth/token/",
        "/accounts/password_reset/",
        "/factchecks/",
        "/articles/new/",
        "/api/articles/",
        "/admin/claims/article/add/",
    ],
)
def test_a_large_urlencoded_body_gets_413_without_being_parsed(client, path):
    assert len(HOSTILE) > 2 * live_settings.FORM_BODY_MAX_BYTES
    r, peak, seconds = post_measured(client, path, HOSTILE, URLENCODED)
    assert r.status_code == 413, (path, r.status_code)
    assert f"{len(HOSTILE):,} bytes" in r.content.decode()
    assert r["Connection"] == "close"
    # Parsed, this body would peak near 200 MB; refused unread, at the cost of
    # the test client's own copies of it.
    assert peak < 4 * len(HOSTILE), f"{path}: {peak / 1e6:.0f} MB"
    assert seconds < 2


def test_the_api_says_it_as_json_and_the_pages_as_a_page(client):
    r = client.generic("POST", "/api/auth/token/", HOSTILE, content_type=URLENCODED)
    assert r.json()["code"] == "too_large" and "at most 1,024 KB" in r.json()["detail"]
    r = client.generic("POST", "/accounts/login/", HOSTILE, content_type=URLENCODED)
    assert r["Content-Type"].startswith("text/html") and "at most 1,024 KB" in r.content.decode()


def test_a_multipart_or_json_body_to_a_door_that_takes_no_article_is_held_to_the_form_limit(
    client, alice, make_claim
):
    client.force_login(alice)
    body = {"username": "x" * (2 * live_settings.FORM_BODY_MAX_BYTES), "password": "y"}
    assert client.post("/accounts/login/", body).status_code == 413  # multipart
    r = client.post("/api/auth/token/", json.dumps(body), content_type="application/json")
    assert r.status_code == 413
    claim = make_claim()
    r = client.post(f"/claims/{claim.pk}/act/edit_research/", body)
    assert r.status_code == 413


# --- Articles and documents still come in, as multipart or JSON ----------------


@pytest.fixture
def form_limit_below_an_article(settings):
    # The sample article (about 4 kB) is larger than any form may be.
    settings.FORM_BODY_MAX_BYTES = 1_500
    html = SEED.read_text()
    assert len(html.encode()) > 2 * settings.FORM_BODY_MAX_BYTES
    return html


def test_the_desk_form_posts_a_paste_larger_than_any_form_as_multipart(
    client, alice, form_limit_below_an_article
):
    html = form_limit_below_an_article
    client.force_login(alice)
    page = client.get("/articles/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    r = client.post("/articles/new/", {"html": html})  # the test client posts multipart
    assert r.status_code == 302, r.content[:300]
    assert Article.objects.get().raw_html == html.strip()


def test_the_same_paste_urlencoded_is_told_to_come_as_multipart(
    client, alice, form_limit_below_an_article
):
    from urllib.parse import urlencode

    client.force_login(alice)
    body = urlencode({"html": form_limit_below_an_article})
    r = client.generic("POST", "/articles/new/", body, content_type=URLENCODED)
    assert r.status_code == 413 and "multipart/form-data" in r.content.decode()
    assert not Article.objects.exists()


def test_the_api_takes_the_article_as_json_or_a_file(
    client, alice, form_limit_below_an_article, generous_api_rates
):
    _, token = AuthToken.objects.create(user=alice)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    html = form_limit_below_an_article
    r = client.post(
        "/api/articles/", json.dumps({"html": html}), content_type="application/json", **auth
    )
    assert r.status_code == 201, r.content[:300]
    upload = SimpleUploadedFile("page.html", (html + "<p>Another.</p>").encode(), "text/html")
    r = client.post("/api/articles/", {"file": upload}, **auth)
    assert r.status_code == 201, r.content[:300]
    assert Article.objects.count() == 2


def test_the_admin_add_article_form_posts_as_multipart(client, root, form_limit_below_an_article):
    client.force_login(root)
    page = client.get("/admin/claims/article/add/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    r = client.post(
        "/admin/claims/article/add/", {"url": "", "raw_html": form_limit_below_an_article}
    )
    assert r.status_code == 302, r.content[:300]
    assert Article.objects.count() == 1


def test_an_evidence_document_larger_than_any_form_is_uploaded(
    client, make_claim, bob, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.FORM_BODY_MAX_BYTES = 1_500
    claim = make_claim(status="in_review", assignee=bob)
    client.force_login(bob)
    document = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * 10_000)
    body = encode_multipart(
        "BoUnDaRy", {"add_evidence-version": claim.version, "add_evidence-document": document}
    )
    r = client.generic(
        "POST",
        f"/claims/{claim.pk}/act/add_evidence/",
        body,
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert r.status_code == 302, r.content[:500]
    assert Evidence.objects.filter(claim=claim).count() == 1
