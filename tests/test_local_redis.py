"""The embedded Redis that bin/run and the commands use when REDIS_URL is unset:
its queues survive a kill -9, a foreground one takes over a daemon's data, it dies
with its supervisor, and it never fights bin/run's for the port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from factcheck import localredis
from tests.processes import alive as _alive

from .conftest import RedisServer, _free_port

ROOT = Path(__file__).resolve().parent.parent


def _wait_for(predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _pid(var: Path, port: int) -> int:
    return int(localredis.pidfile(port, var).read_text())


def _foreground(var: Path, port: int, *extra: str, **popen) -> subprocess.Popen:
    env = {
        **os.environ,
        "FACTCHECK_VAR_DIR": str(var),
        "LOCAL_REDIS_PORT": str(port),
        "SECRET_KEY": "x" * 60,
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [sys.executable, "manage.py", "local_redis", "--foreground", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )


@pytest.fixture
def local(tmp_path):
    """A var directory and a free port; whatever Redis ran there is stopped after."""
    var, port = tmp_path / "var", _free_port()
    var.mkdir()
    yield var, port
    try:
        pid = _pid(var, port)
    except (FileNotFoundError, ValueError):
        return
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def test_a_queued_message_survives_a_killed_local_redis(local):
    var, port = local
    url = localredis.ensure_local_redis(port, var)
    redis.Redis.from_url(url).lpush("extract", "article 7")
    os.kill(_pid(var, port), signal.SIGKILL)
    _wait_for(lambda: not localredis._ping(url), what="the Redis to die")

    url = localredis.ensure_local_redis(port, var)
    assert redis.Redis.from_url(url).lrange("extract", 0, -1) == [b"article 7"]


def test_the_foreground_redis_takes_over_a_daemon_and_its_queue(local):
    var, port = local
    url = localredis.ensure_local_redis(port, var)  # as ingest_article before bin/run
    daemon = _pid(var, port)
    redis.Redis.from_url(url).lpush("extract", "article 7")

    proc = _foreground(var, port)
    try:
        _wait_for(lambda: not _alive(daemon), what="the daemon to stop")
        _wait_for(lambda: localredis._ping(url), what="the foreground Redis")
        assert _pid(var, port) == proc.pid  # the command became the Redis (exec)
        assert redis.Redis.from_url(url).lrange("extract", 0, -1) == [b"article 7"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_foreground_redis_dies_with_its_supervisor(local):
    var, port = local
    url = f"redis://127.0.0.1:{port}/0"
    cmd = " ".join(
        [sys.executable, "manage.py", "local_redis", "--foreground", "--own-process-group"]
    )
    supervisor = subprocess.Popen(
        ["sh", "-c", f"{cmd} & wait"],
        cwd=ROOT,
        env={
            **os.environ,
            "FACTCHECK_VAR_DIR": str(var),
            "LOCAL_REDIS_PORT": str(port),
            "SECRET_KEY": "x" * 60,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(lambda: localredis._ping(url), what="the foreground Redis")
    pid = _pid(var, port)
    assert os.getpgid(pid) == pid  # out of the terminal's group: Ctrl-C is not for it

    supervisor.kill()  # kill -9: no trap runs
    supervisor.wait()
    _wait_for(lambda: not _alive(pid), 10, "the Redis to follow its supervisor")


def test_another_servers_redis_on_the_port_is_refused_not_stopped(tmp_path):
    other = RedisServer()  # some other project's Redis, on the port we were given
    other.start()
    try:
        proc = _foreground(tmp_path, other.port)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 1
        assert f"port {other.port} is taken by a Redis this desk did not start" in out
        assert "set REDIS_URL to use it, or LOCAL_REDIS_PORT to a free port" in out
        assert redis.Redis.from_url(other.url).ping()  # left alone
    finally:
        other.stop()


def test_commands_wait_for_the_supervised_redis_rather_than_start_their_own(local):
    var, port = local
    localredis.supervisor_file(port, var).write_text(str(os.getpid()))  # "bin/run"
    with pytest.raises(localredis.LocalRedisError, match=r"supervised by bin/run .*redis\.log"):
        localredis.ensure_local_redis(port, var, supervised_wait=1.0)
    assert not localredis.pidfile(port, var).exists()  # no second Redis was started

    # Once the supervisor is gone, a command starts one as before.
    localredis.supervisor_file(port, var).write_text("999999999")
    assert localredis.ensure_local_redis(port, var) == f"redis://127.0.0.1:{port}/0"
