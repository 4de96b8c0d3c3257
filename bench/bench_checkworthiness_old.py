"""Score news-en with the earlier model of git revision 0c69cbf (run it in a checkout of it).

That artifact cannot be loaded by the current code (it has 17 hand features, not 26), so
this runs against the code of that revision:

    mkdir /tmp/old && git archive 0c69cbf | tar -x -C /tmp/old && cd /tmp/old && \
        $REPO/.venv/bin/python $REPO/bench/bench_checkworthiness_old.py

Prints F1/P/R/specificity/AP on news-en at that model's threshold (0.58) and with its
threshold rule applied leave-one-article-out (threshold chosen on the other articles).
"""

import json
import sys

import numpy as np

sys.path.insert(0, ".")
from claims.extraction import checkworthiness as cw  # noqa: E402
from claims.extraction import training  # noqa: E402
from claims.extraction.model import get_model  # noqa: E402

NEWS = "/work/shared/data/checkworthiness/news-en/sentences.jsonl"


def spec(y, pred):
    return float(((pred == 0) & (y == 0)).sum() / max((y == 0).sum(), 1))


def main():
    rows = [json.loads(line) for line in open(NEWS, encoding="utf-8")]
    y = np.array([int(r["checkworthy"]) for r in rows])
    arts = np.array([r["article"] for r in rows])
    s = np.array(get_model().score([r["text"] for r in rows]))
    loao = np.zeros(len(y), int)
    for a in sorted(set(arts)):
        m = arts == a
        loao[m] = s[m] >= training.best_threshold(y[~m], s[~m])
    for name, pred in (("shipped 0.58", (s >= cw.THRESHOLD).astype(int)), ("LOAO old rule", loao)):
        m = training.metrics(y, pred, 0.5)
        print(
            f"{name}: F1 {m['f1_cw']:.3f} P {m['precision_cw']:.3f} R {m['recall_cw']:.3f} "
            f"spec {spec(y, pred):.3f} AP {training.metrics(y, s, 0.5)['ap']:.3f}"
        )


if __name__ == "__main__":
    main()
