"""A task that does nothing, for measuring Celery's own ceiling in bench_pipeline.py.

Loaded into the bench's worker with ``--include bench.noop_tasks``; never part of the app.
"""

from celery import shared_task


@shared_task(name="bench.noop")
def noop() -> None:
    return None
