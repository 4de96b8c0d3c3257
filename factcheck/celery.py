"""The Celery app. Redis is the broker; every task lives in ``claims.jobs``.

Queues, so that a flood of one kind of work cannot starve another:

=========  ==========================================================  =================
queue      tasks                                                       time limit (s)
=========  ==========================================================  =================
extract    ``extract_article_claims`` (fetch, parse, store claims)      120 soft / 150 hard
assign     ``assign_article_claims``, ``release_reviewer_claims``       60 / 90
notify     ``send_notifications``                                      60 / 90
webhooks   ``deliver_webhook``                                         60 / 90
celery     beat jobs: sweeps, reminders                                300 / 360
=========  ==========================================================  =================

A worker consumes every queue by default (``celery -A factcheck worker``); a
busy site runs one worker per queue (``-Q extract`` …). Inside code never
imports the task modules: it sends by task name through ``claims.outbox``, and
the routes below apply to names.
"""

import functools
import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections
from kombu import Queue
from kombu.transport import redis as kombu_redis

# A log line, metrics and the log context per task; the worker's heartbeat and
# exporter (connected to Celery's signals on import).
from claims.ops import worker as _ops_worker  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

QUEUE_OF_TASK = {
    "claims.jobs.pipeline.extract_article_claims": "extract",
    "claims.jobs.pipeline.assign_article_claims": "assign",
    "claims.jobs.pipeline.release_reviewer_claims": "assign",
    "claims.jobs.pipeline.send_notifications": "notify",
    "claims.jobs.webhooks.deliver_webhook": "webhooks",
}
QUEUES = ("extract", "assign", "notify", "webhooks", "celery")

log = logging.getLogger(__name__)


def _restore_unacked_unless_closed(restore):
    """kombu's Redis QoS returns a closing channel's unacknowledged messages to their
    queues. When Redis went away and came back, the channel's connection can already
    be released (its ``client`` is None), and kombu then dies on
    ``'NoneType' object has no attribute 'hostname'``, taking the worker with it.
    Those messages are still in Redis's unacked hash, where a live worker's
    ``restore_visible`` puts them back after the visibility timeout (and the sweep
    re-sends whatever the database says is owed), so skip the restore and say so."""

    @functools.wraps(restore)
    def restore_unacked(self, client=None):
        if client is None and getattr(self.channel.connection, "client", None) is None:
            log.warning(
                "Redis connection already closed: %d unacknowledged message(s) left "
                "for the visibility timeout to restore",
                len(self._delivered),
            )
            return None
        return restore(self, client)

    return restore_unacked


kombu_redis.QoS.restore_unacked = _restore_unacked_unless_closed(kombu_redis.QoS.restore_unacked)

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_default_queue = "celery"
app.conf.task_routes = {name: {"queue": queue} for name, queue in QUEUE_OF_TASK.items()}


def _time_limits() -> dict:
    limits = settings.CELERY_TASK_TIME_LIMITS
    soft, hard = limits["celery"]
    annotations = {"*": {"soft_time_limit": soft, "time_limit": hard}}
    for name, queue in QUEUE_OF_TASK.items():
        soft, hard = limits[queue]
        annotations[name] = {"soft_time_limit": soft, "time_limit": hard}
    return annotations


app.conf.task_annotations = _time_limits()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(**kwargs) -> None:
    """What Django does around each request: drop a connection that is past
    CONN_MAX_AGE, failed its health check or saw an error; keep the rest.
    (Celery's fixup would close them all, every task: see CELERY_DB_REUSE_MAX.)"""
    if not getattr(kwargs.get("task") and kwargs["task"].request, "is_eager", False):
        close_old_connections()


# Registers every task: claims.jobs imports each of its modules.
app.autodiscover_tasks(related_name="jobs")

# Default beat schedule. With django-celery-beat's DatabaseScheduler these are
# synced into the database, where editors can change them in the admin.
app.conf.beat_schedule = {
    "send-sla-reminders": {
        "task": "claims.jobs.pipeline.send_sla_reminders",
        "schedule": crontab(minute="*/10"),
    },
    "send-due-webhook-deliveries": {
        "task": "claims.jobs.webhooks.send_due_webhook_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    "poll-due-sources": {
        "task": "claims.jobs.sources.poll_due_sources",
        "schedule": crontab(),  # every minute; each source keeps its own interval
    },
    "sweep-stuck-work": {
        "task": "claims.jobs.pipeline.sweep_stuck_work",
        "schedule": crontab(minute="*/1"),
    },
}
