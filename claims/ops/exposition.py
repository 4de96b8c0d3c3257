"""Serving metrics, without the database: the process counters and the access rule.

Shared by the web's ``/metrics`` (``claims.ops.metrics`` adds the desk's gauges) and
a worker's exporter (``claims.ops.worker``), which loads before Django's models do.
"""

from __future__ import annotations

import contextlib
import fcntl
import hmac
import ipaddress
import os
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from prometheus_client.mmap_dict import MmapedDict


def process_registry() -> CollectorRegistry:
    """Every process's counters (multiprocess mode), or this process's own."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        compact_ended_processes(Path(path))
        reg = CollectorRegistry()
        _LockedCollector(reg, path=path)
        return reg
    return REGISTRY


# ---------------------------------------------------------------------------
# Keeping the multiprocess directory small
#
# Every process that counts writes its own files (counter_<pid>.db,
# histogram_<pid>.db), and prometheus-client keeps them after it ends so the totals
# never go down. A pool child is replaced every CELERY_WORKER_MAX_TASKS_PER_CHILD
# tasks and a gunicorn worker on every restart, so the directory grows for as long
# as the desk runs and every scrape reads all of it (bench/bench_metrics.py: about
# 5 ms of CPU per file). Before reading, the files of processes that have ended are
# added into one archive per type and removed: a scrape reads the live processes
# plus two files. Counters and histogram buckets are plain sums in these files, so
# adding them key by key loses nothing. This assumes one PID namespace per
# directory (bin/run; a compose container each): a PID that is not running here
# has ended.

_PROCESS_FILE = re.compile(r"^(counter|histogram)_(\d+)\.db$")
_LOCK = ".compact.lock"


@contextlib.contextmanager
def _locked(path: Path, mode: int):
    """flock on the directory's lock file: scrapes share it, compaction holds it
    alone, so no scrape ever sees an ended process counted twice or not at all."""
    with open(path / _LOCK, "a") as f:
        try:
            fcntl.flock(f, mode)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def compact_ended_processes(path: Path) -> int:
    """Fold the files of ended processes into ``<type>_archive.db``; how many went.
    Skipped (0) while another process is compacting."""
    ended = defaultdict(list)
    for entry in os.scandir(path):
        m = _PROCESS_FILE.match(entry.name)
        if m and not _running(int(m.group(2))):
            ended[m.group(1)].append(Path(entry.path))
    if not ended:
        return 0
    with _locked(path, fcntl.LOCK_EX | fcntl.LOCK_NB) as mine:
        if not mine:
            return 0
        done = 0
        for kind, files in ended.items():
            files = [f for f in files if f.exists()]  # another compactor was first
            archive = path / f"{kind}_archive.db"
            totals: dict[str, float] = defaultdict(float)
            for f in [archive, *files] if archive.exists() else files:
                for key, value, _timestamp, _pos in MmapedDict.read_all_values_from_file(f):
                    totals[key] += value
            fresh = path / f"{kind}_archive.db.new"  # not *.db: no scrape reads it
            fresh.unlink(missing_ok=True)
            out = MmapedDict(str(fresh))
            try:
                for key, value in totals.items():
                    out.write_value(key, value, 0.0)
            finally:
                out.close()
            os.replace(fresh, archive)
            for f in files:
                f.unlink()
            done += len(files)
        return done


class _LockedCollector(multiprocess.MultiProcessCollector):
    def collect(self):
        with _locked(Path(self._path), fcntl.LOCK_SH):
            return super().collect()


# ---------------------------------------------------------------------------
# Who may read them


def allowed(authorization: str, address: str) -> bool:
    """A bearer token equal to METRICS_TOKEN, or an address in METRICS_ALLOWED_IPS.
    Neither configured: nobody (metrics describe the desk's workload)."""
    token = settings.METRICS_TOKEN
    if token:
        scheme, _, offered = (authorization or "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            offered.strip().encode(), token.encode()
        ):
            return True
    if settings.METRICS_ALLOWED_IPS and address:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in settings.METRICS_ALLOWED_IPS)
    return False
