"""docker-compose.yml, read as compose reads it (through ``docker-compose config``
when it is installed, so anchors and merge keys are resolved the same way)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "version" not in raw  # obsolete; compose v2 warns about it
    if not shutil.which("docker-compose"):
        return raw  # PyYAML resolves the same anchors and merge keys
    out = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "ci", "POSTGRES_PASSWORD": "ci"},
        capture_output=True,
        text=True,
        check=True,
    )
    return yaml.safe_load(out.stdout)


def test_migrations_run_once_before_the_app_starts(compose):
    services = compose["services"]
    migrate = services["migrate"]
    assert "migrate" in str(migrate["command"])
    assert str(migrate.get("restart", "no")) == "no"  # a one-shot, not a loop
    for name in APP_SERVICES:
        service = services[name]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "migrate" not in str(service["command"]), name


def test_every_long_running_service_restarts(compose):
    for name, service in compose["services"].items():
        if name != "migrate":
            assert service.get("restart") in ("unless-stopped", "always"), name


def test_trusted_proxy_count_is_passed_through(compose):
    for name in ("migrate", *APP_SERVICES):
        assert "TRUSTED_PROXY_COUNT" in compose["services"][name]["environment"], name
