"""Readiness: is each thing the desk depends on there, and how fresh is it?

Every check is bounded (Redis: one-second timeouts and one round trip per check;
the database: ``SELECT 1``), and none reports more than a status, an age or a
count: no addresses, no URLs, no error messages (a driver's message can hold a
host name or a user name), only the error's class.

The answer is ``error`` (HTTP 503) when the web process itself cannot work: the
database or Redis is unreachable. A worker or beat that has gone quiet makes it
``degraded`` (still 200): the web can serve, and taking it out of a load balancer
would not bring a worker back; alert on it instead (``docs/operations.md``).
"""

from __future__ import annotations

import time

from django.db import connection

from factcheck.celery import QUEUES, app

from . import heartbeat

OK, STALE, ERROR = "ok", "stale", "error"
# kombu's Redis transport keeps a queue's prioritised messages in sibling lists.
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (3, 6, 9)


def broker() -> heartbeat.redis.Redis:
    return heartbeat.client(app.conf.broker_url)


def queue_depths(conn) -> dict[str, int]:
    """Messages waiting in each queue (not yet taken by a worker), one round trip."""
    pipe = conn.pipeline(transaction=False)
    for queue in QUEUES:
        pipe.llen(queue)
        for step in _PRIORITY_STEPS:
            pipe.llen(f"{queue}{_PRIORITY_SEPARATOR}{step}")
    counts = pipe.execute()
    per_queue = 1 + len(_PRIORITY_STEPS)
    return {
        queue: sum(counts[i * per_queue : (i + 1) * per_queue]) for i, queue in enumerate(QUEUES)
    }


def unacked(conn) -> int:
    """Messages a worker has taken and not yet acknowledged (running, or waiting for
    their countdown): they come back after the visibility timeout if it dies."""
    return int(conn.hlen("unacked"))


def _timed(check):
    started = time.monotonic()
    try:
        result = check()
    except Exception as exc:  # report the kind of failure, never its message
        return {"status": ERROR, "error": exc.__class__.__name__}
    result.setdefault("status", OK)
    result["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def check_database() -> dict:
    def probe():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {}

    return _timed(probe)


def readiness() -> tuple[bool, dict]:
    """(ready, report). Not ready only when the database or Redis is unreachable."""
    checks = {"database": check_database()}
    conn = broker()
    checks["redis"] = _timed(lambda: {} if conn.ping() else {"status": ERROR})
    if checks["redis"]["status"] == OK:
        checks["workers"] = _timed(lambda: _workers(conn))
        checks["beat"] = _timed(lambda: _beat(conn))
        checks["queues"] = _timed(lambda: {"depth": queue_depths(conn), "unacked": unacked(conn)})
    else:
        for name in ("workers", "beat", "queues"):
            checks[name] = {"status": ERROR, "error": "redis unavailable"}
    ready = checks["database"]["status"] == OK and checks["redis"]["status"] == OK
    degraded = any(c["status"] != OK for c in checks.values())
    status = "error" if not ready else ("degraded" if degraded else "ok")
    return ready, {"status": status, "checks": checks}


def _workers(conn) -> dict:
    ages = heartbeat.worker_ages(conn)
    limit = heartbeat.stale_after_seconds()
    fresh = [age for age in ages.values() if age <= limit]
    return {
        "status": OK if fresh else STALE,
        "alive": len(fresh),
        "last_heartbeat_age_seconds": round(min(ages.values()), 1) if ages else None,
        "stale_after_seconds": limit,
    }


def _beat(conn) -> dict:
    tick = heartbeat.age_of(conn, heartbeat.BEAT_TICK)
    last_run = heartbeat.age_of(conn, heartbeat.BEAT_LAST_RUN)
    limit = heartbeat.stale_after_seconds()
    return {
        "status": OK if tick is not None and tick <= limit else STALE,
        "last_tick_age_seconds": None if tick is None else round(tick, 1),
        "last_run_age_seconds": None if last_run is None else round(last_run, 1),
        "stale_after_seconds": limit,
    }
