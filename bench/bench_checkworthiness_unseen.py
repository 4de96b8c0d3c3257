"""Score a labelled news set with a model that never saw it, articles in page order.

    .venv/bin/python bench/bench_checkworthiness_unseen.py ROOT MODEL_DIR THRESHOLD [NEWS]

ROOT is a code tree (its ``claims.extraction.model`` does the scoring), MODEL_DIR an
artifact folder for that code, THRESHOLD its cut, NEWS a ``sentences.jsonl`` (default:
``data/checkworthiness/news-en-2``). For instance, the design frozen before news-en-2 was
read, against the previous model:

    git show 1a68407:claims/extraction/model/vocab.json > /tmp/m/vocab.json   # and weights.npz
    .venv/bin/python bench/bench_checkworthiness_unseen.py . /tmp/m 0.60
    mkdir /tmp/old && git archive 384cce2 | tar -x -C /tmp/old
    .venv/bin/python bench/bench_checkworthiness_unseen.py /tmp/old /tmp/old/claims/extraction/model 0.52
"""

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent
root, model_dir, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
news = sys.argv[4] if len(sys.argv) > 4 else HERE / "data/checkworthiness/news-en-2/sentences.jsonl"
sys.path.insert(0, str(Path(root).resolve()))

from sklearn.metrics import average_precision_score  # noqa: E402

from claims.extraction.model import load_model  # noqa: E402

with open(news, encoding="utf-8") as fh:
    rows = [json.loads(line) for line in fh if line.strip()]
model = load_model(model_dir)
scores = np.zeros(len(rows))
articles: dict[str, list[int]] = {}
for i, r in enumerate(rows):
    articles.setdefault(r["article"], []).append(i)
for idx in articles.values():
    scores[idx] = model.score([rows[i]["text"] for i in idx])
y = np.array([int(r["checkworthy"]) for r in rows])
genre = np.array([r.get("genre", "news") for r in rows])
for name, mask in (("all pages", np.ones(len(y), bool)), ("news genre", genre == "news")):
    yy, s = y[mask], scores[mask]
    p = s >= threshold
    tp, fp = int((p & (yy == 1)).sum()), int((p & (yy == 0)).sum())
    fn, tn = int((~p & (yy == 1)).sum()), int((~p & (yy == 0)).sum())
    print(
        f"{name:<11} n={int(mask.sum())} F1={2 * tp / max(2 * tp + fp + fn, 1):.3f} "
        f"P={tp / max(tp + fp, 1):.3f} R={tp / max(tp + fn, 1):.3f} "
        f"spec={tn / max(tn + fp, 1):.3f} AP={average_precision_score(yy, s):.3f}"
    )
