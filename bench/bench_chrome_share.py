"""Page chrome among flagged sentences, judged by news-en-2's two annotators.

    .venv/bin/python bench/bench_chrome_share.py

news-en-2 (``data/checkworthiness/news-en-2/``) labels every sentence that
``extract()`` gave at 384cce2 on 88 real pages with ``chrome``: not the article's own
body (menus, teasers, promos, captions, bylines...). This runs today's ``extract()``
on the same pages and reports, among the flagged sentences whose text is labelled,
the share the annotators call chrome; and how many labelled check-worthy body
sentences no longer appear in the extracted text. Sentences with no label (past the
labelled stretch of a page: its first 60 sentences, 10 on a non-news page; or whose text
changed since 384cce2) are left out, and counted.

The page-junk rules never read this set, so for them it is held out. The model is
trained on it (its chrome rows are negatives), so for the model it is not.
"""

from __future__ import annotations

import gzip
import json
import sys
import unicodedata
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import extract  # noqa: E402

DATA = ROOT / "data" / "checkworthiness" / "news-en-2" / "sentences.jsonl"
PAGES = Path("/work/shared/data")


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def main() -> None:
    by_page: OrderedDict[str, list[dict]] = OrderedDict()
    for line in DATA.open(encoding="utf-8"):
        row = json.loads(line)
        by_page.setdefault(row["page"], []).append(row)
    flagged = chrome = unlabelled = lost = body_cw = 0
    for page, rows in by_page.items():
        extraction = extract(gzip.open(PAGES / page).read())
        labels = {norm(r["text"]): r for r in rows}
        got = {norm(s.text) for s in extraction.sentences}
        text = norm(extraction.document.text)
        for sentence in extraction.sentences:
            if not sentence.checkworthy:
                continue
            row = labels.get(norm(sentence.text))
            if row is None:
                unlabelled += 1
                continue
            flagged += 1
            chrome += row["chrome"]
        for key, row in labels.items():
            if row["checkworthy"] and not row["chrome"]:
                body_cw += 1
                lost += key not in got and key not in text
    print(f"pages {len(by_page)}; flagged and labelled {flagged} (unlabelled {unlabelled})")
    print(f"chrome among flagged: {chrome} = {chrome / max(flagged, 1):.1%}")
    print(f"check-worthy body sentences missing from the text: {lost} of {body_cw}")


if __name__ == "__main__":
    main()
