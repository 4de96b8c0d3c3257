"""A bare Celery app: Celery's own ceiling for ``bench_pipeline.py``.

No Django, no app code, one no-op task. ``bench_pipeline.py`` runs it as its own
worker subprocess, with the app worker's flags (``-P prefork --concurrency N
--without-gossip --without-mingle --without-heartbeat``), on the bench's Redis
but in its own database number (``BARE_CELERY_BROKER_URL``, db 1), so its queue
and its remote control never meet the app's.

Copied from ``factcheck/settings.py`` (``CELERY_*``) and ``factcheck/celery.py``,
the settings that change what a task costs the worker:

- ``worker_prefetch_multiplier`` 1: one message reserved per child at a time;
- ``task_acks_late`` and ``task_reject_on_worker_lost``: the ack (an HDEL on the
  unacked hash) comes after the task, not before;
- ``task_ignore_result`` and no result backend: nothing written after a task;
- ``task_serializer`` / ``accept_content``: JSON (the app keeps Celery's default);
- ``broker_transport_options``: the same socket timeouts, retries and visibility
  timeout (the unacked hash is swept with the same period);
- ``worker_max_tasks_per_child`` 1000 and ``worker_max_memory_per_child``
  512,000 KiB: a child is replaced as often, and checks its RSS after each task;
- time limits: the app's ``"*"`` annotation (300 s soft, 360 s hard), which makes
  the prefork pool track a timeout per task;
- ``worker_hijack_root_logger`` off and ``worker_cancel_long_running_tasks_on_connection_loss``.

Not copied, because they are the app: the Django fixup (the worker's env has no
``DJANGO_SETTINGS_MODULE``, and ``fixups=[]``), the app's signal handlers (a log
line, metrics and a context per task, closing stale DB connections), the
heartbeat and exporter threads, and the five queues (one here; a BRPOP costs the
same over one key as over five). ``tests/test_bench_bare_celery.py`` checks the
copied values against the app's and that no Django or app module is loaded.
"""

from __future__ import annotations

import os
import sys

from celery import Celery
from celery.worker.control import inspect_command

QUEUE = "bare"
NOOP = "bare.noop"
# The app's CELERY_BROKER_TRANSPORT_OPTIONS, visibility timeout included.
BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": 3600,
}
# Modules whose presence in the worker would mean it is not bare: the app's
# packages, and the parts of Django that settings or django.setup() load. (kombu's
# JSON encoder imports django.utils.functional when Django is installed: that much
# of Django is in every Celery process on this machine, and in the app's too.)
NOT_BARE = ("claims", "factcheck", "django.conf", "django.apps", "django.db")

app = Celery(
    "bare",
    broker=os.environ.get("BARE_CELERY_BROKER_URL", "redis://127.0.0.1:6379/1"),
    # Without this, Celery's Django fixup calls django.setup() in the worker
    # whenever DJANGO_SETTINGS_MODULE is set and Django importable.
    fixups=[],
    # The bench process also holds the app's Celery: this one must not replace
    # it as the current app.
    set_as_current=False,
)
app.conf.update(
    result_backend=None,
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=("json",),
    broker_transport_options=BROKER_TRANSPORT_OPTIONS,
    broker_connection_retry_on_startup=True,
    worker_cancel_long_running_tasks_on_connection_loss=True,
    worker_hijack_root_logger=False,
    worker_max_tasks_per_child=1000,
    worker_max_memory_per_child=512_000,
    task_soft_time_limit=300,
    task_time_limit=360,
    task_default_queue=QUEUE,
)


@app.task(name=NOOP)
def noop() -> None:
    return None


@inspect_command()
def bare_modules(state) -> dict:
    """Which of NOT_BARE the worker's main process has loaded (its pool children
    are forked from it): the bench refuses a ceiling measured with Django in it."""
    loaded = sorted(
        name for name in sys.modules if any(name == n or name.startswith(n + ".") for n in NOT_BARE)
    )
    return {"loaded": loaded}
