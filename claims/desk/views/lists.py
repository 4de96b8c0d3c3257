"""Claim lists: all claims with filters and search, and my queue (keyset-paginated)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from ...models import Claim
from ...review import clusters, export, workflow
from ...review.access import visible_claims
from ...review.queries import filter_claims
from .. import forms
from .common import S, list_claims, require_desk_user

PAGE_SIZE = 50
COUNT_CAP = 1000  # lists count at most this many rows, so counting stays cheap

# ---------------------------------------------------------------------------
# Claim lists


def _filtered_claims(request, form):
    qs = visible_claims(request.user)
    if request.GET.get("repeats"):  # the desk's "already checked" badge
        qs = qs.filter(pk__in=clusters.pending_repeats().values("pk"))
    if not form.is_valid():
        return qs
    d = form.cleaned_data
    return filter_claims(
        qs,
        q=d.get("q") or "",
        status=d.get("status") or "",
        claim_type=d.get("type") or "",
        assignee=d.get("reviewer"),
        article=d.get("article"),
        rating=d.get("rating") or "",
        score_min=d.get("score_min"),
        score_max=d.get("score_max"),
        overdue=bool(request.GET.get("overdue")),
    )


def _cursor_of(claim, sort):
    return f"{claim.score!r}_{claim.pk}" if sort == "score" else str(claim.pk)


def _parse_cursor(value, sort):
    try:
        if sort == "score":
            score, pk = value.split("_", 1)
            return float(score), int(pk)
        return None, int(value)
    except (ValueError, AttributeError):
        return None


def _keyset_page(qs, sort, after=None, before=None):
    """One page in index order, found by the last row seen, never by OFFSET.

    Newest first walks the primary key; by score walks the ``score`` index (with
    the id breaking ties), so page 2,000 costs what page 1 does.
    """
    order = ["-score", "-id"] if sort == "score" else ["-id"]
    reverse_order = [o[1:] for o in order]
    cursor = _parse_cursor(after or before, sort) if (after or before) else None
    if cursor is not None:
        score, pk = cursor
        if sort == "score":
            if after:
                qs = qs.filter(Q(score__lt=score) | Q(score=score, id__lt=pk))
            else:
                qs = qs.filter(Q(score__gt=score) | Q(score=score, id__gt=pk))
        else:
            qs = qs.filter(id__lt=pk) if after else qs.filter(id__gt=pk)
    if cursor is not None and before:
        rows = list(qs.order_by(*reverse_order)[: PAGE_SIZE + 1])
        has_more_before = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
        return rows, has_more_before, True
    rows = list(qs.order_by(*order)[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], cursor is not None, len(rows) > PAGE_SIZE


@login_required
def claim_list(request):
    require_desk_user(request.user)
    form = forms.ClaimFilterForm(request.GET or None)
    qs = _filtered_claims(request, form)
    sort = request.GET.get("sort") if request.GET.get("sort") == "score" else "new"
    rows, has_prev, has_next = _keyset_page(
        list_claims(qs),
        sort,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    capped = qs.order_by()[: COUNT_CAP + 1].count()
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    base = params.urlencode()

    def link(**kw):
        q = params.copy()
        q.update(kw)
        return "?" + q.urlencode()

    return render(
        request,
        "claims/claim_list.html",
        {
            "form": form,
            "claims": rows,
            "count": min(capped, COUNT_CAP),
            "count_capped": capped > COUNT_CAP,
            "next_url": link(after=_cursor_of(rows[-1], sort)) if rows and has_next else None,
            "prev_url": link(before=_cursor_of(rows[0], sort)) if rows and has_prev else None,
            "first_url": ("?" + base) if has_prev else None,
            "overdue": bool(request.GET.get("overdue")),
        },
    )


@login_required
def claim_list_csv(request):
    """The claim list as CSV, with the same filters and only the claims this user
    may see, streamed row by row."""
    require_desk_user(request.user)
    form = forms.ClaimFilterForm(request.GET or None)
    qs = _filtered_claims(request, form)
    response = StreamingHttpResponse(
        export.csv_lines(export.rows(qs)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_queue(request):
    require_desk_user(request.user)
    user = request.user
    mine = list_claims(
        Claim.objects.filter(assignee=user, status__in=Claim.OPEN_STATUSES)
    ).order_by("-priority", "assigned_at", "id")
    context = {"mine": mine[:100]}
    if workflow.is_editor(user):
        context["to_sign_off"] = list_claims(
            Claim.objects.filter(status=S.PROPOSED).exclude(verdict__proposed_by=user)
        ).order_by("status_changed_at", "id")[:100]
        context["to_publish"] = list_claims(Claim.objects.filter(status=S.APPROVED)).order_by(
            "status_changed_at", "id"
        )[:100]
    if workflow.is_reviewer(user):
        context["unassigned"] = list_claims(
            Claim.objects.filter(status__in=[S.EXTRACTED, S.QUEUED], assignee=None)
        ).order_by("-priority", "-score", "id")[:50]
    return render(request, "claims/my_queue.html", context)
