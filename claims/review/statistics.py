"""Numbers for the newsroom: claims in and out per day and per source, time to
verdict (p50, p90), load per reviewer and the verdict mix, over a date range.

Each function takes the claims a user may see (``access.visible_claims``) already
narrowed by the page's filters, and returns plain rows for the page and the CSV.
Everything is grouped in the database; only time to verdict reads one number per
verdict, at most ``MAX_TURNAROUND_ROWS`` of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ..models import Article, Claim, ClaimLog, SourceItem, Verdict
from ..ratings import Rating

MAX_DAYS = 366
MAX_TURNAROUND_ROWS = 50_000
OUT_STATUSES = (Claim.Status.PUBLISHED, Claim.Status.DISMISSED)
MONITORED = "source:"  # a monitored feed or sitemap's key: "source:<id>"


@dataclass(frozen=True)
class Window:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @classmethod
    def ending_today(cls, days: int = 30) -> Window:
        today = timezone.localdate()
        return cls(today - timedelta(days=days - 1), today)


def _source_of(article_ref: str):
    """The claim's source: the monitored source that listed its article, else the door
    it came in by (pasted, uploaded, URL, API, command line)."""
    listed = SourceItem.objects.filter(article_id=OuterRef(article_ref)).order_by("id")
    return Coalesce(
        Subquery(listed.values("source__name")[:1]),
        Subquery(
            Article.objects.filter(pk=OuterRef(article_ref)).values("source")[:1],
            output_field=CharField(),
        ),
        Value(""),
    )


DOOR_LABELS = dict(Article.Source.choices)


def source_label(value: str) -> str:
    return DOOR_LABELS.get(value, value)


def filter_by_source(claims, key: str):
    """``source:<id>`` (a monitored source) or a door (``paste``, ``url``…)."""
    if key.startswith(MONITORED):
        ids = SourceItem.objects.filter(source_id=key[len(MONITORED) :]).values("article_id")
        return claims.filter(article_id__in=ids)
    return claims.filter(article__source=key)


def flow_per_day(claims, window: Window) -> list[tuple[date, str, int, int]]:
    """(day, source, claims in, claims out) for each day and source with any.
    In: extracted that day. Out: published or dismissed that day (by the log)."""
    came = (
        claims.filter(created_at__gte=window.start, created_at__lt=window.end)
        .order_by()
        .annotate(day=TruncDate("created_at"), src=_source_of("article_id"))
        .values_list("day", "src")
        .annotate(n=Count("id"))
    )
    went = (
        ClaimLog.objects.filter(
            claim__in=claims.order_by().values("pk"),
            to_status__in=OUT_STATUSES,
            created_at__gte=window.start,
            created_at__lt=window.end,
        )
        .exclude(from_status__in=OUT_STATUSES)
        .order_by()
        .annotate(day=TruncDate("created_at"), src=_source_of("claim__article_id"))
        .values_list("day", "src")
        .annotate(n=Count("id"))
    )
    rows: dict[tuple[date, str], list[int]] = {}
    for day, src, n in came:
        rows.setdefault((day, source_label(src)), [0, 0])[0] += n
    for day, src, n in went:
        rows.setdefault((day, source_label(src)), [0, 0])[1] += n
    return [(day, src, n_in, n_out) for (day, src), (n_in, n_out) in sorted(rows.items())]


def percentile(sorted_values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of an ascending list."""
    if not sorted_values:
        return None
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil
    return sorted_values[int(rank) - 1]


def time_to_verdict(claims, window: Window) -> dict:
    """Hours from extraction to the current verdict's proposal, for verdicts proposed
    in the window: how many, the median (p50) and p90."""
    pairs = (
        claims.filter(verdict__proposed_at__gte=window.start, verdict__proposed_at__lt=window.end)
        .order_by("-verdict__proposed_at")
        .values_list("created_at", "verdict__proposed_at")[:MAX_TURNAROUND_ROWS]
    )
    hours = sorted(max((v - c).total_seconds() / 3600, 0.0) for c, v in pairs.iterator())
    return {"verdicts": len(hours), "p50": percentile(hours, 50), "p90": percentile(hours, 90)}


def reviewer_load(claims, window: Window) -> list[tuple[str, int, int]]:
    """(reviewer, open claims assigned now, verdicts proposed in the window)."""
    open_now = dict(
        claims.filter(status__in=Claim.OPEN_STATUSES, assignee__isnull=False)
        .order_by()
        .values_list("assignee__username")
        .annotate(n=Count("id"))
    )
    proposed = dict(
        Verdict.objects.filter(
            claim__in=claims.order_by().values("pk"),
            proposed_at__gte=window.start,
            proposed_at__lt=window.end,
            proposed_by__isnull=False,
        )
        .order_by()
        .values_list("proposed_by__username")
        .annotate(n=Count("id"))
    )
    names = sorted(set(open_now) | set(proposed))
    return [(name, open_now.get(name, 0), proposed.get(name, 0)) for name in names]


def verdict_mix(claims, window: Window) -> list[tuple[str, str, int]]:
    """(rating, label, claims) for current verdicts proposed in the window."""
    counts = dict(
        claims.filter(verdict__proposed_at__gte=window.start, verdict__proposed_at__lt=window.end)
        .order_by()
        .values_list("verdict__rating")
        .annotate(n=Count("id"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in Rating.choices]
