"""Requests over the size limit get a clear answer, not a bare 400."""

import pytest
from django.conf import settings as live_settings

from claims.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(settings):
    settings.MAX_ARTICLE_BYTES = 4_000
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
