"""bin/run as a newcomer runs it: its worker and its local Redis come back after
dying (with the work queued before), and its commands work without SECRET_KEY in
the environment.

One bin/run in a subprocess, in its own var/ directory, on free ports, with its
own embedded Redis and SQLite database (no DATABASE_URL, no REDIS_URL, no
DEBUG: exactly as a newcomer's shell).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import alive as _alive

from .conftest import _free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "labour-volunteers-fec-complaint.html"


def _newcomer_env(var: Path, **extra) -> dict:
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    return {**env, "HOME": str(var), "FACTCHECK_VAR_DIR": str(var), **extra}


def _wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _worker_pid(var: Path) -> int | None:
    try:
        pid = int((var / "worker.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def _redis_pid(var: Path, port: int) -> int | None:
    try:
        pid = int((var / f"redis-{port}.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _alive(pid) else None


def _readyz(port: int) -> dict:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
            return json.load(r)
    except urllib.error.HTTPError as exc:  # 503: the report is in the body
        return json.load(exc)


@pytest.fixture
def desk(tmp_path):
    """bin/run, started and serving; stopped (as by Ctrl-C) afterwards."""
    var = tmp_path / "var"
    port = _free_port()
    var.mkdir()
    # The port in var/local.env, the one place the commands read it from too.
    (var / "local.env").write_text(f"PORT={port}\n")
    redis_port = _free_port()
    env = _newcomer_env(var, LOCAL_REDIS_PORT=str(redis_port))
    out = open(tmp_path / "bin-run.out", "w+")
    proc = subprocess.Popen(
        [str(ROOT / "bin" / "run")],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # A shell that starts bin/run from the background (nohup, a CI runner) hands
        # it SIGINT ignored, and bash cannot trap a signal ignored on entry: give it
        # Ctrl-C back, as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )

    def output() -> str:
        return (tmp_path / "bin-run.out").read_text()

    try:
        _wait_for(
            lambda: "factcheck is running" in output() or proc.poll() is not None,
            420,
            "bin/run to start",
        )
        assert proc.poll() is None, output()
        yield {
            "var": var,
            "port": port,
            "redis_port": redis_port,
            "env": env,
            "output": output,
            "proc": proc,
        }
    finally:
        redis_pid = _redis_pid(var, redis_port)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        # Whatever of bin/run's tree outlived it (a worker restarted just before the
        # end) must not outlive the test; test_ctrl_c_stops_everything_… checks Ctrl-C.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out.close()
        # The local Redis runs in its own process group (Ctrl-C at a terminal must
        # not reach it before the worker); it goes with its supervisor all the same.
        if redis_pid:
            try:
                _wait_for(lambda: not _alive(redis_pid), 30, "the local Redis to stop")
            except AssertionError:
                os.kill(redis_pid, signal.SIGKILL)
                raise


def _manage(desk, *args, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=desk["env"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_killed_worker_comes_back_while_the_desk_keeps_serving_and_extracting(desk):
    var, output = desk["var"], desk["output"]
    first = _wait_for(lambda: _worker_pid(var), 60, "the worker's pid file")

    os.kill(first, signal.SIGKILL)
    _wait_for(lambda: not _alive(first), 30, "the worker to die")

    login = urllib.request.urlopen(f"http://127.0.0.1:{desk['port']}/accounts/login/", timeout=10)
    assert login.status == 200  # the web server did not go down with it

    second = _wait_for(
        lambda: (pid := _worker_pid(var)) and pid != first and pid, 120, "a new worker"
    )
    assert re.search(
        r"the worker \(pid \d+\) exited with status 137; restarting it in 1s", output()
    )
    assert "restarting it in" in (var / "worker.log").read_text()

    # The new worker extracts: a new article goes through, submitted by a command
    # run as the README shows it (no SECRET_KEY in the environment).
    article = "The council said 12 libraries would close by 2031. " + SAMPLE.read_text()
    (var / "copy.html").write_text(article)
    done = _manage(
        desk, "ingest_article", str(var / "copy.html"), "--user", "editor", "--wait", "120"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.fullmatch(r"article \d+: [1-9]\d* claims\n", done.stdout), done.stdout
    assert _alive(second) and desk["proc"].poll() is None


def test_a_killed_local_redis_comes_back_with_the_work_queued_before_it_died(desk):
    var, output, port = desk["var"], desk["output"], desk["port"]
    redis_port = desk["redis_port"]
    first = _wait_for(lambda: _redis_pid(var, redis_port), 60, "the local Redis's pid file")
    worker = _wait_for(lambda: _worker_pid(var), 60, "the worker's pid file")
    _wait_for(lambda: _readyz(port)["status"] == "ok", 120, "/readyz to be ok")

    # An article queued just before Redis dies: pause the worker so the message
    # waits in the queue (its pending BRPOP times out within a second), then submit.
    os.kill(worker, signal.SIGSTOP)
    try:
        time.sleep(3)
        queued = _manage(desk, "ingest_article", str(_sample_copy(var, "queued")), "--wait", "0")
        assert queued.returncode == 0, queued.stdout + queued.stderr
        depth = _readyz(port)["checks"]["queues"]["depth"]
        assert depth["extract"] == 1, depth

        os.kill(first, signal.SIGKILL)
        _wait_for(lambda: not _alive(first), 30, "the local Redis to die")
        second = _wait_for(
            lambda: (pid := _redis_pid(var, redis_port)) and pid != first and pid,
            60,
            "a new local Redis",
        )
        assert re.search(
            r"the redis \(pid \d+\) exited with status 137; restarting it in 1s", output()
        )
        assert "restarting it in" in (var / "redis.log").read_text()
        report = _wait_for(
            lambda: (r := _readyz(port))["checks"]["redis"]["status"] == "ok" and r,
            30,
            "/readyz to see Redis again",
        )
        assert report["checks"]["queues"]["depth"]["extract"] == 1  # kept on disk
    finally:
        os.kill(worker, signal.SIGCONT)

    # The queued article is extracted from the surviving message, well before the
    # sweep (SWEEP_ENQUEUED_AFTER_SECONDS, 300 s) would have nudged it again.
    done = _manage(desk, "ingest_article", str(_sample_copy(var, "queued")), "--wait", "120")
    assert re.fullmatch(r"article \d+: [1-9]\d* claims \(already submitted\)\n", done.stdout), (
        done.stdout + done.stderr
    )
    # The desk is whole again: worker and beat report in, and new work goes through.
    _wait_for(lambda: _readyz(port)["status"] == "ok", 120, "/readyz to be ok again")
    after = _manage(desk, "ingest_article", str(_sample_copy(var, "after")), "--wait", "120")
    assert re.fullmatch(r"article \d+: [1-9]\d* claims\n", after.stdout), (
        after.stdout + after.stderr
    )
    assert _alive(second) and desk["proc"].poll() is None


def _sample_copy(var: Path, tag: str) -> Path:
    """A new article (its own content hash) made from the sample."""
    path = var / f"{tag}.html"
    if not path.exists():
        path.write_text(
            f"The council said {len(tag)} libraries would close by 2031 ({tag}). "
            + SAMPLE.read_text()
        )
    return path


def test_the_commands_link_where_bin_run_serves(desk):
    assert f"running at http://127.0.0.1:{desk['port']}/" in desk["output"]()
    feed = _manage(desk, "export_claimreview")
    assert feed.returncode == 0, feed.stderr
    assert f'"url": "http://127.0.0.1:{desk["port"]}/factchecks/feed.json"' in feed.stdout


def test_ctrl_c_stops_everything_without_restarting_it(desk):
    var, proc = desk["var"], desk["proc"]
    worker = _wait_for(lambda: _worker_pid(var), 60, "the worker's pid file")
    redis = _wait_for(lambda: _redis_pid(var, desk["redis_port"]), 60, "the local Redis")
    proc.send_signal(signal.SIGINT)
    proc.wait(60)
    assert "factcheck stopped." in desk["output"]()
    assert "restarting" not in desk["output"]()
    _wait_for(lambda: not _alive(worker), 30, "the worker to stop")
    time.sleep(2)
    assert _worker_pid(var) is None  # nothing started it again
    assert not _alive(redis)  # stopped with the rest, its queues kept for next time
    assert (var / f"redis-{desk['redis_port']}.aof").exists()
    assert not (var / f"redis-{desk['redis_port']}.supervisor").exists()
