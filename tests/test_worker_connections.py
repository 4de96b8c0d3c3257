"""Around each task the worker keeps a healthy database connection and drops a broken one.

Celery's Django fixup used to close every connection before and after every
task, so each task paid a new connection. ``CELERY_DB_REUSE_MAX`` turns that
off (but for every few hundred tasks) and ``factcheck.celery`` applies Django's
own per-request rule instead.
"""

from __future__ import annotations

import pytest
from django.db import connections

from factcheck import celery as celery_app


def test_the_fixup_is_told_to_reuse_connections():
    assert celery_app.app.conf.get("CELERY_DB_REUSE_MAX", 0) >= 50


@pytest.mark.django_db(transaction=True)
def test_a_healthy_connection_is_kept_and_a_broken_one_dropped(monkeypatch):
    connection = connections["default"]
    connection.ensure_connection()
    raw = connection.connection
    celery_app._close_old_connections(task=None)
    assert connection.connection is raw  # kept: no new connection for the next task

    connection.errors_occurred = True
    monkeypatch.setattr(type(connection), "is_usable", lambda self: False)
    celery_app._close_old_connections(task=None)
    assert connection.connection is None  # dropped: the next task opens a fresh one
