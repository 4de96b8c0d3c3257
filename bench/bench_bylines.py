"""Authors and outlet found on the 121 real pages; every sixth page printed to check by hand.

.venv/bin/python bench/bench_bylines.py
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import html_to_document  # noqa: E402

PAGES = Path("/work/shared/data/extraction/real-pages-en/html")


def main() -> None:
    files = sorted(PAGES.glob("*.gz"))
    authors = outlets = 0
    for i, path in enumerate(files):
        doc = html_to_document(gzip.open(path).read())
        authors += bool(doc.authors)
        outlets += bool(doc.publisher)
        if i % 6 == 0:
            print(f"{path.name[:40]:40} | {doc.authors[:3]} | {doc.publisher}")
    print(f"pages {len(files)}: author found {authors}, outlet found {outlets}")


if __name__ == "__main__":
    main()
