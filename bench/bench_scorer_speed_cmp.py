"""Warm scoring speed of the check-worthiness model in the code tree ROOT (one core).

Run it for the old and the new tree one after the other, in the same minute, so both
see the same load on a shared machine:

    mkdir /tmp/old && git archive 0c69cbf | tar -x -C /tmp/old
    .venv/bin/python bench/bench_scorer_speed_cmp.py /tmp/old
    .venv/bin/python bench/bench_scorer_speed_cmp.py .
"""

import csv
import os
import sys
import time

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
sys.path.insert(0, ROOT)
os.sched_setaffinity(0, {0})

from claims.extraction.model import MODEL_DIR, load_model  # noqa: E402

DATA = "/work/shared/data/checkworthiness/claimbuster/crowdsourced.csv"
texts = [row["Text"] for row in csv.DictReader(open(DATA, encoding="utf-8"))][:20000]
model = load_model(MODEL_DIR)
model.score(texts)  # warm the per-word cache
best = best_cpu = 0.0
for _ in range(3):
    t0, c0 = time.perf_counter(), time.process_time()
    model.score(texts)
    best = max(best, len(texts) / (time.perf_counter() - t0))
    best_cpu = max(best_cpu, len(texts) / (time.process_time() - c0))
print(
    f"{ROOT}: warm {best:,.0f} sentences/s wall, {best_cpu:,.0f} per CPU-second "
    f"(CPU 0, {len(texts):,} sentences)"
)
