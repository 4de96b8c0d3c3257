"""Claimant precision and recall against bench/data/claimants/ (two annotators, adjudicated).

    .venv/bin/python bench/bench_claimants.py [--baseline]

Each article of news-en is understood in page order (its sentences as news-en stores
them), and every labelled sentence's claimant compared with the label. ``--baseline``
scores the bare speaker of ``understand`` instead of ``claimants``. Even articles are
the development half, odd ones held out (see the data folder's README).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction.claimant import claimants  # noqa: E402
from claims.extraction.understanding import understand  # noqa: E402

LABELS = ROOT / "bench" / "data" / "claimants" / "claimants.jsonl"
NEWS = Path("/work/shared/data/checkworthiness/news-en/sentences.jsonl")
_DROP = re.compile(
    r"^(?:the|mr|mrs|ms|dr|sir|lord|lady|president|sen|senator|rep|judge|"
    r"his honour judge|former|chief executive)\.?\s+",
    re.IGNORECASE,
)
_SUFFIX = re.compile(r",?\s+(?:corp|inc|ltd|plc|co)\.?$", re.IGNORECASE)


def key(name: str) -> str:
    name = " ".join(name.replace("\u2019", "'").split()).strip(" .")
    while True:
        bare = _DROP.sub("", name)
        if bare == name:
            break
        name = bare
    name = re.sub(r",?\s+(?:qc|ph\.?d\.?|jr\.?)$", "", name, flags=re.IGNORECASE)
    return _SUFFIX.sub("", name).lower()


def _initials(name: str) -> tuple[str, str]:
    words = name.split()
    return (
        "".join(w[0] for w in words).upper(),
        "".join(w[0] for w in words if w[:1].isupper()),
    )


def same(got: str, gold: str) -> bool:
    """``got`` names the labelled claimant at least as fully as the label does.

    Equal after normalisation; or the label is a bare surname and the prediction a full
    name ending with it ("Trump" / "Donald Trump"); or the label is an acronym the
    prediction spells out ("DOJ" / "Department of Justice"). Never the other way round:
    a surname or an acronym where the label is the full name is not as full as the
    article allows.
    """
    spelled = key_case(got)
    got, gold = key(got), key(gold)
    if not got or not gold:
        return False
    if got == gold:
        return True
    if " " not in gold and gold.isalpha() and got.endswith(" " + gold) and len(got.split()) <= 3:
        return True
    upper = gold.upper()
    return " " not in gold and len(gold) >= 2 and upper in _initials(spelled)


def key_case(name: str) -> str:
    """``key`` without lowercasing, for initials."""
    name = " ".join(name.replace("\u2019", "'").split()).strip(" .")
    return re.sub(r"^(?:the)\s+", "", name, flags=re.IGNORECASE)


def predict(baseline: bool) -> dict[tuple[str, int], str]:
    by: dict[str, list[str]] = {}
    for line in NEWS.open():
        row = json.loads(line)
        by.setdefault(row["article"], []).append(row["text"])
    out = {}
    for article, texts in by.items():
        understood = understand(texts)
        if baseline:
            names = [u.speaker for u in understood]
        else:
            names = [c.name if c.kind != "publisher" else "" for c in claimants(texts, understood)]
        for i, name in enumerate(names):
            out[(article, i)] = name
    return out


def score(rows, preds) -> dict:
    tp = n_pred = n_gold = 0
    for row in rows:
        got = preds[(row["article"], row["index"])]
        gold = row["claimant"]
        n_pred += bool(got)
        n_gold += bool(gold)
        tp += same(got, gold)
    return {
        "sentences": len(rows),
        "articles": len({r["article"] for r in rows}),
        "attributed": n_gold,
        "precision": round(tp / n_pred, 3) if n_pred else 0.0,
        "recall": round(tp / n_gold, 3) if n_gold else 0.0,
    }


def main() -> None:
    baseline = "--baseline" in sys.argv
    rows = [json.loads(line) for line in LABELS.open()]
    preds = predict(baseline)
    for half, keep in (("development (even)", 0), ("held out (odd)", 1)):
        part = [r for r in rows if int(r["article"]) % 2 == keep]
        print(f"{half}: {score(part, preds)}")
    print(f"all: {score(rows, preds)}")
    if "-v" in sys.argv:
        for row in rows:
            got = preds[(row["article"], row["index"])]
            if not same(got, row["claimant"]) and (got or row["claimant"]):
                print(f"{row['article']} {row['index']:>2} want {row['claimant']!r} got {got!r}")


if __name__ == "__main__":
    main()
