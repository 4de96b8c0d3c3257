"""Browser tests: Debian's Chromium driven by Playwright against the live server.

The live server's thread, a Celery worker's thread and the test share the
file-based SQLite test database, so every test here uses the transactional DB.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")  # tests point it elsewhere
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(user=None, width=1280): a page in its own browser context (own cookies).

    With a user, the context starts signed in (a session made on the server);
    without, it is anonymous.
    """
    from django.conf import settings
    from django.test import Client

    contexts = []

    def make(user=None, width=1280, height=900):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url
        )
        context.set_default_timeout(10_000)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(page, username):
    """Sign in through the login form, as a person would."""
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill("pw-" + username)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


@pytest.fixture
def start_worker_later(redis_server, transactional_db):
    """A function that starts a real Celery worker when called.

    Lets a test show a page while work is still waiting, then watch the page
    change as the worker does it.
    """
    from celery.contrib.testing.worker import start_worker

    from factcheck.celery import app

    redis_server.flush()
    stack = contextlib.ExitStack()

    def start():
        stack.enter_context(
            start_worker(
                app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
            )
        )

    yield start
    stack.close()


def _ensure_axe():
    if AXE.exists():
        return
    npm = shutil.which("npm")
    if npm:
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=ROOT,
            check=False,
            capture_output=True,
            timeout=300,
        )
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` in the project root (bin/test does).")


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core on the page; return the violations of the given impacts."""
    _ensure_axe()
    # Through the DevTools protocol, not a <script> tag: the page's
    # Content-Security-Policy (rightly) refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
