"""Every Celery task, at the edge: each takes ids, calls inwards, and is idempotent.

Nothing else in the app imports this package (``tests/test_import_graph.py``):
inside code writes the row that says what is owed and sends a nudge by task name
through ``claims.outbox``. Celery imports this package at start-up
(``factcheck/celery.py``), which registers the tasks of each module below.
"""

from . import pipeline, sources, webhooks

__all__ = ["pipeline", "sources", "webhooks"]
