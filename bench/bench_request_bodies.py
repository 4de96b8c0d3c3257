"""Peak memory of one POST per door against a real gunicorn: run it through
``bench/bench_request_memory.py --doors`` (its docstring says what is measured)."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HOSTILE = b"%C3%A9" * 2_600_000  # the probe's body: 15.6 MB
URLENCODED = "application/x-www-form-urlencoded"
PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def _multipart(fields: dict[str, str | bytes], files: dict[str, tuple[str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        value = value.encode() if isinstance(value, str) else value
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
        )
    for name, (filename, data) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: text/html\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def largest_article(limit: int, tag: str) -> bytes:
    """Real article paragraphs (the sample page's), repeated to just under ``limit``."""
    seed = (Path(__file__).resolve().parent.parent / "sample").glob("*.html")
    html = next(seed).read_text()
    paragraphs = re.findall(r"<p>.*?</p>", html, re.S) or [html]
    head = f"<html><head><title>Budget {tag}</title></head><body><article>".encode()
    tail = b"</article></body></html>"
    body, i = [], 0
    size = len(head) + len(tail)
    while True:
        p = paragraphs[i % len(paragraphs)].replace("<p>", f"<p data-n='{tag}{i}'>", 1).encode()
        if size + len(p) > limit:
            break
        body.append(p)
        size += len(p)
        i += 1
    return head + b"".join(body) + tail


class Site:
    """A throwaway desk (SQLite, a user, a token) served by one gunicorn sync worker."""

    def __init__(self, root: Path):
        self.root = root
        self.tmp = tempfile.mkdtemp(prefix="fc-bench-bodies-")
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "FACTCHECK_VAR_DIR": self.tmp,
            "DATABASE_URL": f"sqlite:///{self.tmp}/bench.sqlite3",
            "REDIS_URL": "redis://127.0.0.1:1/0",  # no broker: the sweep would resend
            "LOG_LEVEL": "ERROR",
            "AXES_FAILURE_LIMIT": "100000",
            "PASSWORD_RESET_PER_ADDRESS": "100000",
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        }
        python = sys.executable
        for cmd in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([python, "manage.py", *cmd], cwd=root, env=self.env, check=True)
        out = subprocess.run(
            [python, "-c", _SETUP.format(password=PASSWORD)],
            cwd=root,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.token = out.stdout.strip().splitlines()[-1]
        self.limit, self.parse_limit = map(int,
            subprocess.run(
                [python, "-c", "import django;django.setup();from django.conf import settings;"
                 "print(settings.MAX_ARTICLE_BYTES, settings.PARSE_IN_REQUEST_MAX_BYTES)"],
                cwd=root, env=self.env, check=True, capture_output=True, text=True,
            ).stdout.split()
        )  # fmt: skip

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self):
        self.port = _free_port()
        self.cookies: dict[str, str] = {}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "factcheck.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "1", "--timeout", "300", "--error-logfile", f"{self.tmp}/error.log"],
            cwd=self.root, env=self.env,
        )  # fmt: skip
        for _ in range(600):
            try:
                status = self.request("GET", "/accounts/login/", timeout=5)[0]
                if status == 200:
                    break
                raise RuntimeError(f"the login page answered {status}")
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not answer")
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        self.worker = int(children.split()[0])
        self.cookies = {}

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def request(self, method, path, body=b"", content_type=None, headers=None, timeout=300):
        """(status, body) — or ("reset", b"") when the server answered and closed
        before taking the whole body, as it does when it refuses one unread."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            h["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body, headers=h)
            response = conn.getresponse()
        except (BrokenPipeError, ConnectionResetError):
            return "reset", b""
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        conn.close()
        return response.status, data

    def log_in(self):
        self.request("GET", "/accounts/login/")
        form = f"username=alice&password={PASSWORD}&csrfmiddlewaretoken={self.cookies['csrftoken']}"
        status, _ = self.request("POST", "/accounts/login/", form.encode(), URLENCODED)
        assert status == 302, status

    def csrf(self) -> str:
        return self.cookies["csrftoken"]


_SETUP = """
import django; django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from knox.models import AuthToken
alice = get_user_model().objects.create_user("alice", "alice@example.org", "{password}", is_staff=True)
alice.groups.add(Group.objects.get(name="Editors"))
print(AuthToken.objects.create(alice)[1])
"""


def doors(site: Site):
    """(name, body described, prepare(site), send(site, small: bool))."""
    big = site.limit
    counter = iter(range(10**6))

    def article(small, size=big):
        return largest_article(20_000 if small else size, f"a{next(counter)}")

    def hostile(path, auth=None):
        def send(site, small):
            body = b"%C3%A9" * 1000 if small else HOSTILE
            return site.request("POST", path, body, URLENCODED, auth)

        return send

    token = {"Authorization": f"Token {site.token}"}
    desk = {"Referer": "http://127.0.0.1/"}

    def paste(site, small):
        body, ctype = _multipart({"csrfmiddlewaretoken": site.csrf(), "html": article(small)}, {})
        return site.request("POST", "/articles/new/", body, ctype, desk)

    def paste_parsed(site, small):
        html = article(small, site.parse_limit)
        body, ctype = _multipart({"csrfmiddlewaretoken": site.csrf(), "html": html}, {})
        return site.request("POST", "/articles/new/", body, ctype, desk)

    def api_json_parsed(site, small):
        body = json.dumps({"html": article(small, site.parse_limit).decode()}).encode()
        return site.request("POST", "/api/articles/", body, "application/json", token)

    def paste_too_large(site, small):
        html = "é" * (20_000 if small else 3 * big // 2)  # the largest body the door takes
        body, ctype = _multipart({"csrfmiddlewaretoken": site.csrf(), "html": html}, {})
        return site.request("POST", "/articles/new/", body, ctype, desk)

    def upload(site, small):
        fields = {"csrfmiddlewaretoken": site.csrf()}
        body, ctype = _multipart(fields, {"file": ("page.html", article(small))})
        return site.request("POST", "/articles/new/", body, ctype, desk)

    def api_json(site, small):
        body = json.dumps({"html": article(small).decode()}).encode()
        return site.request("POST", "/api/articles/", body, "application/json", token)

    def api_json_escaped(site, small):
        html = "\u00e9" * (20_000 if small else big // 2)  # 2 bytes of UTF-8, 6 of JSON
        body = json.dumps({"html": html}).encode()
        return site.request("POST", "/api/articles/", body, "application/json", token)

    mb = big / 1e6
    parsed = f"article at PARSE_IN_REQUEST_MAX_BYTES, {site.parse_limit / 1e6:.1f} MB"
    return [
        ("POST /accounts/login/", "hostile urlencoded, 15.6 MB", False, hostile("/accounts/login/")),
        ("POST /api/auth/token/", "hostile urlencoded, 15.6 MB", False, hostile("/api/auth/token/")),
        ("POST /accounts/password_reset/", "hostile urlencoded, 15.6 MB", False,
         hostile("/accounts/password_reset/")),
        ("POST /factchecks/", "hostile urlencoded, 15.6 MB", False, hostile("/factchecks/")),
        ("POST /articles/new/", "hostile urlencoded, 15.6 MB", True, hostile("/articles/new/")),
        ("POST /api/articles/", "hostile urlencoded, 15.6 MB", False,
         hostile("/api/articles/", token)),
        ("POST /articles/new/ (paste)", f"largest article, {mb:.1f} MB multipart field", True, paste),
        ("POST /articles/new/ (upload)", f"largest article, {mb:.1f} MB file", True, upload),
        ("POST /api/articles/", f"largest article, {mb:.1f} MB JSON", False, api_json),
        ("POST /articles/new/ (paste)", f"{parsed} (parsed in the request)", True, paste_parsed),
        ("POST /api/articles/", f"{parsed} JSON (parsed in the request)", False, api_json_parsed),
        ("POST /api/articles/", f"{mb:.1f} MB of é, {3 * mb:.1f} MB JSON escaped", False,
         api_json_escaped),
        ("POST /articles/new/ (paste)", f"{3 * mb / 2:.1f} MB of é ({3 * mb:.1f} MB): refused",
         True, paste_too_large),
    ]  # fmt: skip


def main(root: Path) -> None:
    site = Site(root)
    rows = []
    try:
        for name, what, logged_in, send in doors(site):
            site.start()
            try:
                if logged_in:
                    site.log_in()
                send(site, True)  # warm: imports, templates, the model
                Path(f"/proc/{site.worker}/clear_refs").write_text("5")
                before = _status_kb(site.worker, "VmRSS")
                started = time.perf_counter()
                status, body = send(site, False)
                seconds = time.perf_counter() - started
                peak = _status_kb(site.worker, "VmHWM")
            finally:
                site.stop()
            row = (name, what, status, (peak - before) / 1024, before / 1024, seconds)
            rows.append(row)
            print(f"  {name}, {what}: HTTP {status}, +{row[3]:.1f} MB, {seconds:.2f} s", flush=True)
    finally:
        site.close()
    print()
    print("One gunicorn sync worker, fresh for each row; peak RSS above the warmed worker's:")
    print("| door | body | answer | peak RSS above start | worker at start | time |")
    print("|---|---|---|---|---|---|")
    for name, what, status, grew, start, seconds in rows:
        print(
            f"| `{name}` | {what} | {status} | {grew:.1f} MB | {start:.0f} MB | {seconds:.2f} s |"
        )
