"""A newcomer's first day, from a fresh clone: the commands run as the README
shows them, and one file (var/local.env) configures the web server, the worker
and the commands alike.

Each case starts Python in a copy of the checkout (what ``git clone`` of it
would hold: tracked files and new ones, nothing ignored, so no var/ and no
.venv) with a newcomer's environment: no SECRET_KEY, no DEBUG.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("clone") / "factcheck"
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    assert not (dest / "var").exists()
    return dest


def _newcomer(clone: Path, *args, env=None, stdin=None):
    keep = ("PATH", "LANG", "TMPDIR")
    base = {k: os.environ[k] for k in keep if k in os.environ}
    return subprocess.run(
        [sys.executable, *args],
        cwd=clone,
        env={**base, "HOME": str(clone.parent), "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def var(clone):
    """var/ as bin/run leaves it: a generated secret key (mode 600), a migrated database."""
    var = clone / "var"
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir()
    key = var / "secret_key"
    key.write_text(
        _newcomer(clone, "-c", "import secrets; print(secrets.token_urlsafe(50))").stdout
    )
    key.chmod(0o600)
    yield var
    shutil.rmtree(var, ignore_errors=True)


def _setting(clone, how: str, name: str, env=None) -> str:
    """A setting as the web server (what gunicorn imports) or a command sees it."""
    show = f"from django.conf import settings; print(repr(settings.{name}))"
    if how == "web":
        out = _newcomer(clone, "-c", f"import factcheck.wsgi; {show}", env=env)
    else:
        out = _newcomer(clone, "manage.py", "shell", "-c", show, env=env)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_commands_run_as_the_readme_shows_them_use_the_key_bin_run_keeps(clone, var):
    migrated = _newcomer(clone, "manage.py", "migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    feed = _newcomer(clone, "manage.py", "export_claimreview")
    assert feed.returncode == 0, feed.stderr
    # The link bin/run serves by default, not localhost (stumble 2).
    assert '"url": "http://127.0.0.1:8000/factchecks/feed.json"' in feed.stdout
    key = (var / "secret_key").read_text().strip()
    assert _setting(clone, "command", "SECRET_KEY") == repr(key)
    assert _setting(clone, "web", "SECRET_KEY") == repr(key)


def test_without_a_key_anywhere_it_still_refuses_to_start(clone):
    out = _newcomer(clone, "manage.py", "check")
    assert out.returncode != 0
    assert "SECRET_KEY must be set" in out.stderr


@pytest.mark.parametrize("how", ["web", "command"])
def test_var_local_env_configures_the_web_server_and_the_commands_alike(clone, var, how):
    (var / "local.env").write_text(
        "# this machine\nFETCH_ALLOW_PRIVATE=true\nSITE_URL=https://desk.intranet.example\n"
    )
    assert _setting(clone, how, "FETCH_ALLOW_PRIVATE") == "True"
    assert _setting(clone, how, "SITE_URL") == "'https://desk.intranet.example'"
    assert _setting(clone, how, "FACTCHECK_ORGANIZATION_URL") == "'https://desk.intranet.example/'"
    # The environment wins over the file.
    env = {"FETCH_ALLOW_PRIVATE": "false"}
    assert _setting(clone, how, "FETCH_ALLOW_PRIVATE", env=env) == "False"
