"""The multiprocess metrics directory does not grow with every process the desk
has ever run: a scrape folds the files of ended processes into one archive per
type, and the totals it serves stay exactly what they were."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from prometheus_client.parser import text_string_to_metric_families

from claims.ops import exposition

COUNTING = textwrap.dedent(
    """
    import sys
    from prometheus_client import Counter, Histogram
    requests = Counter("demo_requests_total", "Requests.", ["view"])
    latency = Histogram("demo_latency_seconds", "Latency.", ["view"], buckets=(0.1, 1))
    for view, n, seconds in (("desk", int(sys.argv[1]), 0.05), ("claim", 1, 0.5)):
        requests.labels(view).inc(n)
        latency.labels(view).observe(seconds)
    if len(sys.argv) > 2:  # stay alive until told
        print("counted", flush=True)
        sys.stdin.read()
    """
)


def _count(directory, n, *, stay=False):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(directory), "PATH": "/usr/bin:/bin"}
    args = [sys.executable, "-c", COUNTING, str(n), *(["stay"] if stay else [])]
    if not stay:
        subprocess.run(args, env=env, check=True)
        return None
    proc = subprocess.Popen(args, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline() == b"counted\n"
    return proc


def _scrape() -> dict:
    from prometheus_client import generate_latest

    text = generate_latest(exposition.process_registry()).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name.startswith("demo_")
    }


def _files(directory):
    return sorted(p.name for p in directory.glob("*.db"))


def test_a_scrape_folds_ended_processes_into_an_archive_and_keeps_every_total(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    live = _count(tmp_path, 100, stay=True)
    try:
        for n in (1, 2, 3):
            _count(tmp_path, n)
        assert len(_files(tmp_path)) == 8  # a counter and a histogram file per process

        first = _scrape()
        assert first[("demo_requests_total", (("view", "desk"),))] == 106
        assert first[("demo_latency_seconds_count", (("view", "claim"),))] == 4
        assert first[("demo_latency_seconds_bucket", (("le", "0.1"), ("view", "desk")))] == 4
        assert first[("demo_latency_seconds_sum", (("view", "claim"),))] == 2.0
        pid = str(live.pid)
        assert _files(tmp_path) == sorted(
            [
                "counter_archive.db",
                "histogram_archive.db",
                f"counter_{pid}.db",
                f"histogram_{pid}.db",
            ]
        )

        # More processes come and go: added to the archive, nothing counted twice.
        for n in (10, 20):
            _count(tmp_path, n)
        second = _scrape()
        assert second[("demo_requests_total", (("view", "desk"),))] == 136
        assert second[("demo_latency_seconds_count", (("view", "desk"),))] == 6
        assert len(_files(tmp_path)) == 4
    finally:
        live.stdin.close()
        live.wait(10)

    # The live one ends too: its counts join the archive, the totals stand.
    assert _scrape() == second
    assert _files(tmp_path) == ["counter_archive.db", "histogram_archive.db"]


def test_a_scrape_does_not_fold_while_another_process_is_folding(tmp_path, monkeypatch):
    import fcntl

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    _count(tmp_path, 5)
    with exposition._locked(tmp_path, fcntl.LOCK_EX | fcntl.LOCK_NB) as mine:
        assert mine
        assert exposition.compact_ended_processes(tmp_path) == 0  # skipped, not blocked
    assert exposition.compact_ended_processes(tmp_path) == 2


def test_a_scrape_waits_for_a_fold_in_progress_rather_than_read_half_of_it(tmp_path, monkeypatch):
    import fcntl
    import threading

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    _count(tmp_path, 5)
    scraped = []
    with exposition._locked(tmp_path, fcntl.LOCK_EX | fcntl.LOCK_NB) as mine:
        assert mine
        reader = threading.Thread(target=lambda: scraped.append(_scrape()))
        reader.start()
        reader.join(1.0)
        assert scraped == []  # still waiting for the folder to finish
    reader.join(10)
    assert scraped[0][("demo_requests_total", (("view", "desk"),))] == 5
