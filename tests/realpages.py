"""The real-pages set (``shared/data/extraction/real-pages-en``) and its scorer.

Shared by ``bench/bench_real_pages.py`` and ``tests/test_real_pages.py``. A page is
right on a snippet when a ``with`` snippet appears in the extracted text, or a
``without`` snippet does not (the trafilatura project's scoring on this data).
Text and snippets are compared with whitespace collapsed.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_SUBDIR = Path("data") / "extraction" / "real-pages-en"
# REAL_PAGES_DIR, else shared/ beside the checkout (as CI lays it out), else /work/shared.
_CANDIDATES = [
    Path(__file__).resolve().parent.parent.parent / "shared" / _SUBDIR,
    Path("/work/shared") / _SUBDIR,
]
DATA = Path(
    os.environ.get("REAL_PAGES_DIR")
    or next((path for path in _CANDIDATES if (path / "expected.json").exists()), _CANDIDATES[0])
)
_WS = re.compile(r"\s+")


@dataclass
class Page:
    url: str
    name: str
    html: bytes
    with_: list[str]
    without: list[str]


@dataclass
class Score:
    kept: int = 0
    wanted: int = 0
    dropped: int = 0
    unwanted: int = 0
    failing: list[str] = field(default_factory=list)

    @property
    def keep_rate(self) -> float:
        return self.kept / self.wanted if self.wanted else 1.0

    @property
    def drop_rate(self) -> float:
        return self.dropped / self.unwanted if self.unwanted else 1.0


def load_pages() -> list[Page]:
    expected = json.loads((DATA / "expected.json").read_text())
    pages = []
    for url, item in sorted(expected.items()):
        path = DATA / item["file"]
        with gzip.open(path) as f:
            html = f.read()
        pages.append(
            Page(
                url,
                path.name.removesuffix(".html.gz"),
                html,
                item.get("with", []),
                item.get("without", []),
            )
        )
    return pages


def flat(text: str) -> str:
    return _WS.sub(" ", text).strip()


def score_page(page: Page, text: str, score: Score) -> bool:
    """Add one page's result to ``score``; return whether the page passes."""
    text = flat(text)
    ok = True
    for snippet in page.with_:
        score.wanted += 1
        if flat(snippet) in text:
            score.kept += 1
        else:
            ok = False
    for snippet in page.without:
        score.unwanted += 1
        if flat(snippet) not in text:
            score.dropped += 1
        else:
            ok = False
    if not ok:
        score.failing.append(page.name)
    return ok


def halves(pages: list[Page]) -> tuple[list[Page], list[Page]]:
    """A fixed split by page name (pages sorted by URL; even/odd), for choosing
    a rule on one half and reporting it on the other."""
    return pages[0::2], pages[1::2]
