"""Safe production defaults, checked in fresh processes: DEBUG off unless set, a
real secret key required, HSTS on, and a forwarded scheme believed only behind a
configured proxy.

Settings are read once per process, so each case starts Python with exactly
the environment under test (nothing inherited from the test run's DEBUG=true).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
A_REAL_KEY = "k3y-for-tests-" + "9f8e7d6c5b4a" * 5


def run(code_or_args, env, tmp_path):
    base = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "FACTCHECK_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name, env, tmp_path):
    out = run(
        f"import django; django.setup(); from django.conf import settings; "
        f"print(repr(getattr(settings, {name!r}, None)))",
        env,
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def compose_environment() -> dict:
    """The web service's environment from docker-compose.yml, with its required
    variables given and its defaults applied as compose would."""
    given = {"SECRET_KEY": A_REAL_KEY, "POSTGRES_PASSWORD": "pw"}
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = compose["services"]["web"].get("environment") or compose["x-app"]["environment"]

    def substitute(value: str) -> str:
        def one(m):
            name, op, arg = m.group(1), m.group(2), m.group(3)
            if name in given:
                return given[name]
            if op == ":-":
                return arg
            raise AssertionError(f"docker-compose.yml needs {name}")

        return re.sub(r"\$\{(\w+)(:-|:\?)?([^}]*)\}", one, str(value))

    return {k: substitute(v) for k, v in env.items()}


def test_debug_is_off_unless_set(tmp_path):
    assert setting("DEBUG", {"SECRET_KEY": A_REAL_KEY}, tmp_path) == "False"
    assert setting("DEBUG", {"DEBUG": "true"}, tmp_path) == "True"


@pytest.mark.parametrize(
    "env",
    [
        {},  # missing
        {"SECRET_KEY": ""},
        {"SECRET_KEY": "   "},
        {"SECRET_KEY": "dev-only-insecure-secret-key-do-not-use-in-production"},
    ],
    ids=["missing", "empty", "blank", "the development key"],
)
def test_without_a_real_secret_key_it_refuses_to_start(tmp_path, env):
    out = run("import factcheck.wsgi", env, tmp_path)  # what gunicorn loads
    assert out.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in out.stderr


@pytest.mark.parametrize(
    "key,why",
    [
        ("s3cr3t-but-short", "16 characters long"),
        ("changeme", "8 characters long"),
        ("changeme-" * 7, "placeholder"),
        ("django-insecure-" + "q8#v!x2m@z5$w7r^t1y&u4i*o9p(a3s)" * 2, "placeholder"),
        ("k" * 60, "1 different characters"),
        ("abcd" * 20, "4 different characters"),
        ("please-replace-me-with-a-long-random-string-of-characters", "placeholder"),
    ],
    ids=["short", "changeme", "changeme repeated", "django-insecure", "one character",
         "four characters", "replace me"],
)  # fmt: skip
def test_a_weak_secret_key_is_refused_at_start(tmp_path, key, why):
    out = run("import factcheck.wsgi", {"SECRET_KEY": key}, tmp_path)
    assert out.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set to a real secret" in out.stderr
    assert why in out.stderr
    # DEBUG on (development) takes any key.
    assert (
        run("import factcheck.wsgi", {"SECRET_KEY": key, "DEBUG": "true"}, tmp_path).returncode == 0
    )


def test_the_key_bin_run_generates_is_accepted(tmp_path):
    generate = re.search(
        r"python -c '([^']+)' >\"\$VAR/secret_key\"", (ROOT / "bin/run").read_text()
    )
    for _ in range(20):  # a random key, so more than once
        key = subprocess.run(
            [sys.executable, "-c", generate.group(1)], capture_output=True, text=True
        ).stdout.strip()
        out = run("import factcheck.wsgi", {"SECRET_KEY": key}, tmp_path)
        assert out.returncode == 0, out.stderr[-500:]


def test_the_docker_image_needs_a_secret_key(tmp_path):
    dockerfile = (ROOT / "Dockerfile").read_text()
    image_env = {}
    for line in re.findall(r"^ENV (.+)$", dockerfile, re.M):
        image_env.update(dict(pair.split("=", 1) for pair in line.split()))
    assert "gunicorn" in re.search(r"^CMD (.+)$", dockerfile, re.M).group(1)
    out = run("import factcheck.wsgi", image_env, tmp_path)
    assert out.returncode != 0 and "SECRET_KEY must be set" in out.stderr


def test_check_deploy_is_clean_under_the_compose_environment(tmp_path):
    env = compose_environment()
    assert env["DEBUG"] == "false"
    out = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_hsts_is_on_by_default_in_production(tmp_path):
    env = compose_environment()
    assert setting("SECURE_HSTS_SECONDS", env, tmp_path) == "31536000"
    assert setting("SESSION_COOKIE_SECURE", env, tmp_path) == "True"


def test_x_forwarded_proto_is_believed_only_behind_a_configured_proxy(tmp_path):
    env = compose_environment()
    assert setting("SECURE_PROXY_SSL_HEADER", env, tmp_path) == "None"
    assert (
        setting("SECURE_PROXY_SSL_HEADER", {**env, "TRUSTED_PROXY_COUNT": "1"}, tmp_path)
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
