"""Running the desk as a service: health, metrics, logs, error reports.

Operations sit at the edge, beside the UIs: the project (``factcheck``: settings,
root urls, the Celery app) mounts and hooks them, and nothing in the domain imports
them. What the domain has to say (ids for log lines, counters) goes through the
kernel's ``claims.telemetry``; ops reads the database and Redis to report on it.

- ``health``: the readiness checks (database, Redis, worker heartbeat, beat, queues)
- ``heartbeat``: the keys workers and beat write to Redis, and reading them back
- ``metrics``: ``/metrics`` (scrape-time gauges over the database and Redis, plus
  the counters every process writes) and who may read it
- ``views``: ``/healthz``, ``/readyz``, ``/metrics``
- ``middleware``: one log line, a request id and the request metrics per request
- ``worker``: the same per task, the worker heartbeat and the worker's exporter
- ``beat``: the beat scheduler that records its ticks
- ``logs``: JSON lines (production) or readable lines (``bin/run --dev``)
- ``sentry``: error reports, with no personal data
- ``probe``: ``python -m claims.ops.probe worker|beat``, the containers' health checks
"""
