"""Triage: which new claims skip the inbox, and how the "To triage" inbox is ranked.

New check-worthy claims land in "To triage" unless their rule queues them. Each
monitored source has a rule, and manual submissions have one
(``ManualTriageRule``): queue none, the top N of each article, those scoring
at least X, or all. By default manual submissions queue all (with the flood cap,
as before) and a new source queues none.

The inbox is ranked by ``priority``, a pure function whose reasons are shown on
each row ("3 outlets in 2 h · minister · 0.91"). In points:

==================  =========================================================
check-worthiness    4 × score (0–4)
spread              1.5 × log2(outlets carrying the claim)
growth              1.5 × log2(1 + outlets that started carrying it in 2 h)
claimant            3 head of government or state, 2 minister or shadow,
                    1 MP, mayor, chief executive, official…, 0.5 a named
                    speaker with no title, 0 nobody named
beat                the sum above × the beat's weight (1 = neutral)
recency             + 1 for every 6 hours the claim is newer
==================  =========================================================

Recency is added as hours since a fixed date, so the stored value ranks old
claims below new ones without ever being recomputed: a claim 6 hours newer gains
one point, about what a quarter of the score range or a minister is worth.

Outlet counts come from the claim's cluster (``clusters.outlet_counts``): the
distinct publishers carrying the same fact. ``refresh_priorities`` stores new
values when a cluster grows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import models

from ..models import Claim, ManualTriageRule, Source, TriageRule
from . import clusters

SCORE_POINTS = 4.0
SPREAD_POINTS = 1.5
GROWTH_POINTS = 1.5
RECENCY_HOURS_PER_POINT = 6.0
EPOCH = datetime(2020, 1, 1, tzinfo=UTC)

# Titles that make a claimant prominent, most prominent first; the first found in
# the sentence (or the speaker's name) counts. Word-bounded, case-insensitive.
CLAIMANT_TITLES: list[tuple[float, str, str]] = [
    # "Shadow" first: the shadow chancellor is not the chancellor.
    (2.0, "shadow minister", r"shadow (?:\w+ )?(?:minister|secretary|chancellor)"),
    (3.0, "prime minister", r"prime minister|\bpm\b"),
    (3.0, "first minister", r"first minister"),
    (3.0, "president", r"president(?!ial)"),
    (3.0, "chancellor", r"chancellor"),
    (2.0, "minister", r"minister"),
    (
        2.0,
        "secretary",
        r"(?:home|foreign|health|defence|education|business|culture|transport|"
        r"justice|energy|environment|work and pensions|treasury|cabinet) secretary|"
        r"secretary of state",
    ),
    (2.0, "party leader", r"(?:party )?leader of the|\bparty leader|opposition leader"),
    (2.0, "governor", r"governor"),
    (2.0, "senator", r"senator"),
    (1.0, "MP", r"\bmps?\b|\bmeps?\b|member of parliament|congress(?:man|woman)"),
    (1.0, "mayor", r"mayor"),
    (1.0, "chief executive", r"chief executive|\bceo\b|chairman|chairwoman|chair of"),
    (1.0, "spokesperson", r"spokes(?:person|man|woman)"),
    (1.0, "official", r"officials?\b|regulator|watchdog"),
]
_TITLE_PATTERNS = [(p, label, re.compile(rf"\b(?:{rx})", re.I)) for p, label, rx in CLAIMANT_TITLES]
NAMED_SPEAKER_POINTS = 0.5


@dataclass(frozen=True)
class Prominence:
    points: float
    label: str  # "minister", "named speaker", "" for nobody


def claimant_prominence(text: str, speaker: str = "") -> Prominence:
    """How prominent the claimant is, from a title in the sentence or the speaker field."""
    haystack = f"{speaker} {text}"
    for points, label, pattern in _TITLE_PATTERNS:
        if pattern.search(haystack):
            return Prominence(points, label)
    if speaker.strip():
        return Prominence(NAMED_SPEAKER_POINTS, speaker.strip()[:40])
    return Prominence(0.0, "")


@dataclass(frozen=True)
class Signals:
    score: float
    created_at: datetime
    prominence: Prominence = Prominence(0.0, "")
    outlets: int = 1
    outlets_last_2h: int = 0
    beat: str = ""
    beat_weight: float = 1.0


@dataclass(frozen=True)
class Ranking:
    value: float
    reasons: str


def priority(s: Signals) -> Ranking:
    """The claim's rank in the inbox and why, from its signals (see the module doc)."""
    outlets = max(int(s.outlets), 1)
    growth = max(int(s.outlets_last_2h), 0)
    base = (
        SCORE_POINTS * max(0.0, min(float(s.score), 1.0))
        + SPREAD_POINTS * math.log2(outlets)
        + GROWTH_POINTS * math.log2(1 + growth)
        + s.prominence.points
    )
    weight = max(float(s.beat_weight), 0.0)
    hours = (s.created_at - EPOCH).total_seconds() / 3600
    value = base * weight + hours / RECENCY_HOURS_PER_POINT
    reasons = []
    if outlets > 1 or growth:
        if growth >= outlets:
            reasons.append(f"{outlets} outlets in 2 h")
        elif growth:
            reasons.append(f"{outlets} outlets, {growth} in 2 h")
        else:
            reasons.append(f"{outlets} outlets")
    if s.prominence.label:
        reasons.append(s.prominence.label)
    if s.beat and weight != 1.0:
        reasons.append(f"{s.beat} ×{weight:g}")
    reasons.append(f"{s.score:.2f}")
    return Ranking(round(value, 4), " · ".join(reasons)[:200])


# ---------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class Rule:
    kind: str  # TriageRule
    top_n: int = 5
    min_score: float = 0.9
    beat: str = ""
    beat_weight: float = 1.0
    source_id: int | None = None  # None: manual submissions

    @property
    def manual(self) -> bool:
        return self.source_id is None


def rule_for(source: Source | None) -> Rule:
    """The rule for an article from ``source`` (None: submitted by hand)."""
    row = source if source is not None else ManualTriageRule.load()
    return Rule(
        kind=row.triage_rule,
        top_n=row.triage_top_n,
        min_score=row.triage_min_score,
        beat=row.beat,
        beat_weight=row.beat_weight,
        source_id=source.pk if source is not None else None,
    )


def queued_by_rule(rule: Rule, scored: Sequence[tuple[int, float]]) -> set[int]:
    """Which of an article's check-worthy sentences, given as (index, score), the rule
    queues for review; the rest go to triage (before the flood cap)."""
    if rule.kind == TriageRule.ALL:
        return {i for i, _ in scored}
    if rule.kind == TriageRule.TOP_N:
        best = sorted(scored, key=lambda p: (-p[1], p[0]))[: rule.top_n]
        return {i for i, _ in best}
    if rule.kind == TriageRule.MIN_SCORE:
        return {i for i, score in scored if score >= rule.min_score}
    return set()


# ---------------------------------------------------------------------------
# Outlet counts and refreshing stored ranks


def outlet_counts(claim_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """{claim id: (outlets carrying it, outlets that started in the last 2 h)}: the
    publishers among its cluster's appearances (one outlet and no growth alone)."""
    return clusters.outlet_counts(claim_ids)


def signals_for(claim: Claim, counts: tuple[int, int], beat_weight: float) -> Signals:
    return Signals(
        score=claim.score,
        created_at=claim.created_at,
        prominence=claimant_prominence(claim.text, claim.speaker),
        outlets=counts[0],
        outlets_last_2h=counts[1],
        beat=claim.beat,
        beat_weight=beat_weight,
    )


def refresh_priorities(claim_ids: Sequence[int]) -> int:
    """Recompute and store the rank of these claims (say, when their cluster grew).
    Only the rank columns change: it is not a transition, and needs no log row."""
    claims = list(
        Claim.objects.filter(pk__in=claim_ids)
        .select_related("source")
        .only("id", "text", "speaker", "score", "created_at", "beat", "source__beat_weight")
    )
    manual_weight = None
    counts = outlet_counts([c.pk for c in claims])
    changed = 0
    for claim in claims:
        if claim.source is not None:
            weight = claim.source.beat_weight
        else:
            if manual_weight is None:
                manual_weight = ManualTriageRule.load().beat_weight
            weight = manual_weight
        ranking = priority(signals_for(claim, counts[claim.pk], weight))
        changed += Claim.objects.filter(pk=claim.pk).update(
            triage_priority=ranking.value, triage_reasons=ranking.reasons
        )
    return changed


# ---------------------------------------------------------------------------
# The inbox: one indexed query for the rows, one grouped query for the counts

MANUAL = "manual"  # the source filter's value for manual submissions


@dataclass(frozen=True)
class InboxFilter:
    source: str = ""  # a source id, MANUAL, or "" for all
    beat: str = ""
    min_score: float | None = None
    claimant: str = ""


def inbox(f: InboxFilter = InboxFilter()):
    """The claims waiting in triage, highest priority first, as a queryset: the
    (status, triage_priority) index (or its source and beat variants) serves it in
    order, so a page costs the same at 100 or 100,000 waiting claims."""
    qs = Claim.objects.filter(status=Claim.Status.TRIAGE)
    if f.source == MANUAL:
        qs = qs.filter(source=None)
    elif f.source.isdigit():
        qs = qs.filter(source_id=int(f.source))
    if f.beat:
        qs = qs.filter(beat=f.beat)
    if f.min_score is not None:
        qs = qs.filter(score__gte=f.min_score)
    if f.claimant:
        qs = qs.filter(speaker__icontains=f.claimant)
    return qs.order_by("-triage_priority", "id")


@dataclass
class InboxCounts:
    total: int
    by_source: list[tuple[str, str, int]]  # (filter value, name, count)
    by_beat: list[tuple[str, int]]


def inbox_counts() -> InboxCounts:
    """How many claims wait in triage, per source and per beat (one grouped query on
    the (status, source, …) index; the few source names in another)."""
    pairs = (
        Claim.objects.filter(status=Claim.Status.TRIAGE)
        .order_by()
        .values_list("source_id", "beat")
        .annotate(n=models.Count("id"))
    )
    per_source: dict[int | None, int] = {}
    per_beat: dict[str, int] = {}
    total = 0
    for source_id, beat, n in pairs:
        per_source[source_id] = per_source.get(source_id, 0) + n
        if beat:
            per_beat[beat] = per_beat.get(beat, 0) + n
        total += n
    names = dict(
        Source.objects.filter(pk__in=[pk for pk in per_source if pk]).values_list("pk", "name")
    )
    by_source = sorted(
        (
            (str(pk) if pk else MANUAL, names.get(pk, "Manual submissions"), n)
            for pk, n in per_source.items()
        ),
        key=lambda row: (-row[2], row[1]),
    )
    return InboxCounts(total, by_source, sorted(per_beat.items(), key=lambda r: (-r[1], r[0])))
