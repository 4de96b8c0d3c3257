"""Find earlier claims that resemble a claim: TF-IDF cosine over an inverted index.

The index is the ``ClaimTerm`` table (claim id, term) with a ``TermStat`` row per
term holding its document frequency. A lookup is a handful of indexed queries
whatever the number of stored claims: the query terms' frequencies, candidates
sharing the rarest terms, the candidates' terms and their frequencies; then the
candidates are rescored in Python with IDF-weighted cosine similarity.
Frequencies only grow (deleting a claim does not decrement them); IDF is a
ranking weight, so that drift is harmless.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

import snowballstemmer
from django.db import connection, transaction
from django.db.models import BooleanField, Count, FloatField, Q, Value
from django.db.models.expressions import RawSQL

from ..models import Claim, ClaimTerm, TermStat
from .access import visible_claims

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
MAX_PROBE_TERMS = 6
COMMON_TERM_MIN = 500
COMMON_TERM_FRACTION = 0.01


# "%", "per cent" and "percent" are one term; "percentage" stays itself.
_PERCENT = re.compile(r"%|\bper\s?cent\b", re.IGNORECASE)
_STEMMERS = threading.local()  # a Snowball stemmer object keeps state while stemming


@functools.lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    """English Snowball (Porter 2) stem: "company" and "companies" -> "compani".

    snowballstemmer is the reference implementation (pure Python, no data files); a
    simple hand-written suffix stripper leaves "company"/"compani" apart.
    """
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def terms(text: str) -> set[str]:
    """The index terms of a text: lower-cased, accent-folded, stemmed, no stopwords."""
    text = _PERCENT.sub(" percent ", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = set()
    for word in _WORD.findall(text):
        word = word.replace("’", "").replace("'", "").replace(".", "")
        if word in STOPWORDS or len(word) < 2:
            continue
        out.add(_stem(word)[:48])
    return out


def index_claims(claims, term_sets=None) -> None:
    """Add claims to the index and count their terms' document frequencies.

    Claims already in the index are skipped, so calling it twice is harmless. Run
    it in the transaction that creates the claims so the counts stay in step.
    ``term_sets`` (one ``terms()`` set per claim, in order) lets the caller stem
    before it takes the write lock. Rows go in as multi-row INSERTs: an article's
    few hundred (claim, term) pairs cost a fraction of what model instances cost.
    """
    claims = list(claims)
    if term_sets is None:
        term_sets = [terms(c.text) for c in claims]
    done = set(
        ClaimTerm.objects.filter(claim_id__in=[c.pk for c in claims])
        .values_list("claim_id", flat=True)
        .distinct()
    )
    rows = [
        (c.pk, t)
        for c, found in zip(claims, term_sets, strict=True)
        if c.pk not in done
        for t in sorted(found)
    ]
    if not rows:
        return
    counts = Counter(term for _, term in rows)
    terms_table = connection.ops.quote_name(ClaimTerm._meta.db_table)
    table = connection.ops.quote_name(TermStat._meta.db_table)
    items = sorted(counts.items())  # a fixed order, so concurrent upserts don't deadlock
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 400):  # 800 parameters: under SQLite's 999
            chunk = rows[start : start + 400]
            cursor.execute(
                f"INSERT INTO {terms_table} (claim_id, term) VALUES "
                + ", ".join(["(%s, %s)"] * len(chunk)),
                [v for pair in chunk for v in pair],
            )
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} (term, df) VALUES "
                + ", ".join(["(%s, %s)"] * len(chunk))
                + " ON CONFLICT (term) DO UPDATE SET df = "
                f"{table}.df + excluded.df",
                [v for pair in chunk for v in pair],
            )


REINDEX_CHUNK = 1000


def reindex_claims(claim_model, term_model, stat_model, chunk: int = REINDEX_CHUNK) -> int:
    """Recompute every claim's terms with the current ``terms()`` and rebuild the counts.

    Takes the model classes so a data migration can pass its historical models. Memory
    is bounded by ``chunk``: claims are read ``chunk`` at a time by primary key (id and
    text only), and the document frequencies are recounted inside the database.
    Returns the number of claims reindexed.
    """
    done = 0
    last_pk = 0
    while True:
        batch = list(
            claim_model.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "text")[:chunk]
        )
        if not batch:
            break
        with transaction.atomic():
            ids = [pk for pk, _ in batch]
            term_model.objects.filter(claim_id__in=ids).delete()
            term_model.objects.bulk_create(
                [
                    term_model(claim_id=pk, term=t)
                    for pk, text in batch
                    for t in sorted(terms(text))
                ],
                batch_size=2000,
            )
        done += len(batch)
        last_pk = batch[-1][0]
    terms_table = connection.ops.quote_name(term_model._meta.db_table)
    stats_table = connection.ops.quote_name(stat_model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {stats_table}")
        cursor.execute(
            f"INSERT INTO {stats_table} (term, df) SELECT term, COUNT(*) FROM {terms_table} GROUP BY term"
        )
    return done


def _document_frequencies(words) -> dict[str, int]:
    return dict(TermStat.objects.filter(term__in=list(words)).values_list("term", "df"))


@dataclass
class Match:
    claim: Claim
    score: float


def similar_claims(
    claim: Claim, *, limit: int = 5, min_score: float = 0.35, visible_to=None
) -> list[Match]:
    """Earlier or other claims resembling ``claim``, most similar first.

    With ``visible_to``, only claims that user may see (``access.visible_claims``)
    and published ones.
    """
    query = terms(claim.text)
    if not query:
        return []
    total = Claim.objects.count() or 1
    df = _document_frequencies(query)
    idf = {t: math.log((1 + total) / (1 + df.get(t, 0))) + 1.0 for t in query}
    # Gather candidates through the rarest terms only: common words add little
    # to the score, and their long posting lists are what would make this slow.
    present = sorted((t for t in query if df.get(t, 0) > 0), key=lambda t: df[t])
    cap = max(COMMON_TERM_MIN, int(total * COMMON_TERM_FRACTION))
    rare = [t for t in present if df[t] <= cap][:MAX_PROBE_TERMS] or present[:2]
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
        df_more = _document_frequencies(missing)
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
    pool = Claim.objects.all()
    if visible_to is not None:
        # What the user may see on the desk, plus published verdicts (public anyway).
        pool = visible_claims(visible_to, pool) | pool.filter(status=Claim.Status.PUBLISHED)
        allowed = set(pool.filter(pk__in=[c for _, c in scored]).values_list("pk", flat=True))
        scored = [(score, cid) for score, cid in scored if cid in allowed]
    top = scored[:limit]
    by_id = (
        pool.select_related("article", "verdict")
        .defer("article__raw_html", "article__text", "article__links")
        .in_bulk([c for _, c in top])
    )
    return [Match(by_id[cid], round(score, 3)) for score, cid in top if cid in by_id]


SEARCH_CONFIG = "english"  # the PostgreSQL text search configuration (stemming, stopwords)


def search_claims(queryset, query: str, *, rank: bool = False):
    """Claims whose text matches ``query``, or whose speaker does.

    On PostgreSQL: full-text search over a GIN expression index, in web-search
    syntax (``"exact phrase"``, ``or``, ``-word``), and trigram word similarity for
    the speaker, so "Jonson" finds "Boris Johnson". With ``rank`` each row carries
    ``search_rank`` (``ts_rank``) for ordering by relevance.

    On SQLite: every word of ``query`` (stemmed) through the ``ClaimTerm`` index, or
    the speaker containing it; a query in double quotes matches the exact phrase.
    Both stay indexed at the sizes in docs/benchmarks.md.
    """
    query = (query or "").strip()
    if not query:
        return queryset
    words = terms(query)
    if not words:  # only stopwords or one-letter words: fall back to a plain match
        queryset = queryset.filter(Q(text__icontains=query) | Q(speaker__icontains=query))
        return _unranked(queryset) if rank else queryset
    if connection.vendor == "postgresql":
        return _search_postgresql(queryset, query, rank=rank)
    if rank:
        queryset = _unranked(queryset)
    if len(query) > 2 and query[0] == query[-1] == '"':
        return queryset.filter(text__icontains=query[1:-1])
    having_all = (
        ClaimTerm.objects.filter(term__in=words)
        .values("claim_id")
        .annotate(n=Count("id"))
        .filter(n=len(words))
        .values("claim_id")
    )
    return queryset.filter(Q(pk__in=having_all) | Q(speaker__icontains=query))


def _unranked(queryset):
    """Every match ranks alike (SQLite has no relevance): newest first then."""
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField()))


def _search_postgresql(queryset, query: str, *, rank: bool):
    # ``search_vector`` is a generated column that only PostgreSQL has (migration
    # 0012_claim_search), so it is named in SQL rather than declared on the model.
    table = connection.ops.quote_name(Claim._meta.db_table)
    tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
    params = (SEARCH_CONFIG, query)
    matches = Q(RawSQL(f"{table}.search_vector @@ {tsquery}", params, output_field=BooleanField()))
    if len(query) >= 3:  # trigrams need three characters
        # Speakers whose name is like the query, from the table of distinct names
        # (see the migration), then their claims through the index on ``speaker``.
        # The names are fetched first: a subquery inside the OR would keep the
        # planner from combining the two indexes.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM claims_speaker_name WHERE name %%> %s "
                "ORDER BY word_similarity(%s, name) DESC LIMIT 20",
                (query, query),
            )
            names = [row[0] for row in cursor.fetchall()]
        if names:
            matches |= Q(speaker__in=names)
    queryset = queryset.filter(matches)
    if rank:
        queryset = queryset.annotate(
            search_rank=RawSQL(
                f"ts_rank({table}.search_vector, {tsquery})", params, output_field=FloatField()
            )
        )
    return queryset


def recent_candidates(
    term_sets, *, since_id: int, limit: int = 40, probe_terms: int = 4
) -> list[list[tuple[int, dict | None, int | None]]]:
    """For each set of query terms, the claims (id ≥ ``since_id``) sharing its rarest
    terms, most shared first, as ``(id, facts, cluster_id)``: the candidates a new
    claim is compared with.

    One query for the terms' frequencies, then one query per term set that counts
    the shared terms off the ``(term, claim_id)`` index and reads the top
    candidates' facts by primary key in the same statement. Raw SQL: building the
    ORM queries cost about as much as running them (bench/bench_clusters_speed.py).
    Its cost grows with the posting lists of the probed terms, so with the
    table; bounding each list would change which claims are compared (see
    docs/benchmarks.md).
    """
    df = _document_frequencies(set().union(*term_sets)) if term_sets else {}
    terms_table = connection.ops.quote_name(ClaimTerm._meta.db_table)
    claims_table = connection.ops.quote_name(Claim._meta.db_table)
    facts_field = Claim._meta.get_field("facts")
    out = []
    with connection.cursor() as cursor:
        for query in term_sets:
            rare = sorted((t for t in query if df.get(t, 0) > 0), key=lambda t: (df[t], t))
            rare = rare[:probe_terms]
            if not rare:
                out.append([])
                continue
            cursor.execute(
                f"SELECT c.id, c.facts, c.cluster_id FROM (SELECT claim_id, COUNT(*) AS shared "
                f"FROM {terms_table} WHERE term IN ({', '.join(['%s'] * len(rare))}) "
                "AND claim_id >= %s GROUP BY claim_id ORDER BY shared DESC, claim_id DESC "
                f"LIMIT %s) AS m JOIN {claims_table} c ON c.id = m.claim_id "
                "ORDER BY m.shared DESC, m.claim_id DESC",
                [*rare, since_id, limit],
            )
            out.append(
                [
                    (pk, facts_field.from_db_value(value, None, connection), cluster_id)
                    for pk, value, cluster_id in cursor.fetchall()
                ]
            )
    return out
