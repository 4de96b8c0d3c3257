"""Speaker and entity labels against a hand-labelled set from real pages.

    .venv/bin/python bench/bench_understanding.py

``tests/data/understanding_labels.jsonl``: 70 sentences from 24 pages of
``/work/shared/data/extraction/real-pages-en/``, labelled by reading them (who asserts
the sentence, if named; the people, organisations and places named in it). Each
sentence is understood in the context of its whole article (the page is extracted
and the sentence found by its normalised text); if the extractor does not yield
that sentence, the two sentences stored before it are the context.

Speaker: a prediction is right when it equals the label (case and honorifics
ignored); precision is over sentences where a speaker was predicted, recall over
sentences whose label names one. Entities: (text, label) pairs, DATEs ignored.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import html_to_document, split_sentences  # noqa: E402
from claims.extraction.understanding import understand  # noqa: E402

LABELS = ROOT / "tests" / "data" / "understanding_labels.jsonl"
PAGES = Path("/work/shared/data/extraction/real-pages-en/html")
_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady)\.?\s+")


def _norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").split()).lower()


def _speaker_key(s: str) -> str:
    return _norm(_HONORIFIC.sub("", s.strip()))


def predictions(rows: list[dict]) -> list[tuple[str, set]]:
    by_page: dict[str, list[str]] = {}
    out = []
    for row in rows:
        if row["page"] not in by_page:
            try:
                doc = html_to_document(gzip.open(PAGES / row["page"]).read())
                by_page[row["page"]] = [doc.text[a:b] for a, b in split_sentences(doc.text)]
            except Exception:  # an extractor failure falls back to the stored context
                by_page[row["page"]] = []
        texts = by_page[row["page"]]
        want = _norm(row["text"])
        idx = next((i for i, t in enumerate(texts) if _norm(t) == want), None)
        if idx is None:
            texts, idx = [*row["context"], row["text"]], len(row["context"])
        u = understand(texts[: idx + 1])[idx]  # later sentences cannot change a speaker
        ents = {(e["text"], e["label"]) for e in u.entities if e["label"] != "DATE"}
        out.append((u.speaker, ents))
    return out


def score(rows: list[dict], preds: list[tuple[str, set]]) -> dict:
    sp_tp = sp_pred = sp_gold = 0
    ent = {"tp": 0, "pred": 0, "gold": 0}
    per_label = {lab: {"tp": 0, "pred": 0, "gold": 0} for lab in ("PERSON", "ORG", "GPE")}
    for row, (speaker, ents) in zip(rows, preds):
        gold_sp = row["speaker"]
        if speaker:
            sp_pred += 1
        if gold_sp:
            sp_gold += 1
        if speaker and gold_sp and _speaker_key(speaker) == _speaker_key(gold_sp):
            sp_tp += 1
        gold = {tuple(e) for e in row["entities"]}
        for bucket, g, p in [(ent, gold, ents)] + [
            (per_label[lab], {e for e in gold if e[1] == lab}, {e for e in ents if e[1] == lab})
            for lab in per_label
        ]:
            bucket["tp"] += len(g & p)
            bucket["pred"] += len(p)
            bucket["gold"] += len(g)

    def pr(tp, pred, gold):
        return tp / max(pred, 1), tp / max(gold, 1)

    out = {
        "speaker": pr(sp_tp, sp_pred, sp_gold),
        "entities": pr(ent["tp"], ent["pred"], ent["gold"]),
    }
    for lab, b in per_label.items():
        out[lab] = pr(b["tp"], b["pred"], b["gold"])
    out["counts"] = {"sentences": len(rows), "speakers": sp_gold, "entities": ent["gold"]}
    return out


def main() -> int:
    rows = [
        json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    result = score(rows, predictions(rows))
    c = result["counts"]
    print(
        f"{c['sentences']} sentences, {c['speakers']} named speakers, {c['entities']} entities "
        f"from {len({r['page'] for r in rows})} pages"
    )
    print("| label | precision | recall |")
    print("|---|---:|---:|")
    for key in ("speaker", "entities", "PERSON", "ORG", "GPE"):
        p, r = result[key]
        print(f"| {key} | {p:.3f} | {r:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
