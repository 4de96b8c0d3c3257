"""The desk: the numbers that matter now, the lists behind them, and small charts."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, F
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from ...models import Article, Claim, ClaimLog
from ...ratings import Rating
from ...review import clusters, workflow
from ...review.access import visible_claims
from .common import S, list_claims, require_desk_user

# ---------------------------------------------------------------------------
# Desk


@login_required
def desk(request):
    require_desk_user(request.user)
    user, now = request.user, timezone.now()
    claims = visible_claims(user)
    counts = dict(
        claims.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    overdue = claims.filter(
        status__in=Claim.REVIEW_STATUSES,
        assigned_at__lt=now - timedelta(hours=settings.REVIEW_SLA_HOURS),
    )
    new_articles = Article.objects.filter(submitted_at__gte=now - timedelta(days=7))
    my_queue = claims.filter(assignee=user, status__in=Claim.OPEN_STATUSES)
    # Sign-off is an editor's job: a reviewer's desk does not show the card or list.
    is_editor = workflow.is_editor(user)
    waiting_signoff = claims.filter(status=S.PROPOSED) if is_editor else claims.none()
    context = {
        "show_signoff": is_editor,
        "by_status": [(value, label, counts.get(value, 0)) for value, label in S.choices],
        "total_claims": sum(counts.values()),
        "new_articles_count": new_articles.count(),
        "new_articles": _with_claim_counts(
            new_articles.defer("raw_html", "text", "links")[:8], claims
        ),
        "my_queue_count": my_queue.count(),
        "my_queue": list_claims(my_queue).order_by("-priority", "assigned_at", "id")[:8],
        "overdue_count": overdue.count(),
        "overdue": list_claims(overdue).order_by("assigned_at", "id")[:8],
        "waiting_signoff_count": counts.get(S.PROPOSED, 0) if is_editor else 0,
        "waiting_signoff": list_claims(waiting_signoff).order_by("status_changed_at", "id")[:8],
        "sla_hours": settings.REVIEW_SLA_HOURS,
        # Repeats of published fact-checks nobody has added or dismissed yet.
        "repeats_count": clusters.pending_repeats().filter(pk__in=claims.values("pk")).count(),
        # Claims wait, and the sweep backs off, until someone can review them.
        "no_reviewer": not workflow.reviewer_available()
        and claims.filter(status__in=[S.EXTRACTED, S.QUEUED], held=False, attached=False).exists(),
        **_charts(user, claims, everything=is_editor or user.is_superuser),
    }
    return render(request, "claims/desk.html", context)


CHARTS_CACHE_SECONDS = 60


def _charts(user, claims, *, everything: bool) -> dict:
    """The desk's three charts, over the claims this user can see (``claims``), so
    they add up to the counts beside them. They describe days, so a minute-old
    picture is fine, and at 100,000 claims they are most of the page's cost; the
    counts and lists above them are always live. Editors share one cached copy;
    a reviewer's charts are their own."""
    scope = "all" if everything else f"user-{user.pk}"
    # Per language: the charts carry status and rating names.
    key = f"desk-charts:{scope}:{get_language()}:{timezone.localdate().isoformat()}"
    return cache.get_or_set(
        key,
        lambda: {
            "history": _status_history(days=14, claims=None if everything else claims),
            "ratings": _verdicts_by_rating(claims),
            "turnaround": _time_to_verdict(claims),
        },
        CHARTS_CACHE_SECONDS,
    )


def _with_claim_counts(articles, claims) -> list:
    """The articles, each with the number of its claims among ``claims`` (those the
    user can see), in one grouped query."""
    articles = list(articles)
    counts = dict(
        claims.filter(article__in=articles)
        .order_by()
        .values_list("article_id")
        .annotate(n=Count("id"))
        .values_list("article_id", "n")
    )
    for article in articles:
        article.n_claims = counts.get(article.pk, 0)
    return articles


def _status_history(days: int, claims=None) -> dict:
    """How many claims stood in each status at the end of each of the last ``days``.

    Worked out from the log alone: every transition moves one claim out of its
    ``from_status`` and into its ``to_status``, so a status's count at a moment is
    the transitions into it minus those out of it up to then. Two grouped
    queries, whatever the size of the log. ``claims`` limits it to those claims.
    """
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    moves = ClaimLog.objects.exclude(from_status=F("to_status")).order_by()
    if claims is not None:
        moves = moves.filter(claim__in=claims.order_by().values("pk"))

    def net(qs):
        counts = Counter()
        for status, n in qs.values_list("to_status").annotate(n=Count("id")):
            counts[status] += n
        for status, n in qs.values_list("from_status").annotate(n=Count("id")):
            counts[status] -= n
        return counts

    # Day by day with plain range filters on the indexed created_at (truncating
    # to a date in the database costs a function call per row on SQLite).
    level = net(moves.filter(created_at__lt=start))
    dates = [first + timedelta(days=i) for i in range(days)]
    columns = []
    for i in range(days):
        day_start = start + timedelta(days=i)
        level.update(
            net(
                moves.filter(
                    created_at__gte=day_start, created_at__lt=day_start + timedelta(days=1)
                )
            )
        )
        columns.append({s: max(level[s], 0) for s in S.values})
    series = [(value, label, [c[value] for c in columns]) for value, label in S.choices]
    series = [s for s in series if any(s[2])]
    return {
        "days": dates,
        "series": series,
        "rows": [(d, [c[s[0]] for s in series]) for d, c in zip(dates, columns)],
    }


def _verdicts_by_rating(claims) -> list:
    counts = dict(
        claims.filter(verdict__isnull=False)
        .exclude(status=S.DISMISSED)
        .order_by()
        .values_list("verdict__rating")
        .annotate(n=Count("id"))
        .values_list("verdict__rating", "n")
    )
    colours = {
        "true": "#2e7d32",
        "mostly_true": "#558b2f",
        "half_true": "#8a5a00",
        "mostly_false": "#c2410c",
        "false": "#b3261e",
        "misleading": "#6a3fa0",
        "unverifiable": "#555555",
    }
    return [(label, counts.get(value, 0), colours[value]) for value, label in Rating.choices]


TURNAROUND_BUCKETS = [
    (1, gettext_lazy("under 1 h")),
    (4, gettext_lazy("1–4 h")),
    (12, gettext_lazy("4–12 h")),
    (24, gettext_lazy("12–24 h")),
    (48, gettext_lazy("1–2 days")),
    (168, gettext_lazy("2–7 days")),
    (None, gettext_lazy("over a week")),
]


def _time_to_verdict(claims, limit: int = 5000) -> dict:
    """Hours from extraction to the current verdict's proposal, for recent verdicts."""
    pairs = (
        claims.filter(verdict__isnull=False)
        .order_by("-verdict__proposed_at")
        .values_list("created_at", "verdict__proposed_at")[:limit]
    )
    hours = [max((v - c).total_seconds() / 3600, 0) for c, v in pairs]
    buckets = Counter()
    for h in hours:
        for top, label in TURNAROUND_BUCKETS:
            if top is None or h < top:
                buckets[label] += 1
                break
    return {
        "count": len(hours),
        "median_hours": statistics.median(hours) if hours else None,
        "rows": [(str(label), buckets[label], "") for _, label in TURNAROUND_BUCKETS],
    }
