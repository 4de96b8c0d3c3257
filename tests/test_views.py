"""The editor web app: login required, roles respected, submissions safe."""

import pytest
from django.urls import reverse

from claims.models import Article

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client, make_claim):
    claim = make_claim()
    for url in (reverse("claims:desk"), reverse("claims:articles"), reverse("claims:submit"),
                claim.article.get_absolute_url(), claim.get_absolute_url()):
        r = client.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith("/accounts/login/?next="), url


def test_login_page_renders(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200 and b'name="password"' in r.content


def test_editor_sees_articles_with_their_claims(client, alice, bob, make_claim):
    claim = make_claim(status="assigned", assignee=bob)
    client.force_login(alice)
    page = client.get(reverse("claims:articles")).content.decode()
    assert claim.article.title in page and claim.text in page and "Assigned" in page


def test_a_user_outside_the_desk_is_refused(client, dave):
    client.force_login(dave)
    assert client.get(reverse("claims:desk")).status_code == 403


def test_reviewers_cannot_submit_articles(client, bob):
    client.force_login(bob)
    assert client.get(reverse("claims:submit")).status_code == 403


def test_submitting_pasted_html_stores_the_article(client, alice, seed_html):
    client.force_login(alice)
    r = client.post(reverse("claims:submit"), {"html": seed_html.decode()})
    article = Article.objects.get()
    assert r.status_code == 302 and r["Location"] == article.get_absolute_url()
    assert "six-page complaint" in article.text and "<a" not in article.text
    # Again: the same article, not a second one.
    r = client.post(reverse("claims:submit"), {"html": seed_html.decode()}, follow=True)
    assert Article.objects.count() == 1
    assert b"already submitted" in r.content


def test_uploading_a_file_in_another_encoding(client, alice):
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    html = ('<html><head><meta charset="windows-1252"><title>Caf\u00e9 prices</title></head>'
            "<body><p>The caf\u00e9 charged \u00a34.50 for a coffee, said Mr Smith.</p></body></html>")
    upload = SimpleUploadedFile("a.html", html.encode("cp1252"), "text/html")
    r = client.post(reverse("claims:submit"), {"file": upload})
    assert r.status_code == 302
    assert "café charged £4.50" in Article.objects.get().text


@pytest.mark.parametrize("payload,message", [
    ({}, "Paste HTML, upload a file, or give a URL."),
    ({"html": "<html><body><script>x()</script></body></html>"}, "no article text"),
    ({"url": "http://127.0.0.1:6379/"}, "private or local address"),
    ({"url": "ftp://example.org/a"}, "Enter a valid URL"),
])
def test_bad_submissions_get_a_clear_error_and_keep_the_input(client, alice, payload, message,
                                                            settings):
    settings.FETCH_ALLOW_PRIVATE = False
    client.force_login(alice)
    r = client.post(reverse("claims:submit"), payload)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not Article.objects.exists()


def test_a_huge_file_is_refused(client, alice, settings):
    settings.MAX_ARTICLE_BYTES = 1000
    client.force_login(alice)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.html", b"<p>" + b"word " * 1000 + b"</p>", "text/html")
    r = client.post(reverse("claims:submit"), {"file": upload})
    assert r.status_code == 200 and "too large" in r.content.decode()
    assert not Article.objects.exists()
