"""Main-content quality, speed and memory on the real pages, old extractor vs new.

    .venv/bin/python bench/bench_real_pages.py                 # everything
    .venv/bin/python bench/bench_real_pages.py --no-memory     # quality + speed
    .venv/bin/python bench/bench_real_pages.py --repeat 5      # best of 5 per page
    .venv/bin/python bench/bench_real_pages.py --no-memory --before-rev main
                                  # + "before" rows: claims/extraction at that revision

Data: ``/work/shared/data/extraction/real-pages-en`` (121 real English pages with
``with`` snippets the body must keep and ``without`` chrome it must drop; set
``REAL_PAGES_DIR`` to read it elsewhere). Scoring: ``tests/realpages.py``.

Extractors compared:

  * old       ``html_to_document`` as it was before trafilatura (``claims/extraction/html.py``
              at git revision ``--old-rev``, default ``0c69cbf``, loaded from git at run time);
  * fallback  the current class-name rules alone (``html.legacy_document``), i.e. the old
              extractor with the added junk names and the article-<header> rule;
  * new       ``html_to_document``: trafilatura's body through our text builder, the
              fallback only when trafilatura finds nothing.

Quality is printed for all pages and for each half of a fixed split (pages sorted by
URL, even/odd): rules were chosen looking at half A; half B is the check.

Speed (pinned to one core, warm, best of ``--repeat`` per page, the extractors
interleaved page by page so machine load hits them alike): bare
``BeautifulSoup(html, "lxml").get_text()``, old and new ``html_to_document``, and the
whole new ``extract()`` (text, sentences, scores, understanding). Ratios are totals
over all pages divided by the bare total.

Memory: for the five largest pages and one ~4.5 MB page made by joining real pages'
bodies, a fresh subprocess warms up (imports, model), resets its peak RSS
(``/proc/self/clear_refs``), runs ``extract()`` once and reports (VmHWM - VmRSS before)
per MB of input.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from claims.extraction import extract, html  # noqa: E402
from tests.realpages import Score, halves, load_pages, score_page  # noqa: E402


def load_old(rev: str):
    source = subprocess.run(
        ["git", "show", f"{rev}:claims/extraction/html.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"old_html_{rev}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("claims.extraction._old_html", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_before(rev: str):
    """The whole ``claims/extraction`` package at ``rev``, importable beside this one."""
    # Cached by commit, not by name: a branch such as "main" moves.
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_before_{commit}"
    package = tmp / "extraction_before"
    if not package.exists():
        tmp.mkdir(exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", rev, "claims/extraction"], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        (tmp / "claims" / "extraction").rename(package)
    sys.path.insert(0, str(tmp))
    return importlib.import_module("extraction_before")


def quality(pages, extractors) -> None:
    first, second = halves(pages)
    print(
        f"{'extractor':10s} {'set':7s} {'pages':>5s} {'keep':>6s} {'drop':>6s} "
        f"{'failing':>7s} {'errors':>6s}"
    )
    failing = {}
    for name, fn in extractors.items():
        for label, subset in (("all", pages), ("half A", first), ("half B", second)):
            score, errors = Score(), 0
            for page in subset:
                try:
                    text = fn(page.html).text
                except Exception:  # the old extractor crashes on some pages
                    errors += 1
                    text = ""
                score_page(page, text, score)
            if label == "all":
                failing[name] = score.failing
            print(
                f"{name:10s} {label:7s} {len(subset):5d} {score.keep_rate:6.3f} "
                f"{score.drop_rate:6.3f} {len(score.failing):7d} {errors:6d}"
            )
    print("\nfailing pages (new):", " ".join(failing["new"]))


def best(fn, arg, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        try:
            fn(arg)
        except Exception:
            pass
        times.append(time.perf_counter() - t)
    return min(times)


def speed(pages, old, repeat: int, before=None) -> None:
    runs = {
        "bare bs4": lambda h: BeautifulSoup(h, "lxml").get_text(),
        "old doc": old.html_to_document,
        "new doc": html.html_to_document,
        "new extract": extract,
    }
    if before is not None:
        runs["before doc"] = before.html_to_document
        runs["before extract"] = before.extract
    for page in pages:  # warm: imports, model, caches
        for fn in runs.values():
            best(fn, page.html, 1)
    totals = dict.fromkeys(runs, 0.0)
    for page in pages:
        for name, fn in runs.items():
            totals[name] += best(fn, page.html, repeat)
    mb = sum(len(p.html) for p in pages) / 1e6
    bare = totals["bare bs4"]
    print(f"\n{len(pages)} pages, {mb:.1f} MB, best of {repeat}, one core")
    print(f"{'step':12s} {'ms/page':>8s} {'x bare':>7s}")
    for name, total in totals.items():
        print(f"{name:12s} {1000 * total / len(pages):8.1f} {total / bare:7.2f}")


_MEMORY_CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from claims.extraction import extract
extract("<p>The council said it spent 12 million pounds on 300 new homes in 2023.</p>")
data = open(sys.argv[2], "rb").read()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")
before = status("VmRSS:")
extract(data)
print(json.dumps({"before_kb": before, "peak_kb": status("VmHWM:"), "bytes": len(data)}))
"""


def memory(pages) -> None:
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / "bench_real_pages"
    tmp.mkdir(exist_ok=True)
    inputs = []
    for page in sorted(pages, key=lambda p: len(p.html))[-5:]:
        path = tmp / f"{page.name}.html"
        path.write_bytes(page.html)
        inputs.append((page.name, path))
    # One big page of real markup: bodies of real pages joined until ~4.5 MB.
    parts, size = [], 0
    for page in pages:
        soup_body = page.html.split(b"<body", 1)[-1]
        parts.append(b"<div" + soup_body.split(b"</body>", 1)[0] + b"</div>")
        size += len(parts[-1])
        if size > 4_500_000:
            break
    big = tmp / "joined-bodies.html"
    big.write_bytes(b"<html><body>" + b"".join(parts) + b"</body></html>")
    inputs.append(("joined real bodies", big))
    print(f"\n{'input':45s} {'MB':>5s} {'peak-before MB':>14s} {'x input':>8s}")
    for name, path in inputs:
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY_CHILD, str(ROOT), str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        mb = row["bytes"] / 1e6
        grown = (row["peak_kb"] - row["before_kb"]) / 1024
        print(f"{name[:45]:45s} {mb:5.2f} {grown:14.1f} {grown / mb:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-rev", default="0c69cbf")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--before-rev", help="also time claims/extraction at this revision")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    pages = load_pages()
    old = load_old(args.old_rev)
    before = load_before(args.before_rev) if args.before_rev else None
    extractors = {
        "old": old.html_to_document,
        "fallback": lambda h: html.legacy_document(html._as_text(h)),
        "new": html.html_to_document,
    }
    if before is not None:
        extractors["before"] = before.html_to_document
    quality(pages, extractors)
    if not args.no_speed:
        speed(pages, old, args.repeat, before)
    if not args.no_memory:
        memory(pages)


if __name__ == "__main__":
    main()
