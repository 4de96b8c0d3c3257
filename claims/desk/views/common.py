"""Access helpers shared by the editor web app's views: one per object kind."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ...models import Article, Claim
from ...review.access import is_desk_user, visible_claims

S = Claim.Status
# An article's columns that grow with its size: never loaded per row, and only
# where the page shows them.
ARTICLE_BIG_COLUMNS = ("raw_html", "text", "links")

# ---------------------------------------------------------------------------
# Access: one helper per object kind.


def require_desk_user(user):
    if not is_desk_user(user):
        raise PermissionDenied(_("You are not a member of the fact-checking desk."))


def get_claim_for_user(request, pk) -> Claim:
    require_desk_user(request.user)
    return get_object_or_404(
        visible_claims(request.user)
        .select_related("article", "assignee", "verdict")
        .defer("article__raw_html"),  # the claim page shows the text and links, not HTML
        pk=pk,
    )


def get_article_for_user(request, pk) -> Article:
    require_desk_user(request.user)
    return get_object_or_404(
        Article.objects.select_related("duplicate_of").defer(
            *ARTICLE_BIG_COLUMNS, *(f"duplicate_of__{c}" for c in ARTICLE_BIG_COLUMNS)
        ),
        pk=pk,
    )


def list_claims(qs):
    """Claims for a list: related rows joined, without the articles' bulky text."""
    return qs.select_related("article", "assignee", "verdict").defer(
        *(f"article__{c}" for c in ARTICLE_BIG_COLUMNS)
    )
