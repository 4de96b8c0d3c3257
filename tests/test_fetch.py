"""Submitting a URL: the worker fetches it from a real local HTTP server, safely."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from claims import services
from claims.models import Article, Claim

from .conftest import SEED

pytestmark = pytest.mark.django_db


class Site:
    """A tiny web server whose routes answer (status, headers, body[, delay])."""

    def __init__(self):
        self.routes = {}
        self.hits = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.hits.append(self.path)
                status, headers, body, *delay = site.routes.get(
                    self.path, (404, {}, b"not found"))
                if delay:
                    time.sleep(delay[0])
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def site(settings):
    settings.FETCH_ALLOW_PRIVATE = True  # the site lives on 127.0.0.1
    settings.FETCH_TIMEOUT_SECONDS = 1
    s = Site()
    yield s
    s.server.shutdown()
    s.server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def submit_and_run(url, alice):
    article = services.submit_article(actor=alice, url=url).article
    assert article.status == Article.Status.RECEIVED and not article.raw_html
    services.extract_and_store(article)  # what the worker's task runs
    article.refresh_from_db()
    return article


def test_a_url_is_fetched_extracted_and_kept(site, alice):
    site.routes["/story"] = (200, HTML, SEED.read_bytes())
    article = submit_and_run(site.base + "/story", alice)
    assert article.status == Article.Status.EXTRACTED
    assert "six-page complaint" in article.text
    assert Claim.objects.filter(article=article).count() >= 3
    # Submitting the URL again gives the same article back.
    again = services.submit_article(actor=alice, url=site.base + "/story")
    assert again.duplicate and again.article.pk == article.pk


def test_redirects_are_followed_and_the_charset_header_is_honoured(site, alice):
    body = "<p>The café charged £4.50, said Mr Smith, up from £3 in 2020.</p>"
    site.routes["/old"] = (301, {"Location": "/new"}, b"")
    site.routes["/new"] = (200, {"Content-Type": "text/html; charset=windows-1252"},
                           body.encode("cp1252"))
    article = submit_and_run(site.base + "/old", alice)
    assert article.status == Article.Status.EXTRACTED
    assert "café charged £4.50" in article.text


@pytest.mark.parametrize("route,message", [
    ((404, HTML, b"gone"), "answered 404"),
    ((200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"), "not a web page"),
    ((200, HTML, b"<p>" + b"word " * 3000 + b"</p>"), "too large"),
    ((200, HTML, b"<html><body><script>track()</script></body></html>"), "no article text"),
])
def test_a_bad_page_fails_the_article_with_a_clear_error(site, alice, settings, route, message):
    settings.MAX_ARTICLE_BYTES = 10_000
    site.routes["/bad"] = route
    article = submit_and_run(site.base + "/bad", alice)
    assert article.status == Article.Status.FAILED
    assert message in article.error
    assert not Claim.objects.filter(article=article).exists()


def test_a_slow_or_broken_server_is_retried_not_failed(site, alice):
    site.routes["/slow"] = (200, HTML, b"<p>Late.</p>", 3)
    site.routes["/down"] = (503, HTML, b"busy")
    for path in ("/slow", "/down"):
        article = services.submit_article(actor=alice, url=site.base + path).article
        with pytest.raises(services.TransientFetchError):
            services.extract_and_store(article)
        article.refresh_from_db()
        assert article.status == Article.Status.FETCHING  # kept for the retry


def test_a_redirect_into_the_private_network_is_refused(site, alice, settings):
    site.routes["/sneaky"] = (302, {"Location": "http://127.0.0.1:6379/"}, b"")
    settings.FETCH_ALLOW_PRIVATE = True
    article = services.submit_article(actor=alice, url=site.base + "/sneaky").article
    settings.FETCH_ALLOW_PRIVATE = False  # as in production, from here on
    services.extract_and_store(article)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "private or local address" in article.error


@pytest.mark.parametrize("url,message", [
    ("http://127.0.0.1/", "private or local address"),
    ("http://localhost:8000/admin/", "private or local address"),
    ("http://[::1]/", "private or local address"),
    ("http://10.1.2.3/", "private or local address"),
    ("http://169.254.169.254/latest/meta-data/", "private or local address"),
    ("http://user:secret@example.org/", "user name or password"),
    ("file:///etc/passwd", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
])
def test_hostile_urls_are_refused_before_anything_is_saved(alice, settings, url, message):
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(services.SubmissionError, match=message.replace("/", "/")):
        services.submit_article(actor=alice, url=url)
    assert not Article.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_server_that_stays_down_fails_the_article_after_the_retries(celery_worker, site,
                                                                      settings, alice):
    from .conftest import wait_until

    settings.FETCH_RETRY_BASE_SECONDS = 0.05
    site.routes["/down"] = (503, HTML, b"busy")
    article = services.submit_article(actor=alice, url=site.base + "/down").article
    wait_until(lambda: Article.objects.get(pk=article.pk).status == Article.Status.FAILED,
               timeout=30, message="article failed")
    article.refresh_from_db()
    assert "answered 503" in article.error and "Gave up after 4 tries" in article.error
    assert site.hits == ["/down"] * 4
