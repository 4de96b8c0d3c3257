"""Beat's scheduler (django-celery-beat's, so schedules stay editable in the admin),
recording in Redis that beat is alive and when it last sent a task.

``CELERY_BEAT_SCHEDULER`` names this class. ``/readyz`` and the beat container's
health check read the marks (``claims.ops.heartbeat``).
"""

from __future__ import annotations

import logging
import time

from django_celery_beat.schedulers import DatabaseScheduler

from . import heartbeat

log = logging.getLogger(__name__)


class RecordingScheduler(DatabaseScheduler):
    TICK_EVERY_SECONDS = 5.0  # at most one Redis write per this, however often beat ticks
    _last_mark = 0.0

    def _mark(self, record) -> None:
        try:
            record(heartbeat.client(self.app.conf.broker_url))
        except Exception as exc:  # the schedule matters more than the mark
            log.warning("beat heartbeat not recorded: %s", exc.__class__.__name__)

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_mark >= self.TICK_EVERY_SECONDS:
            self._last_mark = now
            self._mark(heartbeat.record_beat_tick)
        return super().tick(*args, **kwargs)

    def apply_async(self, entry, *args, **kwargs):
        result = super().apply_async(entry, *args, **kwargs)
        self._mark(heartbeat.record_beat_run)
        return result
