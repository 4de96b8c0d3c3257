"""Fetching from the outside world without being turned against our own network.

Every outbound request (fetching a submitted URL, posting a webhook) goes
through ``open_pinned``:

- the address is checked (http or https, no user name, an allowed port) and its
  host name resolved once; every answer must be a globally routable address,
  including the IPv4 address carried inside IPv6 forms (IPv4-mapped and
  -compatible, NAT64, 6to4; Teredo is refused outright);
- the connection goes to the address that was checked (a requests transport
  adapter that pins it), so a name that answers differently a moment later
  (DNS rebinding) cannot redirect us; the Host header, TLS SNI and the
  certificate check still use the host name;
- after connecting, the peer's address is checked again.

``fetch_url`` adds a total deadline, a redirect limit (each hop checked like
the first), a size limit and the content types we accept. It raises only
``SubmissionError`` (refused; the message is fit to show the user) or
``TransientFetchError`` (worth retrying).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

USER_AGENT = "factcheck/0.1 (+newsroom fact-check desk)"
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
MAX_REDIRECTS = 5


class SubmissionError(ValueError):
    """The submission was refused; the message is fit to show the user."""


class TransientFetchError(Exception):
    """A fetch failed in a way worth retrying (timeout, 5xx)."""


# ---------------------------------------------------------------------------
# Which addresses are public

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_IPV4_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT, RFC 6052 §2.1


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address, looking inside IPv6 forms
    that carry an IPv4 address (a relay would take us to that address)."""
    if ip.is_multicast or not ip.is_global:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return True
    if ip.teredo is not None or ip in _NAT64_LOCAL or ip.is_site_local:
        return False
    embedded = ip.ipv4_mapped or ip.sixtofour
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE or ip in _IPV4_TRANSLATED:
        embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return embedded is None or is_public_ip(embedded)


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name resolves to (the one place we ask DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _allowed_ports() -> set[int]:
    return {int(p) for p in settings.FETCH_ALLOWED_PORTS}


def _address_allowed(address: str) -> bool:
    if settings.FETCH_ALLOW_PRIVATE:
        return True
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return is_public_ip(ip)


def check_url(url: str) -> tuple[str, int]:
    """Refuse what is not a plain http(s) address; return (host, port)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SubmissionError("This address is not valid.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubmissionError("Give an http:// or https:// address.")
    if parts.username or parts.password:
        raise SubmissionError("Addresses with a user name or password are not accepted.")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def check_port(port: int) -> None:
    if port not in _allowed_ports() and not settings.FETCH_ALLOW_PRIVATE:
        raise SubmissionError(f"Port {port} is not allowed; use a standard web address.")


def resolve_public(host: str, port: int) -> str:
    """Resolve ``host`` once and return the address to connect to; every answer
    must be public, so a name that mixes public and private answers is refused."""
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise SubmissionError(f"Cannot resolve {host}.") from exc
    if not addresses:
        raise SubmissionError(f"Cannot resolve {host}.")
    for address in addresses:
        if not _address_allowed(address):
            raise SubmissionError(
                f"{host} points to a private or local address; refusing to fetch it."
            )
    return addresses[0]


def validate_public_url(url: str, *, resolve: bool = True) -> str | None:
    """Refuse URLs that are not plain http(s), or that point inside our network.

    Returns the checked address to connect to (None when ``resolve`` is off, or
    FETCH_ALLOW_PRIVATE turns the address check off)."""
    host, port = check_url(url)
    if not resolve or settings.FETCH_ALLOW_PRIVATE:
        return None
    address = resolve_public(host, port)
    check_port(port)  # after the address, so a private address is named as such
    return address


# ---------------------------------------------------------------------------
# A transport that connects only to the checked address


class _PinnedConnectionMixin:
    """Connect to ``pinned_address`` instead of resolving ``self.host`` again.

    ``self.host`` stays the name, so the Host header, SNI and the certificate's
    host name check are unchanged."""

    pinned_address: str = ""

    def _new_conn(self):
        # As urllib3's own _new_conn, but to the pinned address. (Setting
        # _dns_host instead would also change self.host, hence SNI and Host.)
        try:
            sock = urllib3.util.connection.create_connection(
                (self.pinned_address, self.port),
                self.timeout,
                source_address=self.source_address,
                socket_options=self.socket_options,
            )
        except TimeoutError as exc:
            raise urllib3.exceptions.ConnectTimeoutError(
                self, f"Connection to {self.host} timed out."
            ) from exc
        except OSError as exc:
            raise urllib3.exceptions.NewConnectionError(
                self, f"Failed to establish a new connection: {exc}"
            ) from exc
        try:
            peer = sock.getpeername()[0]
        except OSError as exc:
            sock.close()
            raise urllib3.exceptions.NewConnectionError(self, f"No peer: {exc}") from exc
        if _normalise(peer) != _normalise(self.pinned_address) or not _address_allowed(peer):
            sock.close()
            raise PeerRefused(f"Connected to {peer}, not the checked address; refusing.")
        return sock


class PeerRefused(urllib3.exceptions.HTTPError):
    """The socket's peer is not the address that was checked."""


def _normalise(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return str(ip)


class PinnedAdapter(HTTPAdapter):
    """A requests adapter whose connections all go to one checked address.

    Mounted on a session that sends exactly one request, without following
    redirects: each hop gets its own check and its own adapter."""

    def __init__(self, address: str):
        self.pinned_address = address
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        extra = {"pinned_address": self.pinned_address}
        http_conn = type("PinnedHTTPConnection", (_PinnedConnectionMixin, HTTPConnection), extra)
        https_conn = type("PinnedHTTPSConnection", (_PinnedConnectionMixin, HTTPSConnection), extra)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
        }

    def proxy_manager_for(self, *args, **kwargs):  # never through a proxy
        raise requests.exceptions.InvalidURL("Proxies are not used for outbound requests.")


# Errors worth another try later; everything else from requests, urllib3 or the
# socket layer is a refusal.
_TRANSIENT = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    urllib3.exceptions.TimeoutError,
    urllib3.exceptions.ProtocolError,
    urllib3.exceptions.NewConnectionError,
    http.client.HTTPException,
    OSError,
)
_REFUSED = (
    requests.RequestException,
    urllib3.exceptions.HTTPError,
    UnicodeError,
    ValueError,
)


def describe(exc: BaseException) -> str:
    """A short readable reason for a failed request."""
    if isinstance(exc, PeerRefused):
        return str(exc)
    if isinstance(exc, (requests.Timeout, urllib3.exceptions.TimeoutError, socket.timeout)):
        return "it did not answer in time"
    if isinstance(exc, (requests.exceptions.ContentDecodingError, urllib3.exceptions.DecodeError)):
        return "its compressed content is corrupt"
    if isinstance(
        exc,
        (
            requests.exceptions.ChunkedEncodingError,
            urllib3.exceptions.ProtocolError,
            http.client.HTTPException,
        ),
    ):
        return "the connection broke off mid-answer"
    if isinstance(exc, (requests.ConnectionError, urllib3.exceptions.NewConnectionError, OSError)):
        return "the connection failed"
    if isinstance(exc, (requests.exceptions.InvalidURL, ValueError)):
        return "an address in the request or its answer is not valid"
    return exc.__class__.__name__


def _as_fetch_error(url: str, exc: BaseException) -> Exception:
    if isinstance(exc, PeerRefused):
        return SubmissionError(str(exc))
    if isinstance(exc, _TRANSIENT) and not isinstance(
        exc, (requests.exceptions.ContentDecodingError, requests.exceptions.InvalidURL)
    ):
        return TransientFetchError(f"Could not reach {url}: {describe(exc)}.")
    return SubmissionError(f"Could not fetch {url}: {describe(exc)}.")


def open_pinned(method: str, url: str, *, timeout: float, **kwargs) -> requests.Response:
    """Send one request to a checked, pinned address (no redirects followed).

    Returns a streamed response the caller must close. Raises SubmissionError or
    TransientFetchError."""
    # With FETCH_ALLOW_PRIVATE (development) nothing is refused, but the
    # connection is still pinned to the one lookup.
    address = validate_public_url(url) or resolve_public(*check_url(url))
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment
    adapter = PinnedAdapter(address)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    try:
        return session.request(
            method, url, timeout=timeout, allow_redirects=False, stream=True, **kwargs
        )
    except _TRANSIENT + _REFUSED as exc:
        raise _as_fetch_error(url, exc) from exc
    finally:
        session.close()


# ---------------------------------------------------------------------------
# Fetching a page


def fetch_url(url: str, *, content_types=HTML_TYPES) -> tuple[bytes, str | None]:
    """GET a public web page, following at most five redirects, each one re-checked.

    ``content_types`` are the media types accepted (feeds and sitemaps pass theirs).

    The whole fetch, redirects included, must finish within
    FETCH_DEADLINE_SECONDS (plus at most one read timeout): a server that drips
    its answer is cut off. Returns (body, charset from the headers or None)."""
    deadline = time.monotonic() + settings.FETCH_DEADLINE_SECONDS
    headers = {"User-Agent": USER_AGENT, "Accept": ",".join(t for t in content_types if t)}
    for _ in range(MAX_REDIRECTS + 1):
        timeout = _remaining(url, deadline)
        resp = open_pinned("GET", url, headers=headers, timeout=timeout)
        with resp:
            if resp.is_redirect:
                try:
                    url = urljoin(url, resp.headers.get("Location", ""))
                except ValueError as exc:
                    raise SubmissionError("A redirect points to an invalid address.") from exc
                continue
            return _read_page(url, resp, deadline, content_types)
    raise SubmissionError("Too many redirects.")


def _remaining(url: str, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TransientFetchError(
            f"{url} took longer than {settings.FETCH_DEADLINE_SECONDS:g} seconds; gave up."
        )
    return min(settings.FETCH_TIMEOUT_SECONDS, left)


def _read_page(url: str, resp: requests.Response, deadline: float, content_types):
    if resp.status_code >= 500:
        raise TransientFetchError(f"{url} answered {resp.status_code}.")
    if resp.status_code >= 400:
        raise SubmissionError(f"{url} answered {resp.status_code}.")
    content_type = resp.headers.get("Content-Type", "text/html")
    ctype = content_type.split(";")[0].strip().lower()
    if ctype not in content_types:
        raise SubmissionError(f"{url} is {ctype}, not a web page.")
    body = bytearray()
    try:
        while True:
            _remaining(url, deadline)
            # read1 returns what one read of the socket gives, so the deadline is
            # checked between drips instead of waiting for a full buffer.
            chunk = resp.raw.read1(65536, decode_content=True)
            if not chunk:
                break
            body.extend(chunk)
            if len(body) > settings.MAX_ARTICLE_BYTES:  # as extraction.too_large_message
                raise SubmissionError(
                    f"The article is too large ({len(body):,} bytes; the limit is "
                    f"{settings.MAX_ARTICLE_BYTES:,})."
                )
    except (SubmissionError, TransientFetchError):
        raise
    except _TRANSIENT + _REFUSED as exc:
        raise _as_fetch_error(url, exc) from exc
    charset = resp.encoding if "charset" in content_type.lower() else None
    return bytes(body), charset
