"""How long a worker slot is held by a server that drips its answer.

A local server sends headers at once, then one byte every 0.25 s for 40 s.
Each read arrives well inside FETCH_TIMEOUT_SECONDS, so only the total
deadline (FETCH_DEADLINE_SECONDS) ends the fetch. Prints, per deadline, the
seconds fetch_url took and how it ended.

    .venv/bin/python bench/bench_fetch_deadline.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Drip(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "160")
        self.end_headers()
        for _ in range(160):
            try:
                self.wfile.write(b"x")
                self.wfile.flush()
            except OSError:
                return
            time.sleep(0.25)

    def log_message(self, *args):
        pass


def main():
    os.environ.setdefault("DEBUG", "true")  # development settings
    os.environ["FACTCHECK_VAR_DIR"] = tempfile.mkdtemp(prefix="fc-bench-fetch-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    from claims.net import fetching

    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    settings.FETCH_ALLOW_PRIVATE = True
    settings.FETCH_TIMEOUT_SECONDS = 2.0
    print(
        f"drip: 1 byte / 0.25 s, 160 bytes (40 s); per-read timeout "
        f"{settings.FETCH_TIMEOUT_SECONDS:g} s"
    )
    print(f"{'deadline s':>10}  {'held s':>7}  outcome")
    for deadline in (1, 3, 10):
        settings.FETCH_DEADLINE_SECONDS = deadline
        started = time.monotonic()
        try:
            fetching.fetch_url(url)
            outcome = "finished (not cut off)"
        except (fetching.TransientFetchError, fetching.SubmissionError) as exc:
            outcome = f"{exc.__class__.__name__}: {exc}"
        print(f"{deadline:>10}  {time.monotonic() - started:>7.2f}  {outcome}")
    server.shutdown()


if __name__ == "__main__":
    main()
