"""Articles: the list, submitting one, and watching its claims appear."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ...intake import submission
from ...models import Article, Claim
from ...review.access import visible_claims
from .. import forms
from .common import S, get_article_for_user, require_desk_user

# ---------------------------------------------------------------------------
# Articles


ARTICLES_PER_PAGE = 50


def _visible_claim_count(user, **filters):
    """A subquery counting the claims of the outer article that ``user`` can see."""
    return Coalesce(
        Subquery(
            visible_claims(user)
            .filter(article=OuterRef("pk"), **filters)
            .order_by()
            .values("article")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


# However big an article, a page shows this many of its claims (and marks only
# those in the text).
CLAIMS_PER_PAGE = 50


@login_required
def article_list(request):
    """Newest first, a page at a time, with claim counts (not the claims themselves:
    an article's claims are on its own page). Never loads raw_html or text."""
    require_desk_user(request.user)
    user = request.user
    articles = (
        Article.objects.select_related("submitted_by")
        .only(
            "id",
            "title",
            "url",
            "publisher",
            "published_date",
            "status",
            "source",
            "submitted_at",
            "submitted_by",
            "submitted_by__username",
        )
        .annotate(
            n_claims=_visible_claim_count(user),
            n_open=_visible_claim_count(user, status__in=Claim.OPEN_STATUSES),
            n_published=_visible_claim_count(user, status=S.PUBLISHED),
        )
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "claims/article_list.html", {"page": page, "articles": page})


@login_required
def submit_article(request):
    if not request.user.has_perm("claims.triage_claim"):
        raise PermissionDenied(_("Only editors can submit articles."))
    if request.method == "POST":
        form = forms.SubmitArticleForm(request.POST, request.FILES)
    else:
        form = forms.SubmitArticleForm()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            if d.get("file"):
                sub = submission.submit_article(
                    actor=request.user, html=d["file"], source=Article.Source.UPLOAD
                )
            elif d.get("html"):
                sub = submission.submit_article(
                    actor=request.user,
                    html=d["html"],
                    source=Article.Source.PASTE,
                )
            else:
                sub = submission.submit_article(
                    actor=request.user, url=d["url"], source=Article.Source.URL
                )
        except submission.SubmissionError as exc:
            form.add_error(None, str(exc))
        else:
            if sub.retried:
                messages.success(
                    request, _("This article had failed; it is being processed again, shown below.")
                )
            elif sub.duplicate:
                messages.warning(request, _("This article was already submitted; here it is."))
            else:
                # The progress panel below tells how extraction goes, live; this
                # message stays on the page, so it must stay true once it is done.
                messages.success(request, _("Article received. Its progress is shown below."))
            return redirect(sub.article)
    return render(request, "claims/submit.html", {"form": form})


def _progress(article) -> dict:
    """The article's counts, in one aggregate query whatever its size."""
    counts = article.claims.order_by().aggregate(
        total=Count("id"),
        assigned=Count("id", filter=Q(assignee__isnull=False)),
        waiting=Count("id", filter=Q(status=S.EXTRACTED)),
        queued=Count("id", filter=Q(status=S.QUEUED, assignee=None)),
    )
    done_statuses = (Article.Status.EXTRACTED, Article.Status.DUPLICATE, Article.Status.FAILED)
    return {
        **counts,
        "fetch_needed": article.source == Article.Source.URL,
        "fetched": article.status in (Article.Status.FETCHED,) + done_statuses,
        "extracted": article.status == Article.Status.EXTRACTED,
        "handed_on": article.status == Article.Status.EXTRACTED and counts["waiting"] == 0,
        "in_progress": article.status not in done_statuses or counts["waiting"] > 0,
    }


def _article_context(request, article, *, live=False):
    """The article's progress; one page of its claims, and its text with only
    those claims marked.

    The live fragment is polled every second while the worker runs: then it is
    the progress alone (one aggregate query). Its last answer, once the work is
    done, also carries the text and the claims, swapped in out of band.
    """
    progress = _progress(article)
    in_progress = progress["in_progress"]
    sort = "score" if request.GET.get("sort") == "score" else "position"
    query = {"sort": "score"} if sort == "score" else {}
    context = {
        "article": article,
        "progress": progress,
        "in_progress": in_progress,
        "live": live,
        "sort": sort,
        "statuses": S.choices,
        "article_text": "",
        "listed_claims": [],
        "claim_count": 0,
    }
    if live and in_progress:
        context["query"] = urlencode(query)
        return context
    order = ("-score", "sentence_index") if sort == "score" else ("sentence_index",)
    claims = (
        visible_claims(request.user)
        .filter(article=article)
        .select_related("assignee", "verdict")
        .defer("numbers", "entities", "links")
        .order_by(*order)
    )
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    if page.number > 1:
        query["page"] = page.number
    text = Article.objects.filter(pk=article.pk).values_list("text", flat=True).first()
    return {
        **context,
        "article_text": text or "",
        "listed_claims": list(page.object_list),
        "page": page,
        "claim_count": page.paginator.count,
        "query": urlencode(query),
    }


@login_required
def article_detail(request, pk):
    article = get_article_for_user(request, pk)
    return render(request, "claims/article_detail.html", _article_context(request, article))


@login_required
def article_live(request, pk):
    """The part of the article page that changes while the worker runs (htmx polls it)."""
    article = get_article_for_user(request, pk)
    return render(
        request, "claims/_article_live.html", _article_context(request, article, live=True)
    )
