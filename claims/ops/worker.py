"""Celery's side: one log line, metrics and a context per task; the worker's
heartbeat; the worker's own metrics exporter.

Connected by ``factcheck/celery.py`` at import, so every process that runs tasks
(a worker's pool children, an eager call in a test) has them. Nothing here
imports the Celery app: the signals hand it over.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from celery.signals import task_postrun, task_prerun, worker_ready, worker_shutdown
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .. import telemetry
from . import exposition, heartbeat

log = logging.getLogger("factcheck.task")

# Which positional argument of a task names an article (for the log context).
ARTICLE_ARGUMENT = {
    "claims.jobs.pipeline.extract_article_claims": 0,
    "claims.jobs.pipeline.assign_article_claims": 0,
}
_running: dict[str, tuple[float, object]] = {}
STATE_NAMES = {"SUCCESS": "succeeded", "FAILURE": "failed", "RETRY": "retried"}


@task_prerun.connect
def start_task(task_id=None, task=None, args=None, **kwargs) -> None:
    context = {
        "task_id": task_id,
        "task": task.name,
        "request_id": getattr(task.request, telemetry.REQUEST_ID_HEADER, None),
    }
    position = ARTICLE_ARGUMENT.get(task.name)
    if position is not None and args and len(args) > position:
        context["article_id"] = args[position]
    manager = telemetry.scope(**context)
    manager.__enter__()
    _running[task_id] = (time.perf_counter(), manager)


@task_postrun.connect
def finish_task(task_id=None, task=None, state=None, **kwargs) -> None:
    started, manager = _running.pop(task_id, (None, None))
    if started is None:
        return
    elapsed = time.perf_counter() - started
    outcome = STATE_NAMES.get(state, (state or "unknown").lower())
    telemetry.TASKS.labels(task.name, outcome).inc()
    telemetry.TASK_DURATION.labels(task.name, outcome).observe(elapsed)
    log.info(
        "%s %s",
        task.name,
        outcome,
        extra={"state": outcome, "duration_ms": round(elapsed * 1000, 1)},
    )
    manager.__exit__(None, None, None)


# ---------------------------------------------------------------------------
# Heartbeat and exporter, in the worker's main process


class _Beating(threading.Thread):
    def __init__(self, url: str, hostname: str):
        super().__init__(name="factcheck-heartbeat", daemon=True)
        self.url, self.hostname = url, hostname
        self.stopping = threading.Event()

    def run(self):
        conn = heartbeat.client(self.url)
        while True:
            try:
                heartbeat.record_worker(conn, self.hostname)
            except Exception as exc:  # Redis away: the next beat tries again
                log.warning("worker heartbeat not recorded: %s", exc.__class__.__name__)
            if self.stopping.wait(heartbeat.interval_seconds()):
                break
        try:
            heartbeat.forget_worker(conn, self.hostname)
        except Exception:
            pass


_beating: _Beating | None = None
_exporter: WSGIServer | None = None


@worker_ready.connect
def start_heartbeat_and_exporter(sender=None, **kwargs) -> None:
    global _beating, _exporter
    _beating = _Beating(sender.app.conf.broker_url, sender.hostname)
    _beating.start()
    port = int(os.environ.get("METRICS_WORKER_PORT") or 0)
    if port:
        _exporter = start_exporter(os.environ.get("METRICS_WORKER_BIND", "127.0.0.1"), port)
        log.info("worker metrics on %s:%s/metrics", *_exporter.server_address[:2])
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            log.warning(
                "PROMETHEUS_MULTIPROC_DIR is not set: the pool children's task metrics "
                "cannot be exported"
            )


@worker_shutdown.connect
def stop_heartbeat_and_exporter(**kwargs) -> None:
    if _beating is not None:
        _beating.stopping.set()
        _beating.join(2)
    if _exporter is not None:
        _exporter.shutdown()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # scrapes every 15 s are not news
        pass


def exporter_app(environ, start_response):
    """The worker's /metrics: the same token or address rule as the web's."""
    if environ.get("PATH_INFO") != "/metrics":
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not found\n"]
    if not exposition.allowed(
        environ.get("HTTP_AUTHORIZATION", ""), environ.get("REMOTE_ADDR", "")
    ):
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"Metrics need a bearer token (METRICS_TOKEN) or an allowed address.\n"]
    body = generate_latest(exposition.process_registry())
    start_response("200 OK", [("Content-Type", CONTENT_TYPE_LATEST)])
    return [body]


def start_exporter(bind: str, port: int) -> WSGIServer:
    server = make_server(bind, port, exporter_app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="factcheck-metrics", daemon=True).start()
    return server
