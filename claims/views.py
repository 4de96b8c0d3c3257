"""The editor web app. Views are short: they read, or call services and workflow.

Every change to a claim goes through ``claims.workflow``; every form that changes
a claim carries the ``version`` it was rendered with, so a change made by
someone else in the meantime is refused (``StaleClaim``) and the page comes back
with the user's input still in it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import forms, matching, services, workflow
from .access import is_desk_user, visible_claims
from .models import Article, Claim, ClaimLog
from .ratings import Rating
from .templatetags.desk_text import web_links

S = Claim.Status
PAGE_SIZE = 50
COUNT_CAP = 1000  # lists count at most this many rows, so counting stays cheap


# ---------------------------------------------------------------------------
# Access: one helper per object kind.


def _require_desk_user(user):
    if not is_desk_user(user):
        raise PermissionDenied("You are not a member of the fact-checking desk.")


def _get_claim_for_user(request, pk) -> Claim:
    _require_desk_user(request.user)
    return get_object_or_404(
        visible_claims(request.user).select_related("article", "assignee", "verdict"),
        pk=pk,
    )


def _get_article_for_user(request, pk) -> Article:
    _require_desk_user(request.user)
    return get_object_or_404(Article.objects.select_related("duplicate_of"), pk=pk)


def _list_claims(qs):
    """Claims for a list: related rows joined, without the articles' bulky text."""
    return qs.select_related("article", "assignee", "verdict").defer(
        "article__raw_html", "article__text", "article__links"
    )


# ---------------------------------------------------------------------------
# Desk


@login_required
def desk(request):
    _require_desk_user(request.user)
    user, now = request.user, timezone.now()
    claims = visible_claims(user)
    counts = dict(
        claims.order_by().values_list("status").annotate(n=Count("id")).values_list(
            "status", "n")
    )
    overdue = claims.filter(
        status__in=Claim.REVIEW_STATUSES,
        assigned_at__lt=now - timedelta(hours=settings.REVIEW_SLA_HOURS),
    )
    new_articles = Article.objects.filter(submitted_at__gte=now - timedelta(days=7))
    my_queue = claims.filter(assignee=user, status__in=Claim.OPEN_STATUSES)
    waiting_signoff = claims.filter(status=S.PROPOSED)
    context = {
        "by_status": [(value, label, counts.get(value, 0)) for value, label in S.choices],
        "total_claims": sum(counts.values()),
        "new_articles_count": new_articles.count(),
        "new_articles": _with_claim_counts(new_articles.defer("raw_html", "text", "links")[:8]),
        "my_queue_count": my_queue.count(),
        "my_queue": _list_claims(my_queue).order_by("-priority", "assigned_at", "id")[:8],
        "overdue_count": overdue.count(),
        "overdue": _list_claims(overdue).order_by("assigned_at", "id")[:8],
        "waiting_signoff_count": waiting_signoff.count(),
        "waiting_signoff": _list_claims(waiting_signoff).order_by(
            "status_changed_at", "id")[:8],
        "sla_hours": settings.REVIEW_SLA_HOURS,
        "history": _status_history(days=14),
        "ratings": _verdicts_by_rating(),
        "turnaround": _time_to_verdict(),
    }
    return render(request, "claims/desk.html", context)


def _with_claim_counts(articles) -> list:
    articles = list(articles)
    counts = dict(
        Claim.objects.filter(article__in=articles).order_by().values_list("article_id")
        .annotate(n=Count("id")).values_list("article_id", "n")
    )
    for article in articles:
        article.n_claims = counts.get(article.pk, 0)
    return articles


def _status_history(days: int) -> dict:
    """How many claims stood in each status at the end of each of the last ``days``.

    Worked out from the log alone: every transition moves one claim out of its
    ``from_status`` and into its ``to_status``, so a status's count at a moment is
    the transitions into it minus those out of it up to then. Two grouped
    queries, whatever the size of the log.
    """
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    moves = ClaimLog.objects.exclude(from_status=F("to_status")).order_by()

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
    for i, d in enumerate(dates):
        day_start = start + timedelta(days=i)
        level.update(net(moves.filter(created_at__gte=day_start,
                                      created_at__lt=day_start + timedelta(days=1))))
        columns.append({s: max(level[s], 0) for s in S.values})
    series = [(value, label, [c[value] for c in columns]) for value, label in S.choices]
    series = [s for s in series if any(s[2])]
    return {"days": dates, "series": series,
            "rows": [(d, [c[s[0]] for s in series]) for d, c in zip(dates, columns)]}


def _verdicts_by_rating() -> list:
    counts = dict(
        Claim.objects.filter(verdict__isnull=False)
        .exclude(status=S.DISMISSED)
        .order_by()
        .values_list("verdict__rating")
        .annotate(n=Count("id"))
        .values_list("verdict__rating", "n")
    )
    colours = {"true": "#2e7d32", "mostly_true": "#558b2f", "half_true": "#8a5a00",
               "mostly_false": "#c2410c", "false": "#b3261e", "misleading": "#6a3fa0",
               "unverifiable": "#555555"}
    return [(label, counts.get(value, 0), colours[value]) for value, label in Rating.choices]


TURNAROUND_BUCKETS = [
    (1, "under 1 h"), (4, "1–4 h"), (12, "4–12 h"), (24, "12–24 h"),
    (48, "1–2 days"), (168, "2–7 days"), (None, "over a week"),
]


def _time_to_verdict(limit: int = 5000) -> dict:
    """Hours from extraction to the current verdict's proposal, for recent verdicts."""
    pairs = (
        Claim.objects.filter(verdict__isnull=False)
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
        "rows": [(label, buckets[label], "") for _, label in TURNAROUND_BUCKETS],
    }


# ---------------------------------------------------------------------------
# Articles


@login_required
def article_list(request):
    _require_desk_user(request.user)
    articles = (
        Article.objects.select_related("submitted_by")
        .defer("raw_html", "text", "links")
        .prefetch_related("claims__assignee")[:100]
    )
    return render(request, "claims/article_list.html", {"articles": articles})


@login_required
def submit_article(request):
    if not request.user.has_perm("claims.triage_claim"):
        raise PermissionDenied("Only editors can submit articles.")
    if request.method == "POST":
        form = forms.SubmitArticleForm(request.POST, request.FILES)
    else:
        form = forms.SubmitArticleForm()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            if d.get("file"):
                sub = services.submit_article(
                    actor=request.user, html=d["file"].read(), source=Article.Source.UPLOAD
                )
            elif d.get("html"):
                sub = services.submit_article(
                    actor=request.user, html=d["html"], url=d.get("url") or "",
                    source=Article.Source.PASTE,
                )
            else:
                sub = services.submit_article(
                    actor=request.user, url=d["url"], source=Article.Source.URL
                )
        except services.SubmissionError as exc:
            form.add_error(None, str(exc))
        else:
            if sub.duplicate:
                messages.warning(request, "This article was already submitted; here it is.")
            else:
                messages.success(request, "Article received; extracting its claims.")
            return redirect(sub.article)
    return render(request, "claims/submit.html", {"form": form})


def _article_context(request, article):
    claims = list(
        visible_claims(request.user).filter(article=article)
        .select_related("assignee", "verdict").order_by("start")
    )
    sort = request.GET.get("sort", "position")
    listed = sorted(claims, key=lambda c: (-c.score, c.start)) if sort == "score" else claims
    all_claims = article.claims.order_by()
    total = all_claims.count()
    assigned = all_claims.exclude(assignee=None).count()
    waiting = all_claims.filter(status=S.EXTRACTED).count()
    queued = all_claims.filter(status=S.QUEUED, assignee=None).count()
    done_statuses = (Article.Status.EXTRACTED, Article.Status.DUPLICATE, Article.Status.FAILED)
    in_progress = article.status not in done_statuses or waiting > 0
    return {
        "article": article,
        "claims": claims,
        "listed_claims": listed,
        "sort": sort,
        "progress": {
            "total": total, "assigned": assigned, "waiting": waiting, "queued": queued,
            "fetch_needed": article.source == Article.Source.URL,
            "fetched": article.status in (Article.Status.FETCHED,) + done_statuses,
            "extracted": article.status == Article.Status.EXTRACTED,
            "handed_on": article.status == Article.Status.EXTRACTED and waiting == 0,
        },
        "in_progress": in_progress,
        "statuses": S.choices,
    }


@login_required
def article_detail(request, pk):
    article = _get_article_for_user(request, pk)
    return render(request, "claims/article_detail.html", _article_context(request, article))


@login_required
def article_live(request, pk):
    """The part of the article page that changes while the worker runs (htmx polls it)."""
    article = _get_article_for_user(request, pk)
    return render(request, "claims/_article_live.html", _article_context(request, article))


# ---------------------------------------------------------------------------
# Claim lists


def _filtered_claims(request, form):
    qs = visible_claims(request.user)
    if not form.is_valid():
        return qs
    d = form.cleaned_data
    if d.get("q"):
        qs = qs.filter(Q(text__icontains=d["q"]) | Q(speaker__icontains=d["q"]))
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("type"):
        qs = qs.filter(claim_type=d["type"])
    if d.get("reviewer"):
        qs = qs.filter(assignee=d["reviewer"])
    if d.get("article"):
        qs = qs.filter(article_id=d["article"])
    if d.get("rating"):
        qs = qs.filter(verdict__rating=d["rating"])
    if d.get("score_min") is not None:
        qs = qs.filter(score__gte=d["score_min"])
    if d.get("score_max") is not None:
        qs = qs.filter(score__lte=d["score_max"])
    if request.GET.get("overdue"):
        qs = qs.filter(
            status__in=Claim.REVIEW_STATUSES,
            assigned_at__lt=timezone.now() - timedelta(hours=settings.REVIEW_SLA_HOURS),
        )
    return qs


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
    _require_desk_user(request.user)
    form = forms.ClaimFilterForm(request.GET or None)
    qs = _filtered_claims(request, form)
    sort = request.GET.get("sort") if request.GET.get("sort") == "score" else "new"
    rows, has_prev, has_next = _keyset_page(
        _list_claims(qs), sort, after=request.GET.get("after"),
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

    return render(request, "claims/claim_list.html", {
        "form": form,
        "claims": rows,
        "count": min(capped, COUNT_CAP),
        "count_capped": capped > COUNT_CAP,
        "next_url": link(after=_cursor_of(rows[-1], sort)) if rows and has_next else None,
        "prev_url": link(before=_cursor_of(rows[0], sort)) if rows and has_prev else None,
        "first_url": ("?" + base) if has_prev else None,
        "overdue": bool(request.GET.get("overdue")),
    })


@login_required
def my_queue(request):
    _require_desk_user(request.user)
    user = request.user
    mine = _list_claims(
        Claim.objects.filter(assignee=user, status__in=Claim.OPEN_STATUSES)
    ).order_by("-priority", "assigned_at", "id")
    context = {"mine": mine[:100]}
    if workflow.is_editor(user):
        context["to_sign_off"] = _list_claims(
            Claim.objects.filter(status=S.PROPOSED).exclude(verdict__proposed_by=user)
        ).order_by("status_changed_at", "id")[:100]
        context["to_publish"] = _list_claims(
            Claim.objects.filter(status=S.APPROVED)
        ).order_by("status_changed_at", "id")[:100]
    if workflow.is_reviewer(user):
        context["unassigned"] = _list_claims(
            Claim.objects.filter(status__in=[S.EXTRACTED, S.QUEUED], assignee=None)
        ).order_by("-priority", "-score", "id")[:50]
    return render(request, "claims/my_queue.html", context)


# ---------------------------------------------------------------------------
# One claim and the actions on it


ACTION_FORMS = {
    "assign": forms.AssignForm,
    "take": forms.ConfirmForm,
    "start_review": forms.ConfirmForm,
    "propose": forms.VerdictForm,
    "send_back": forms.SendBackForm,
    "sign_off": forms.OptionalCommentForm,
    "publish": forms.OptionalCommentForm,
    "reopen": forms.ReopenForm,
    "dismiss": forms.DismissForm,
    "mark_duplicate": forms.DuplicateForm,
    "requeue": forms.OptionalCommentForm,
    "set_priority": forms.PriorityForm,
    # Research, open to whoever may research the claim now.
    "edit_research": forms.ResearchNotesForm,
    "add_evidence": forms.EvidenceForm,
    "cite_link": forms.CiteLinkForm,
    "remove_evidence": forms.RemoveEvidenceForm,
}
RESEARCH_FORMS = ("edit_research", "add_evidence", "cite_link", "remove_evidence")

DONE_MESSAGES = {
    "assign": "Reviewer assigned.", "take": "You took the claim.",
    "start_review": "Review started.", "propose": "Verdict proposed for sign-off.",
    "send_back": "Sent back to the reviewer.", "sign_off": "Verdict signed off.",
    "publish": "Published.", "reopen": "Reopened.", "dismiss": "Claim dismissed.",
    "mark_duplicate": "Merged as a duplicate.", "requeue": "Put back in the queue.",
    "set_priority": "Priority set.", "edit_research": "Research notes saved.",
    "add_evidence": "Evidence added.", "cite_link": "Link added as evidence.",
    "remove_evidence": "Evidence removed.",
}


def _perform(action, claim, user, d):
    """Call the workflow function behind ``action`` with the form's cleaned data."""
    if action == "assign":
        workflow.assign(claim, d["reviewer"], actor=user, comment=d["comment"])
    elif action in ("take", "start_review"):
        getattr(workflow, action)(claim, actor=user)
    elif action in ("sign_off", "publish", "requeue"):
        getattr(workflow, action)(claim, actor=user, comment=d["comment"])
    elif action == "send_back":
        workflow.send_back(claim, actor=user, comment=d["comment"])
    elif action == "reopen":
        workflow.reopen(claim, actor=user, reason=d["comment"])
    elif action == "propose":
        workflow.propose_verdict(
            claim, actor=user, rating=d["rating"], conclusion=d["conclusion"],
            explanation=d["explanation"], sources=d["sources"].splitlines(),
        )
    elif action == "dismiss":
        workflow.dismiss(claim, actor=user, reason=d["reason"], comment=d["comment"])
    elif action == "mark_duplicate":
        original = Claim.objects.filter(pk=d["duplicate_of"]).first()
        if original is None:
            raise workflow.WorkflowError(f"There is no claim {d['duplicate_of']}.")
        workflow.mark_duplicate(claim, original, actor=user, comment=d["comment"])
    elif action == "set_priority":
        workflow.set_priority(claim, d["priority"], actor=user)
    elif action == "edit_research":
        workflow.save_research_notes(claim, d["research_notes"], actor=user)
    elif action == "add_evidence":
        workflow.add_evidence(claim, actor=user, url=d["url"], note=d["note"],
                              document=d["document"])
    elif action == "cite_link":
        workflow.add_evidence(claim, actor=user, url=d["url"],
                              note="Link in the claim's sentence.")
    elif action == "remove_evidence":
        evidence = claim.evidence.filter(pk=d["evidence"]).first()
        if evidence is None:
            raise workflow.InvalidState("That evidence has already been removed.")
        evidence.claim = claim  # carries the version the user saw
        workflow.remove_evidence(evidence, actor=user)


def _typed_input(form) -> list[tuple[str, str]]:
    """What the user typed into a form, for showing back when the form cannot be."""
    out = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        value = form.data.get(form.add_prefix(name), "")
        if isinstance(value, str) and value.strip():
            out.append((field.label or name, value))
    return out


def _claim_context(request, claim, *, failed_action=None, failed_form=None, error=None):
    user = request.user
    allowed = workflow.allowed_actions(claim, user)

    def form_for(name, **initial):
        if name == failed_action and failed_form is not None:
            return failed_form
        return ACTION_FORMS[name](initial={"version": claim.version, **initial}, prefix=name)

    initial = {"set_priority": {"priority": claim.priority},
               "assign": {"reviewer": claim.assignee_id}}
    panels = [(a, form_for(a.name, **initial.get(a.name, {})))
              for a in allowed if a.name != "edit_research"]
    may_research = workflow.can_research(claim, user)
    shown = {a.name for a in allowed} | (set(RESEARCH_FORMS) if may_research else set())
    lost = []
    if failed_form is not None and failed_action not in shown:
        lost = _typed_input(failed_form)
    article = claim.article
    claim_links = web_links(claim.links)
    return {
        "claim": claim,
        "article": article,
        "panels": panels,
        "editor_panels": [p for p in panels if p[0].editor_only],
        "reviewer_panels": [p for p in panels if not p[0].editor_only],
        "may_research": may_research,
        "notes_form": form_for("edit_research", research_notes=claim.research_notes),
        "evidence_form": form_for("add_evidence"),
        "evidence": claim.evidence.select_related("added_by"),
        "claim_links": claim_links,
        "cited": set(claim.evidence.values_list("url", flat=True)),
        "article_links": [ln for ln in web_links(article.links)
                          if ln["href"] not in {c["href"] for c in claim_links}],
        "similar": matching.similar_claims(claim),
        "verdicts": claim.verdicts.select_related("proposed_by", "decided_by"),
        "log": claim.log.select_related("actor"),
        "failed_action": failed_action,
        "error": error,
        "lost_input": lost,
    }


@login_required
def claim_detail(request, pk):
    claim = _get_claim_for_user(request, pk)
    return render(request, "claims/claim_detail.html", _claim_context(request, claim))


@login_required
@require_POST
def claim_act(request, pk, action):
    """Run one workflow action from a claim page form; on refusal, show the page again
    with the user's input kept."""
    if action not in ACTION_FORMS:
        raise Http404("No such action.")
    claim = _get_claim_for_user(request, pk)
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        claim.version = form.cleaned_data["version"]  # the version the user saw
        try:
            _perform(action, claim, request.user, form.cleaned_data)
        except workflow.StaleClaim:
            status, error = 409, (
                "Someone else changed this claim while you were working on it. "
                "Nothing was saved. Check the claim as it is now (its history is below); "
                "what you typed is kept, so you can submit it again."
            )
        except workflow.NotAllowed as exc:
            status, error = 403, str(exc)
        except workflow.WorkflowError as exc:
            status, error = 409, str(exc)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect(reverse("claims:claim", args=[claim.pk]), permanent=False)
    else:
        status, error = 400, "Please correct the errors below; nothing was saved."
    claim = _get_claim_for_user(request, pk)  # as it is now
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(claim.version)
    failed_form = form_class(data, request.FILES, prefix=action)
    return render(
        request, "claims/claim_detail.html",
        _claim_context(request, claim, failed_action=action, failed_form=failed_form,
                       error=error),
        status=status,
    )
