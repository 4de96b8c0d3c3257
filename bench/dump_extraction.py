"""Dump ``extract()`` of every real page, bench page and the seed (``sample/``) as JSON lines.

For checking that a speed change leaves the output alone: dump before and after,
then compare.

    .venv/bin/python bench/dump_extraction.py /tmp/before.jsonl
    .venv/bin/python bench/dump_extraction.py /tmp/after.jsonl --compare /tmp/before.jsonl

One line per page: its name and ``Extraction.to_json()`` plus the document's text and
links (or the error message). ``--compare`` prints every page that differs and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extraction import ExtractionError, extract  # noqa: E402
from tests.realpages import load_pages  # noqa: E402


def inputs():
    for page in load_pages():
        yield f"real/{page.name}", page.html
    for path in sorted((ROOT / "bench" / "data" / "pages").glob("*.html")):
        yield f"bench/{path.name}", path.read_bytes()
    for path in sorted((ROOT / "sample").glob("*.html")):  # the seed article
        yield f"sample/{path.name}", path.read_bytes()


def dump(name: str, html: bytes) -> dict:
    try:
        result = extract(html)
    except ExtractionError as exc:
        return {"name": name, "error": str(exc)}
    row = {"name": name, **result.to_json()}
    row["text"] = result.document.text
    row["links"] = [link.to_json() for link in result.document.links]
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--compare", help="a dump to compare with")
    args = parser.parse_args()
    with open(args.out, "w") as out:
        for name, html in inputs():
            out.write(json.dumps(dump(name, html), sort_keys=True) + "\n")
    if not args.compare:
        return
    before = {row["name"]: row for row in map(json.loads, open(args.compare))}
    after = {row["name"]: row for row in map(json.loads, open(args.out))}
    differ = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    for name in differ:
        old, new = before.get(name) or {}, after.get(name) or {}
        keys = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        print(f"{name}: differs in {', '.join(keys)}")
    print(f"{len(after)} pages, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
