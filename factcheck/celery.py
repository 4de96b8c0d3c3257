"""The Celery app. Redis is the broker; tasks live in ``claims.tasks``."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Modules not named tasks.py, which autodiscovery would miss.
app.conf.imports = (*tuple(app.conf.imports or ()), "claims.source_tasks")

# Default beat schedule. With django-celery-beat's DatabaseScheduler these are
# synced into the database, where editors can change them in the admin.
app.conf.beat_schedule = {
    "send-sla-reminders": {
        "task": "claims.tasks.send_sla_reminders",
        "schedule": crontab(minute="*/10"),
    },
    "send-due-webhook-deliveries": {
        "task": "claims.webhooks.send_due_webhook_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    "poll-due-sources": {
        "task": "claims.source_tasks.poll_due_sources",
        "schedule": crontab(),  # every minute; each source keeps its own interval
    },
    "sweep-stuck-work": {
        "task": "claims.tasks.sweep_stuck_work",
        "schedule": crontab(minute="*/5"),
    },
}
