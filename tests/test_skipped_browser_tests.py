"""A run without Chromium says plainly that the browser tests did not run, and
with CI=true it fails (tests/conftest.py's terminal summary and sessionfinish)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run_browser_tests_without_chromium(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(FACTCHECK_CHROMIUM=str(tmp_path / "no-chromium-here"), **env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/browser/test_security_csp.py",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("ci", [None, "true"])
def test_skipped_browser_tests_are_reported_plainly_and_fail_on_ci(tmp_path, ci):
    out = _run_browser_tests_without_chromium(tmp_path, **({"CI": ci} if ci else {}))
    assert "browser tests NOT run" in out.stdout, out.stdout
    assert "browser test(s) were skipped" in out.stdout
    assert "no-chromium-here is not installed" in out.stdout
    if ci:
        assert out.returncode == 1, out.stdout
        assert "CI=true: a skipped browser test fails the run." in out.stdout
    else:
        assert out.returncode == 0, out.stdout
