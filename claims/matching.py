"""Find earlier claims that resemble a claim: TF-IDF cosine over an inverted index.

The index is the ``ClaimTerm`` table (claim id, term), so lookups are two indexed
queries whatever the number of stored claims: one for the document frequency of
the query's terms, one to gather candidates sharing the rarer terms; then the
candidates are rescored in Python with IDF-weighted cosine similarity.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Count

from .models import Claim, ClaimTerm

_WORD = re.compile(r"[^\W_]+(?:[’'.][^\W_]+)*", re.UNICODE)
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his
    how i if in into is it its itself just me more most my myself no nor not now of off
    on once only or other our ours ourselves out over own same she should so some such
    than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say told also mr mrs ms dr
    according s t re ve ll d m""".split()
)
MAX_CANDIDATES = 200


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def terms(text: str) -> set[str]:
    """The index terms of a text: lower-cased, accent-folded, stemmed, no stopwords."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = set()
    for word in _WORD.findall(text):
        word = word.replace("’", "").replace("'", "").replace(".", "")
        if word in STOPWORDS or len(word) < 2:
            continue
        out.add(_stem(word)[:48])
    return out


def index_claims(claims) -> None:
    """Add claims to the index (ignores claims already indexed)."""
    rows = [ClaimTerm(claim_id=c.pk, term=t) for c in claims for t in terms(c.text)]
    ClaimTerm.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)


@dataclass
class Match:
    claim: Claim
    score: float


def similar_claims(claim: Claim, *, limit: int = 5, min_score: float = 0.35) -> list[Match]:
    """Earlier or other claims resembling ``claim``, most similar first."""
    query = terms(claim.text)
    if not query:
        return []
    total = Claim.objects.count() or 1
    df = dict(
        ClaimTerm.objects.filter(term__in=query)
        .values_list("term")
        .annotate(n=Count("id"))
        .values_list("term", "n")
    )
    idf = {t: math.log((1 + total) / (1 + df.get(t, 0))) + 1.0 for t in query}
    # Gather candidates through the rarer half of the terms: common words add
    # little to the score and would pull in most of the table.
    rare = sorted(query, key=lambda t: df.get(t, 0))[: max(3, (len(query) + 1) // 2)]
    rare = [t for t in rare if df.get(t, 0) > 0]
    if not rare:
        return []
    candidates = list(
        ClaimTerm.objects.filter(term__in=rare)
        .exclude(claim_id=claim.pk)
        .values("claim_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-claim_id")
        .values_list("claim_id", flat=True)[:MAX_CANDIDATES]
    )
    if not candidates:
        return []
    cand_terms: dict[int, set[str]] = {}
    for cid, term in ClaimTerm.objects.filter(claim_id__in=candidates).values_list(
        "claim_id", "term"
    ):
        cand_terms.setdefault(cid, set()).add(term)
    missing = {t for ts in cand_terms.values() for t in ts} - idf.keys()
    if missing:
        df_more = dict(
            ClaimTerm.objects.filter(term__in=missing)
            .values_list("term")
            .annotate(n=Count("id"))
            .values_list("term", "n")
        )
        for t in missing:
            idf[t] = math.log((1 + total) / (1 + df_more.get(t, 0))) + 1.0
    q_norm = math.sqrt(sum(idf[t] ** 2 for t in query))
    scored = []
    for cid, ts in cand_terms.items():
        dot = sum(idf[t] ** 2 for t in ts & query)
        norm = math.sqrt(sum(idf[t] ** 2 for t in ts))
        score = dot / (q_norm * norm) if norm else 0.0
        if score >= min_score:
            scored.append((score, cid))
    scored.sort(reverse=True)
    top = scored[:limit]
    by_id = Claim.objects.select_related("article", "verdict").in_bulk([c for _, c in top])
    return [Match(by_id[cid], round(score, 3)) for score, cid in top if cid in by_id]
