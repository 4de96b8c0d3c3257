"""How much of what extraction flags as check-worthy is page chrome, on the 121 real pages.

    .venv/bin/python bench/bench_junk_share.py                       # this checkout
    .venv/bin/python bench/bench_junk_share.py --before-rev 384cce2  # + claims/extraction there
    .venv/bin/python bench/bench_junk_share.py --list                # + each chrome line still flagged

Labels: ``bench/data/junk/flagged.jsonl`` holds every sentence ``extract()`` flagged on
the real pages at ``384cce2`` (before this bench's rules), each read in its page and
marked chrome (with a category) or body; see ``bench/data/junk/README.md``. A flagged
sentence counts as chrome when its label says so or when it overlaps one of the page's
``without`` snippets (the data set's own chrome labels).

Halves: the fixed split of ``tests/realpages.halves`` (pages sorted by URL, even/odd).
Rules were chosen on the development half; the held-out half was labelled before any
rule was written and not looked at to choose one. Its figure is the one to quote.

Also printed: keep/drop on the pages' snippets (the ``bench_real_pages.py`` scoring), and
how many of news-en's check-worthy sentences (``shared/data/checkworthiness/news-en``,
whose pages are among the 121) no longer appear in the extracted text.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.realpages import DATA, Score, flat, halves, load_pages, score_page  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_real_pages import load_before  # noqa: E402  (one copy of the archive loader)

LABELS = ROOT / "bench" / "data" / "junk" / "flagged.jsonl"
NEWS = DATA.parent.parent / "checkworthiness" / "news-en" / "sentences.jsonl"
HALF_NAMES = ("development", "held-out")


def load_labels() -> dict[str, dict[str, dict]]:
    labels: dict[str, dict[str, dict]] = {}
    with LABELS.open() as f:
        for line in f:
            row = json.loads(line)
            labels.setdefault(row["page"], {})[flat(row["text"])] = row
    return labels


def judge(sentence: str, page, page_labels: dict[str, dict]) -> tuple[bool | None, str]:
    """(chrome?, category) for one flagged sentence; chrome None when nobody labelled it."""
    text = flat(sentence)
    for snippet in page.without:
        snippet = flat(snippet)
        if snippet and (snippet in text or text in snippet):
            return True, "without snippet"
    row = page_labels.get(text)
    if row is None:
        # A sentence cut differently now: take the label of the labelled one holding it.
        row = next((r for t, r in page_labels.items() if text in t), None)
    if row is None:
        return None, ""
    return row["chrome"], row["category"]


def news_sentences() -> dict[str, list[str]]:
    """news-en's check-worthy sentences by page name."""
    by_page: dict[str, list[str]] = {}
    if not NEWS.exists():
        return by_page
    with NEWS.open() as f:
        for line in f:
            row = json.loads(line)
            if row["checkworthy"]:
                name = Path(row["page"]).name.removesuffix(".html.gz")
                by_page.setdefault(name, []).append(flat(row["text"]))
    return by_page


def measure(name: str, extract, pages, labels, news, show: bool) -> None:
    development, held_out = halves(pages)
    half_of = {p.name: HALF_NAMES[0] for p in development} | {
        p.name: HALF_NAMES[1] for p in held_out
    }
    counts = {half: Counter() for half in HALF_NAMES}
    categories = {half: Counter() for half in HALF_NAMES}
    snippets = {half: Score() for half in (*HALF_NAMES, "all")}
    news_total = news_lost = 0
    still = []
    for page in pages:
        half = half_of[page.name]
        extraction = extract(page.html)
        text = extraction.document.text
        score_page(page, text, snippets[half])
        score_page(page, text, snippets["all"])
        page_text = flat(text)
        for sentence in news.get(page.name, []):
            news_total += 1
            news_lost += sentence not in page_text
        for sentence in extraction.sentences:
            if not sentence.checkworthy:
                continue
            chrome, category = judge(sentence.text, page, labels.get(page.name, {}))
            counts[half]["flagged"] += 1
            if chrome is None:
                counts[half]["unlabelled"] += 1
                still.append((half, page.name, "UNLABELLED", sentence.text))
            elif chrome:
                counts[half]["chrome"] += 1
                categories[half][category] += 1
                still.append((half, page.name, category, sentence.text))
    print(f"\n{name}")
    print(f"  {'half':12s} {'flagged':>7s} {'chrome':>6s} {'share':>6s} {'unlabelled':>10s}")
    for half in HALF_NAMES:
        c = counts[half]
        share = c["chrome"] / c["flagged"] if c["flagged"] else 0.0
        print(f"  {half:12s} {c['flagged']:7d} {c['chrome']:6d} {share:6.1%} {c['unlabelled']:10d}")
    total = counts[HALF_NAMES[0]] + counts[HALF_NAMES[1]]
    print(
        f"  {'all':12s} {total['flagged']:7d} {total['chrome']:6d} "
        f"{total['chrome'] / total['flagged']:6.1%} {total['unlabelled']:10d}"
    )
    for half in HALF_NAMES:
        print(
            f"  chrome by kind, {half}: "
            + ", ".join(f"{k} {v}" for k, v in categories[half].most_common())
        )
    for label, score in snippets.items():
        print(f"  snippets {label:12s} keep {score.keep_rate:.3f}  drop {score.drop_rate:.3f}")
    print(f"  news-en check-worthy sentences missing from the text: {news_lost} of {news_total}")
    if show:
        for half, page, category, sentence in still:
            print(f"    [{half}] {page} ({category}): {sentence[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before-rev", help="also measure claims/extraction at this git revision")
    parser.add_argument("--list", action="store_true", help="print each chrome line still flagged")
    args = parser.parse_args()
    pages = load_pages()
    labels = load_labels()
    news = news_sentences()
    if args.before_rev:
        before = load_before(args.before_rev)
        measure(f"before ({args.before_rev})", before.extract, pages, labels, news, args.list)
    from claims.extraction import extract

    measure("now", extract, pages, labels, news, args.list)


if __name__ == "__main__":
    main()
