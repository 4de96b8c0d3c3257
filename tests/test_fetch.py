"""Submitting a URL: the worker fetches it from a real local HTTP server, safely.

Two loopback addresses stand for the two sides of the network: 127.0.0.1 plays
the public internet (the ``stand_in_internet`` fixture tells the address check
so) and 127.0.0.2 is our private network, where a canary server counts every
request that reaches it. DNS, which lies outside the machine, is a stub.
"""

import shutil
import socket
import ssl
import subprocess
import time

import pytest
import urllib3

from claims.intake import submission
from claims.models import Article, Claim, Webhook, WebhookDelivery
from claims.net import fetching
from claims.publishing import webhooks

from .conftest import SEED

pytestmark = pytest.mark.django_db

HTML = {"Content-Type": "text/html; charset=utf-8"}


def submit_and_run(url, alice):
    article = submission.submit_article(actor=alice, url=url).article
    assert article.status == Article.Status.RECEIVED and not article.raw_html
    submission.extract_and_store(article)  # what the worker's task runs
    article.refresh_from_db()
    return article


def test_a_url_is_fetched_extracted_and_kept(site, alice):
    site.routes["/story"] = (200, HTML, SEED.read_bytes())
    article = submit_and_run(site.base + "/story", alice)
    assert article.status == Article.Status.EXTRACTED
    assert "six-page complaint" in article.text
    assert Claim.objects.filter(article=article).count() >= 3
    # Submitting the URL again gives the same article back.
    again = submission.submit_article(actor=alice, url=site.base + "/story")
    assert again.duplicate and again.article.pk == article.pk


def test_redirects_are_followed_and_the_charset_header_is_honoured(site, alice):
    body = "<p>The café charged £4.50, said Mr Smith, up from £3 in 2020.</p>"
    site.routes["/old"] = (301, {"Location": "/new"}, b"")
    site.routes["/new"] = (
        200,
        {"Content-Type": "text/html; charset=windows-1252"},
        body.encode("cp1252"),
    )
    article = submit_and_run(site.base + "/old", alice)
    assert article.status == Article.Status.EXTRACTED
    assert "café charged £4.50" in article.text


@pytest.mark.parametrize(
    "route,message",
    [
        ((404, HTML, b"gone"), "answered 404"),
        ((200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"), "not a web page"),
        (
            (200, {"Content-Type": "text/plain"}, b"<p>Not a page, said the server.</p>"),
            "not a web page",
        ),
        ((200, HTML, b"<p>" + b"word " * 3000 + b"</p>"), "too large"),
        ((200, HTML, b"<html><body><script>track()</script></body></html>"), "no article text"),
    ],
)
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
        article = submission.submit_article(actor=alice, url=site.base + path).article
        with pytest.raises(submission.TransientFetchError):
            submission.extract_and_store(article)
        article.refresh_from_db()
        assert article.status == Article.Status.FETCHING  # kept for the retry


@pytest.mark.parametrize(
    "url,message",
    [
        ("http://127.0.0.1/", "private or local address"),
        ("http://localhost/admin/", "private or local address"),
        ("http://[::1]/", "private or local address"),
        ("http://10.1.2.3/", "private or local address"),
        ("http://169.254.169.254/latest/meta-data/", "private or local address"),
        ("http://user:secret@example.org/", "user name or password"),
        ("file:///etc/passwd", "http:// or https://"),
        ("javascript:alert(1)", "http:// or https://"),
        ("http://[::127.0.0.1]/", "private or local address"),  # IPv4-compatible
        ("http://[::ffff:127.0.0.1]/", "private or local address"),  # IPv4-mapped
        ("http://[64:ff9b::7f00:1]/", "private or local address"),  # NAT64 of 127.0.0.1
        ("http://[64:ff9b:1::a00:1]/", "private or local address"),  # local-use NAT64
        ("http://[2002:7f00:1::1]/", "private or local address"),  # 6to4 of 127.0.0.1
        ("http://[2002:a9fe:a9fe::1]/", "private or local address"),  # 6to4 of 169.254.169.254
        ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "private or local address"),  # Teredo
        ("http://[fec0::1]/", "private or local address"),  # site-local
        ("http://[fe80::1]/", "private or local address"),
        ("http://[ff02::1]/", "private or local address"),
        ("http://2130706433/", "private or local address"),  # 127.0.0.1 as one number
        ("http://0x7f.1/", "private or local address"),
        ("http://93.184.215.14:6379/", "Port 6379 is not allowed"),
        ("https://93.184.215.14:8443/", "Port 8443 is not allowed"),
        ("http://example.org:99999/", "not valid"),
    ],
)
def test_hostile_urls_are_refused_before_anything_is_saved(alice, settings, url, message):
    settings.FETCH_ALLOW_PRIVATE = False
    with pytest.raises(submission.SubmissionError, match=message.replace("/", "/")):
        submission.submit_article(actor=alice, url=url)
    assert not Article.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_server_that_stays_down_fails_the_article_after_the_retries(
    celery_worker, site, settings, alice
):
    from .conftest import wait_until

    settings.FETCH_RETRY_BASE_SECONDS = 0.05
    site.routes["/down"] = (503, HTML, b"busy")
    article = submission.submit_article(actor=alice, url=site.base + "/down").article
    wait_until(
        lambda: Article.objects.get(pk=article.pk).status == Article.Status.FAILED,
        timeout=30,
        message="article failed",
    )
    article.refresh_from_db()
    assert "answered 503" in article.error and "Gave up after 4 tries" in article.error
    assert site.hits == ["/down"] * 4


# ---------------------------------------------------------------------------
# The public internet and our private network, both on loopback


class StubDNS:
    """DNS for test names: each name answers from its list, one answer per
    lookup, repeating the last. Other names go to the real resolver."""

    def __init__(self, monkeypatch):
        self.answers = {}
        self.lookups = []
        real = socket.getaddrinfo

        def getaddrinfo(host, port, *args, **kwargs):
            if host not in self.answers:
                return real(host, port, *args, **kwargs)
            self.lookups.append(host)
            queue = self.answers[host]
            address = queue.pop(0) if len(queue) > 1 else queue[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port or 80)))]

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def stand_in_internet(loopback, settings, monkeypatch):
    """127.0.0.1 plays a public web server; 127.0.0.2 is a canary inside our
    network, on the same port, counting whatever reaches it."""
    real = fetching.is_public_ip
    monkeypatch.setattr(fetching, "is_public_ip", lambda ip: str(ip) == "127.0.0.1" or real(ip))
    public = loopback("127.0.0.1")
    canary = loopback("127.0.0.2", public.port)
    canary.routes = {
        path: (200, HTML, b"<p>The canary says the secret is 42.</p>")
        for path in ("/", "/story", "/admin/", "/hooks")
    }
    settings.FETCH_ALLOW_PRIVATE = False
    settings.FETCH_ALLOWED_PORTS = [80, 443, public.port]
    settings.FETCH_TIMEOUT_SECONDS = 2
    dns = StubDNS(monkeypatch)
    return public, canary, dns


def test_a_name_that_rebinds_to_our_network_after_the_check_is_not_followed(stand_in_internet):
    public, canary, dns = stand_in_internet
    public.routes["/story"] = (200, HTML, SEED.read_bytes())
    # Public when checked, then private for anyone who asks again.
    dns.answers["rebind.test"] = ["127.0.0.1", "127.0.0.2"]
    body, _ = fetching.fetch_url(f"http://rebind.test:{public.port}/story")
    assert b"six-page complaint" in body
    assert public.hits == ["/story"]
    assert canary.connections == 0 and canary.hits == []
    assert dns.lookups == ["rebind.test"]  # asked once, connected to that answer


def test_a_redirect_into_the_private_network_is_refused(stand_in_internet, alice):
    public, canary, dns = stand_in_internet
    dns.answers["news.test"] = ["127.0.0.1"]
    dns.answers["intranet.test"] = ["127.0.0.2"]
    public.routes["/sneaky"] = (
        302,
        {"Location": f"http://intranet.test:{public.port}/admin/"},
        b"",
    )
    article = submit_and_run(f"http://news.test:{public.port}/sneaky", alice)
    assert public.hits == ["/sneaky"]  # the first hop was fetched: it is public
    assert article.status == Article.Status.FAILED
    assert "private or local address" in article.error
    assert canary.hits == []


def test_a_connection_that_lands_elsewhere_than_the_checked_address_is_dropped(
    stand_in_internet, monkeypatch
):
    public, canary, dns = stand_in_internet
    dns.answers["news.test"] = ["127.0.0.1"]
    real_connect = urllib3.util.connection.create_connection

    def hijacked_route(address, *args, **kwargs):  # the network sends us elsewhere
        return real_connect(("127.0.0.2", address[1]), *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", hijacked_route)
    with pytest.raises(fetching.SubmissionError, match="not the checked address"):
        fetching.fetch_url(f"http://news.test:{public.port}/story")
    assert canary.hits == [] and public.hits == []


def test_a_webhook_to_a_rebinding_name_reaches_only_the_checked_address(
    stand_in_internet, alice, settings
):
    public, canary, dns = stand_in_internet
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    public.routes["/hooks"] = (200, {}, b"ok")
    dns.answers["partner.test"] = ["127.0.0.1", "127.0.0.2"]
    hook = Webhook.objects.create(url=f"http://partner.test:{public.port}/hooks", created_by=alice)
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event="claim.published", key="rebind", payload={"event": "claim.published"}
    )
    assert webhooks.attempt_delivery(delivery.pk, auto_retry=False) == ("succeeded", 0)
    assert public.hits == ["/hooks"] and canary.connections == 0


def self_signed(tmp_path, name):
    cert, key = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={name}",
            "-addext",
            f"subjectAltName=DNS:{name}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command")
@pytest.mark.parametrize("cert_name,works", [("news.test", True), ("other.test", False)])
def test_https_to_the_pinned_address_still_checks_the_certificate_for_the_name(
    stand_in_internet, loopback, settings, tmp_path, cert_name, works
):
    public, canary, dns = stand_in_internet
    cert, context = self_signed(tmp_path, cert_name)
    sni = []
    context.sni_callback = lambda sock, name, ctx: sni.append(name)
    site = loopback("127.0.0.1", tls=context)
    seen = []

    def story(handler):
        seen.append((handler.headers["Host"], sni[-1]))
        handler.send_response(200)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")

    site.routes["/story"] = story
    settings.FETCH_ALLOWED_PORTS = [443, site.port]
    dns.answers["news.test"] = ["127.0.0.1"]
    url = f"https://news.test:{site.port}/story"
    if works:
        with fetching.open_pinned("GET", url, timeout=2, verify=str(cert)) as resp:
            assert resp.status_code == 200 and resp.content == b"ok"
        # The name, not the address, went in the Host header and in TLS SNI.
        assert seen == [(f"news.test:{site.port}", "news.test")]
    else:
        with pytest.raises(fetching.TransientFetchError, match="connection failed"):
            fetching.open_pinned("GET", url, timeout=2, verify=str(cert))
        assert seen == []


# ---------------------------------------------------------------------------
# Misbehaving servers end in a clear error, never a stray exception


def drip(handler):
    """Headers at once, then one byte a quarter-second: 10 s for the body."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "40")
    handler.end_headers()
    for _ in range(40):
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.25)


def test_a_server_that_drips_its_answer_is_cut_off_at_the_deadline(site, settings):
    settings.FETCH_DEADLINE_SECONDS = 1
    settings.FETCH_TIMEOUT_SECONDS = 2  # each drip arrives well within a read timeout
    site.routes["/drip"] = drip
    with pytest.raises(fetching.TransientFetchError, match="took longer than 1 seconds"):
        fetching.fetch_url(site.base + "/drip")


def raw(status_line, headers, body, close=True):
    def answer(handler):
        handler.wfile.write(
            status_line + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body
        )
        handler.wfile.flush()
        handler.close_connection = close

    return answer


@pytest.mark.parametrize(
    "answer,error,message",
    [
        (
            raw(
                b"HTTP/1.1 200 OK",
                [b"Content-Type: text/html", b"Content-Encoding: gzip", b"Content-Length: 20"],
                b"this is not gzip at!",
            ),
            fetching.SubmissionError,
            "compressed content is corrupt",
        ),
        (
            raw(
                b"HTTP/1.1 200 OK",
                [b"Content-Type: text/html", b"Transfer-Encoding: chunked"],
                b"zz\r\nbroken\r\n",
            ),
            fetching.TransientFetchError,
            "broke off",
        ),
        (
            raw(
                b"HTTP/1.1 200 OK",
                [b"Content-Type: text/html", b"Content-Length: 5000"],
                b"<p>only the start",
            ),
            fetching.TransientFetchError,
            "broke off",
        ),
        (raw(b"NOT HTTP AT ALL", [], b""), fetching.TransientFetchError, "Could not reach"),
        (
            raw(b"HTTP/1.1 302 Found", [b"Location: http://[::1", b"Content-Length: 0"], b""),
            fetching.SubmissionError,
            "not valid",
        ),
        (
            raw(b"HTTP/1.1 302 Found", [b"Location: /loop", b"Content-Length: 0"], b""),
            fetching.SubmissionError,
            "Too many redirects",
        ),
        (
            raw(
                b"HTTP/1.1 302 Found",
                [b"Location: gopher://example.org/", b"Content-Length: 0"],
                b"",
            ),
            fetching.SubmissionError,
            "http:// or https://",
        ),
    ],
)
def test_a_misbehaving_server_gives_a_clear_error(site, answer, error, message):
    site.routes["/loop"] = answer
    with pytest.raises(error, match=message):
        fetching.fetch_url(site.base + "/loop")


def test_broken_gzip_fails_the_article_with_a_readable_reason(site, alice):
    site.routes["/gz"] = raw(
        b"HTTP/1.1 200 OK",
        [b"Content-Type: text/html", b"Content-Encoding: gzip", b"Content-Length: 20"],
        b"this is not gzip at!",
    )
    article = submit_and_run(site.base + "/gz", alice)
    assert article.status == Article.Status.FAILED
    assert "compressed content is corrupt" in article.error


@pytest.mark.parametrize(
    "address,public",
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("::127.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("2002:7f00:1::1", False),
        ("fec0::1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("224.0.0.1", False),
    ],
)
def test_embedded_ipv4_addresses_decide_whether_an_ipv6_address_is_public(address, public):
    import ipaddress

    assert fetching.is_public_ip(ipaddress.ip_address(address)) is public


# Every IPv6 form that carries an IPv4 address, as a format string for its a.b.c.d.
EMBEDDING_FORMS = {
    "IPv4-mapped ::ffff:a.b.c.d": "::ffff:{}",
    "IPv4-translated ::ffff:0:a.b.c.d": "::ffff:0:{}",
    "IPv4-compatible ::a.b.c.d": "::{}",
    "6to4 2002:AABB:CCDD::/48": "2002:{h}::1",
    "NAT64 64:ff9b::a.b.c.d": "64:ff9b::{}",
    "local NAT64 64:ff9b:1::/48": "64:ff9b:1::{}",
    "Teredo 2001::/32 (client address inverted)": "2001:0:4136:e378:8000:63bf:{t}",
}
INSIDE = ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.0.1", "169.254.169.254", "0.0.0.0"]


def _embed(form: str, v4: str) -> str:
    import ipaddress

    n = int(ipaddress.IPv4Address(v4))
    return form.format(
        v4, h=f"{n >> 16:x}:{n & 0xFFFF:x}", t=f"{~n >> 16 & 0xFFFF:x}:{~n & 0xFFFF:x}"
    )


@pytest.mark.parametrize("inside", INSIDE)
@pytest.mark.parametrize("form", EMBEDDING_FORMS)
def test_a_private_ipv4_address_inside_any_ipv6_form_is_refused(form, inside, settings):
    import ipaddress

    settings.FETCH_ALLOW_PRIVATE = False
    address = _embed(EMBEDDING_FORMS[form], inside)
    assert not fetching.is_public_ip(ipaddress.ip_address(address)), address
    assert not fetching._address_allowed(address), address


@pytest.mark.parametrize(
    "form",
    ["IPv4-translated ::ffff:0:a.b.c.d", "IPv4-mapped ::ffff:a.b.c.d", "6to4 2002:AABB:CCDD::/48"],
)
def test_a_public_ipv4_address_inside_is_judged_public(form):
    import ipaddress

    address = _embed(EMBEDDING_FORMS[form], "8.8.8.8")
    assert fetching.is_public_ip(ipaddress.ip_address(address)), address
