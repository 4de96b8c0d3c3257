"""What a process says about itself: the ids its log lines carry, and its counters.

The context is a set of ``contextvars`` (the request or task id, the article and claim
ids once known), so any log line written while serving a request or running a task
can name them (``claims.ops.logs.JsonFormatter``), and ``claims.outbox`` can hand the
request id on to the tasks a request enqueues.

The instruments are prometheus-client objects, defined once here so that every
layer that has something to count (the intake's extraction and source polls, the
request and task hooks in ``claims.ops``) counts into the same series. With
``PROMETHEUS_MULTIPROC_DIR`` set, each process writes them to files there and
``/metrics`` (or a worker's exporter) adds them up.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from contextvars import ContextVar

from prometheus_client import Counter, Histogram

# ---------------------------------------------------------------------------
# Log context

CONTEXT_KEYS = ("request_id", "task_id", "task", "article_id", "claim_id")
_context: ContextVar[dict] = ContextVar("factcheck_log_context", default={})  # noqa: B039

# A request id we accept from a client or proxy: short, and safe to echo in a header.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# The task header that carries the id of the request (or task) that enqueued it.
REQUEST_ID_HEADER = "factcheck_request_id"


def new_request_id(offered: str | None = None) -> str:
    """The client's id when it is a sane one (a proxy's X-Request-ID), else a new one."""
    if offered and _REQUEST_ID.match(offered):
        return offered
    return uuid.uuid4().hex


def current() -> dict:
    return _context.get()


def bind(**values) -> None:
    """Add ids to the current context (``None`` values are ignored)."""
    _context.set({**_context.get(), **{k: v for k, v in values.items() if v is not None}})


@contextlib.contextmanager
def scope(**values):
    """A fresh context for one request or one task; the previous one comes back after."""
    token = _context.set({k: v for k, v in values.items() if v is not None})
    try:
        yield
    finally:
        _context.reset(token)


# ---------------------------------------------------------------------------
# Instruments. Names follow Prometheus conventions (base units, _total for counters).

# In multiprocess mode an instrument writes its file when it is made: the directory
# must exist first, in every process that loads this (a shell, beat, a command).
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
TASK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

HTTP_REQUESTS = Counter(
    "factcheck_http_requests_total",
    "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "factcheck_http_request_duration_seconds",
    "Time from request to response, by view.",
    ["view"],
    buckets=LATENCY_BUCKETS,
)
TASKS = Counter(
    "factcheck_celery_tasks_total",
    "Celery tasks run, by task name and final state (succeeded, failed, retried).",
    ["task", "state"],
)
TASK_DURATION = Histogram(
    "factcheck_celery_task_duration_seconds",
    "Time a task ran, by task name and final state.",
    ["task", "state"],
    buckets=TASK_BUCKETS,
)
EXTRACTION_DURATION = Histogram(
    "factcheck_extraction_duration_seconds",
    "Time to analyse one article's text (sentences, scores, speakers…), without the fetch.",
    buckets=TASK_BUCKETS,
)
SOURCE_POLLS = Counter(
    "factcheck_source_polls_total",
    "Polls of monitored feeds and sitemaps, by outcome (ok or failed).",
    ["outcome"],
)
