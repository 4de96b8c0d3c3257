"""Precision and recall of "same fact" on the match set (bench/data/matching).

Pairs are split by source article: even article numbers are the development half (the
thresholds and rules in claims/extraction/facts.py were chosen on it), odd ones are
held out. Prints both halves; the held-out line is the one to report.

    .venv/bin/python bench/bench_clusters.py [--show-errors]
"""

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.extraction import facts  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "matching"


def load_pairs():
    pairs = []
    for name in ("written.tsv", "same_topic.tsv"):
        with (DATA / name).open(newline="") as f:
            pairs.extend(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return pairs


def is_dev(pair) -> bool:
    return int(pair["article"]) % 2 == 0


def evaluate(pairs, show_errors=False):
    tp = fp = fn = hard_merges = 0
    for p in pairs:
        a, b = facts.canonical_facts(p["a"]), facts.canonical_facts(p["b"])
        predicted = facts.same_fact(a, b) == facts.SAME
        gold = p["label"] == "same"
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
        hard_merges += predicted and not gold and p["kind"].startswith("hard")
        if show_errors and predicted != gold:
            print(
                f"  {'FP' if predicted else 'FN'} {p['kind']} sim={facts.similarity(a, b):.2f} "
                f"conflicts={facts.conflicts(a, b)}\n    A {p['a']}\n    B {p['b']}"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, hard_merges, tp + fn, len(pairs) - tp - fn


def main():
    show = "--show-errors" in sys.argv
    pairs = load_pairs()
    print(f"match set: {len(pairs)} pairs from {len({p['article'] for p in pairs})} articles")
    for name, part in (
        ("development (even articles)", [p for p in pairs if is_dev(p)]),
        ("held out (odd articles)", [p for p in pairs if not is_dev(p)]),
    ):
        print(name)
        precision, recall, hard, pos, neg = evaluate(part, show)
        print(
            f"  {pos} same / {neg} different: precision {precision:.3f}  recall {recall:.3f}  "
            f"hard-negative merges {hard}"
        )


if __name__ == "__main__":
    main()
