"""The claim filters the web app's list and the API share."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Claim
from . import matching

UNASSIGNED = "none"


def filter_claims(
    qs,
    *,
    q: str = "",
    status: str = "",
    claim_type: str = "",
    assignee=None,
    article: int | None = None,
    rating: str = "",
    score_min: float | None = None,
    score_max: float | None = None,
    overdue: bool = False,
    rank: bool = False,
):
    """Narrow ``qs`` by each criterion given; ``assignee`` is a user, an id or "none".
    With ``q`` and ``rank``, rows carry ``search_rank`` (see ``matching.search_claims``)."""
    if q:
        qs = matching.search_claims(qs, q[:200], rank=rank)
    if status:
        qs = qs.filter(status=status)
    if claim_type:
        qs = qs.filter(claim_type=claim_type)
    if assignee == UNASSIGNED:
        qs = qs.filter(assignee=None)
    elif isinstance(assignee, int):
        qs = qs.filter(assignee_id=assignee)
    elif assignee is not None:
        qs = qs.filter(assignee=assignee)
    if article:
        qs = qs.filter(article_id=article)
    if rating:
        qs = qs.filter(verdict__rating=rating)
    if score_min is not None:
        qs = qs.filter(score__gte=score_min)
    if score_max is not None:
        qs = qs.filter(score__lte=score_max)
    if overdue:
        qs = qs.filter(
            status__in=Claim.REVIEW_STATUSES,
            assigned_at__lt=timezone.now() - timedelta(hours=settings.REVIEW_SLA_HOURS),
        )
    return qs
