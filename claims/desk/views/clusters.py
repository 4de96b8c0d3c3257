"""A cluster of claims stating one fact: every appearance, a timeline, and the
editor's actions on it (lead, split, merge), plus adding a repeat to its fact-check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ...models import Claim, ClaimCluster
from ...review import clusters, workflow
from ...review.access import visible_claims
from .common import get_claim_for_user, require_desk_user

APPEARANCES_PER_PAGE = 50


def get_cluster_for_user(request, pk) -> ClaimCluster:
    """A cluster, for whoever may see at least one of its claims (404 otherwise)."""
    require_desk_user(request.user)
    cluster = get_object_or_404(ClaimCluster.objects.select_related("lead", "lead__verdict"), pk=pk)
    if not visible_claims(request.user).filter(cluster=cluster).exists():
        raise Http404("No such cluster.")
    return cluster


@login_required
def cluster_detail(request, pk):
    cluster = get_cluster_for_user(request, pk)
    shown = (
        visible_claims(request.user)
        .filter(cluster=cluster)
        .select_related("article", "verdict", "repeat_of")
        .defer("article__raw_html", "article__text", "article__links")
        .order_by("created_at", "pk")
    )
    page = Paginator(shown, APPEARANCES_PER_PAGE).get_page(request.GET.get("page"))
    days: dict = {}
    for claim in page.object_list:  # the timeline: appearances by day
        days.setdefault(claim.created_at.date(), []).append(claim)
    total = cluster.size
    outlets = shown.exclude(article__publisher="").values("article__publisher").distinct().count()
    return render(
        request,
        "claims/cluster_detail.html",
        {
            "cluster": cluster,
            "page": page,
            "days": sorted(days.items()),
            "total": total,
            "outlets": outlets,
            "may_edit": workflow.is_editor(request.user),
        },
    )


CLUSTER_ACTIONS = ("lead", "split", "merge")


@login_required
@require_POST
def cluster_act(request, pk, action):
    if action not in CLUSTER_ACTIONS:
        raise Http404("No such action.")
    cluster = get_cluster_for_user(request, pk)
    user = request.user
    try:
        # The cluster as the editor saw it: a change since then refuses the action.
        cluster.version = int(request.POST.get("cluster_version") or cluster.version)
        if action == "merge":
            try:
                other_id = int(request.POST.get("other", ""))
            except ValueError:
                raise workflow.WorkflowError(
                    _("Give the number of the cluster to merge in.")
                ) from None
            other = get_cluster_for_user(request, other_id)
            n = clusters.merge(cluster, other, actor=user)
            messages.success(
                request,
                ngettext(
                    "Merged cluster %(cluster)d in: %(n)d claim.",
                    "Merged cluster %(cluster)d in: %(n)d claims.",
                    n,
                )
                % {"cluster": other.pk, "n": n},
            )
        else:
            claim = get_claim_for_user(request, request.POST.get("claim"))
            claim.version = int(request.POST.get("version") or claim.version)
            if action == "lead":
                clusters.set_lead(cluster, claim, actor=user)
                messages.success(
                    request, _("Claim %(pk)d now leads the cluster.") % {"pk": claim.pk}
                )
            else:
                clusters.split_off(claim, actor=user)
                messages.success(
                    request,
                    _("Claim %(pk)d split off into a cluster of its own.") % {"pk": claim.pk},
                )
                return redirect(reverse("claims:cluster", args=[claim.cluster_id]))
    except (workflow.WorkflowError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect(reverse("claims:cluster", args=[cluster.pk]))


@login_required
@require_POST
def add_appearance(request, pk):
    """One click: a repeat becomes an appearance of the published fact-check."""
    claim = get_claim_for_user(request, pk)
    try:
        clusters.add_appearance(claim, actor=request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Added to the published fact-check."))
    return redirect(reverse("claims:claim", args=[claim.pk]))


def repeat_context(claim: Claim) -> dict:
    """The claim page's "Already checked" alert and cluster line."""
    checked = claim.repeat_of
    live = checked is not None and checked.status == Claim.Status.PUBLISHED
    return {
        "repeat_checked": checked if live else None,
        "cluster_size": claim.cluster.size if claim.cluster_id else 0,
    }
