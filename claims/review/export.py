"""Claims as rows for export (CSV or JSON Lines), streamed: memory stays flat at any size.

One row per claim: id, article URL, outlet, sentence text, claim as checked (the
editors' wording, else the sentence), status, score, claimant, cluster id and size, and
the published fact-check it repeats, if any.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from ..models import Claim
from ..publishing import pages

COLUMNS = (
    "id",
    "article_url",
    "outlet",
    "sentence",
    "claim_as_checked",
    "status",
    "score",
    "claimant",
    "cluster_id",
    "cluster_size",
    "repeats_fact_check",
)
CHUNK = 1000


def export_queryset(qs):
    """Only the columns a row needs, joined in one query, read in chunks."""
    return (
        qs.select_related("article", "cluster", "repeat_of")
        .only(
            "id", "text", "checked_text", "status", "score", "speaker", "claimant",
            "cluster_id", "repeat_of_id",
            "article__url", "article__publisher", "cluster__size",
            "repeat_of__status", "repeat_of__text", "repeat_of__id",
        )
        .order_by("pk")
    )  # fmt: skip


def rows(qs) -> Iterator[dict]:
    for claim in export_queryset(qs).iterator(chunk_size=CHUNK):
        yield row_for(claim)


def row_for(claim: Claim) -> dict:
    checked = claim.repeat_of
    live = checked is not None and checked.status == Claim.Status.PUBLISHED
    return {
        "id": claim.pk,
        "article_url": claim.article.url,
        "outlet": claim.article.publisher,
        "sentence": claim.text,
        "claim_as_checked": claim.as_checked,
        "status": claim.status,
        "score": claim.score,
        "claimant": claim.claimant or claim.speaker,
        "cluster_id": claim.cluster_id,
        "cluster_size": claim.cluster.size if claim.cluster_id else None,
        "repeats_fact_check": pages.public_url(checked) if live else "",
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    # A spreadsheet runs a cell starting with "=" as a formula: quote it.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_lines(records: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield buffer.getvalue()
    for record in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(record[c]) for c in COLUMNS])
        yield buffer.getvalue()


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"
