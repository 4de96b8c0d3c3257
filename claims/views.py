"""The editor web app. Views are short: they read, or call services and workflow."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from . import services, workflow
from .forms import SubmitArticleForm
from .models import Article, Claim


def _visible_claims(user):
    if workflow.is_editor(user):
        return Claim.objects.all()
    if workflow.is_reviewer(user):
        return Claim.objects.filter(
            Q(assignee=user) | Q(assignee=None, status__in=[Claim.Status.EXTRACTED,
                                                            Claim.Status.QUEUED])
        )
    return Claim.objects.none()


def _require_desk_user(user):
    if not (workflow.is_editor(user) or workflow.is_reviewer(user)):
        raise PermissionDenied("You are not a member of the fact-checking desk.")


@login_required
def desk(request):
    _require_desk_user(request.user)
    claims = _visible_claims(request.user)
    by_status = dict(
        claims.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    context = {
        "articles": Article.objects.annotate(n_claims=Count("claims"))[:20],
        "by_status": [(label, by_status.get(value, 0)) for value, label in Claim.Status.choices],
        "my_queue": claims.filter(assignee=request.user, status__in=Claim.OPEN_STATUSES)
        .select_related("article")[:50],
    }
    return render(request, "claims/desk.html", context)


@login_required
def article_list(request):
    _require_desk_user(request.user)
    articles = Article.objects.select_related("submitted_by").prefetch_related(
        "claims__assignee"
    )[:100]
    return render(request, "claims/article_list.html", {"articles": articles})


@login_required
def submit_article(request):
    if not request.user.has_perm("claims.triage_claim"):
        raise PermissionDenied("Only editors can submit articles.")
    form = SubmitArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d.get("file"):
                sub = services.submit_article(
                    actor=request.user, html=d["file"].read(), source="upload"
                )
            elif d.get("html"):
                sub = services.submit_article(
                    actor=request.user, html=d["html"], url=d.get("url") or "",
                    source="paste",
                )
            else:
                sub = services.submit_article(actor=request.user, url=d["url"], source="url")
        except services.SubmissionError as exc:
            form.add_error(None, str(exc))
        else:
            if sub.duplicate:
                messages.warning(request, "This article was already submitted; here it is.")
            else:
                messages.success(request, "Article received; extracting its claims.")
            return redirect(sub.article)
    return render(request, "claims/submit.html", {"form": form})


@login_required
def article_detail(request, pk):
    _require_desk_user(request.user)
    article = get_object_or_404(Article, pk=pk)
    claims = _visible_claims(request.user).filter(article=article).select_related("assignee")
    return render(request, "claims/article_detail.html",
                  {"article": article, "claims": claims})


@login_required
def claim_detail(request, pk):
    claim = get_object_or_404(_visible_claims(request.user).select_related("article"), pk=pk)
    return render(request, "claims/claim_detail.html", {
        "claim": claim,
        "actions": workflow.allowed_actions(claim, request.user),
        "log": claim.log.select_related("actor"),
    })
