"""A real HTTP server on a loopback address, for tests that fetch or post over HTTP.

``LoopbackSite`` answers from ``routes`` and records every request it receives.
The ``loopback`` fixture in conftest starts sites and stops them after the test;
the ``site`` fixture is one started site on 127.0.0.1 that fetching may reach.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NOT_FOUND = (404, {}, b"not found")


@dataclass(frozen=True)
class Request:
    """One request as the site received it; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class LoopbackSite:
    """A threaded HTTP server bound to ``address`` (127.0.0.1, 127.0.0.2, ::1, …).

    ``routes`` maps a path to ``(status, headers, body)``, optionally with a fourth
    item, seconds to wait before answering; or to a function given the request
    handler, which either writes the whole answer itself (and returns None) or
    returns such a tuple. Other paths answer 404. Content-Length is added to tuple
    answers. Each request is recorded in ``requests`` before it is answered;
    ``hits`` lists their paths and ``connections`` counts connections accepted.
    ``tls`` is an ``ssl.SSLContext`` to serve HTTPS with.
    """

    def __init__(self, address: str = "127.0.0.1", port: int = 0, tls=None):
        self.address = address
        self.routes: dict = {}
        self.requests: list[Request] = []
        self.connections = 0
        self._lock = threading.Lock()
        server_class = _IPv6Server if ":" in address else ThreadingHTTPServer
        self.server = server_class((address, port), self._handler_class())
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        host = f"[{address}]" if ":" in address else address
        self.base = f"{'https' if tls is not None else 'http'}://{host}:{self.port}"
        self._thread = None

    @property
    def hits(self) -> list[str]:
        return [r.path for r in self.requests]

    def start(self) -> LoopbackSite:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread = None
        self.server.server_close()

    def __enter__(self) -> LoopbackSite:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _connected(self) -> None:
        with self._lock:
            self.connections += 1

    def _handler_class(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def setup(self):
                site._connected()
                super().setup()

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                # A route function may read the body from rfile as usual. (The
                # connection closes after this request: HTTP/1.0 has no keep-alive.)
                self.socket_rfile, self.rfile = self.rfile, io.BytesIO(body)
                site._record(
                    Request(
                        method=self.command,
                        path=self.path,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                    )
                )
                route = site.routes.get(self.path, NOT_FOUND)
                if callable(route):
                    route = route(self)
                    if route is None:
                        return
                status, headers, body, *delay = route
                if delay:
                    time.sleep(delay[0])
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = answer

            def finish(self):
                super().finish()
                if hasattr(self, "socket_rfile"):
                    self.socket_rfile.close()

            def log_message(self, *args):
                pass

        return Handler
