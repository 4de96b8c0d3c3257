"""Liveness marks in Redis: cheap to write, cheap to read, gone when stale.

A worker writes ``factcheck:heartbeat:worker:<hostname>`` every
``WORKER_HEARTBEAT_SECONDS`` (a thread in its main process, ``claims.ops.worker``);
beat writes ``factcheck:heartbeat:beat`` on every tick of its scheduler and
``factcheck:beat:last_run`` when it sends a task (``claims.ops.beat``). Each key
expires, so a worker that is gone disappears from the count by itself.

This module needs only a broker URL (no Django), so the container health checks
(``claims.ops.probe``) can use it without loading the project.
"""

from __future__ import annotations

import os
import time

import redis

PREFIX = "factcheck:heartbeat:"
WORKER_PREFIX = PREFIX + "worker:"
BEAT_TICK = PREFIX + "beat"
BEAT_LAST_RUN = "factcheck:beat:last_run"
MAX_WORKERS_LISTED = 200  # a bound on the SCAN, far above any real fleet


def interval_seconds() -> float:
    return float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "15"))


def stale_after_seconds() -> float:
    """A worker or beat is stale after missing about four beats."""
    return 4 * interval_seconds() + 5


def client(url: str) -> redis.Redis:
    # Short timeouts: a health check must answer quickly, Redis up or not.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def record_worker(conn: redis.Redis, hostname: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    conn.set(WORKER_PREFIX + hostname, repr(now), ex=int(stale_after_seconds() * 2))


def forget_worker(conn: redis.Redis, hostname: str) -> None:
    conn.delete(WORKER_PREFIX + hostname)


def record_beat_tick(conn: redis.Redis, now: float | None = None) -> None:
    conn.set(BEAT_TICK, repr(time.time() if now is None else now), ex=24 * 3600)


def record_beat_run(conn: redis.Redis, now: float | None = None) -> None:
    conn.set(BEAT_LAST_RUN, repr(time.time() if now is None else now), ex=7 * 24 * 3600)


def worker_ages(conn: redis.Redis, now: float | None = None) -> dict[str, float]:
    """Seconds since each live worker's last heartbeat, by hostname."""
    now = time.time() if now is None else now
    keys = []
    for key in conn.scan_iter(match=WORKER_PREFIX + "*", count=100):
        keys.append(key)
        if len(keys) >= MAX_WORKERS_LISTED:
            break
    values = conn.mget(keys) if keys else []
    ages = {}
    for key, value in zip(keys, values):
        if value is not None:
            name = key.decode()[len(WORKER_PREFIX) :]
            ages[name] = max(now - float(value), 0.0)
    return ages


def age_of(conn: redis.Redis, key: str, now: float | None = None) -> float | None:
    value = conn.get(key)
    if value is None:
        return None
    return max((time.time() if now is None else now) - float(value), 0.0)
