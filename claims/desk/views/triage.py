"""The "To triage" inbox: rank, filter, accept or dismiss, one or many at a time.

One page, driven from the keyboard by ``static/claims/triage.js`` and entirely
usable without it: every action is a button in one form, and every move goes
through ``workflow.accept_many`` / ``dismiss_many`` (a log row per claim).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ...models import Claim, Source
from ...review import triage, workflow

PAGE_SIZE = 50
DISMISS_REASONS = [
    (value, label)
    for value, label in Claim.DismissReason.choices
    if value != Claim.DismissReason.DUPLICATE
]


def _require_triager(user):
    if not (user.is_active and user.has_perm("claims.triage_claim")):
        raise PermissionDenied(_("Only editors triage claims."))


def _filter_from(params) -> tuple[triage.InboxFilter, dict]:
    """The inbox filter from the query string, and the values to show back."""
    try:
        min_score = float(params.get("min_score", ""))
        min_score = min(max(min_score, 0.0), 1.0)
    except ValueError:
        min_score = None
    f = triage.InboxFilter(
        source=params.get("source", "")[:20],
        beat=params.get("beat", "")[:60],
        min_score=min_score,
        claimant=params.get("claimant", "").strip()[:100],
    )
    return f, {
        "source": f.source,
        "beat": f.beat,
        "min_score": "" if min_score is None else f"{min_score:g}",
        "claimant": f.claimant,
    }


@login_required
def triage_inbox(request):
    _require_triager(request.user)
    if request.method == "POST":
        return _act(request)
    f, shown = _filter_from(request.GET)
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    offset = (page - 1) * PAGE_SIZE
    rows = list(
        triage.inbox(f)
        .select_related("article", "source")
        .only(
            "id",
            "text",
            "speaker",
            "score",
            "beat",
            "triage_reasons",
            "created_at",
            "version",
            "article__id",
            "article__title",
            "article__publisher",
            "article__url",
            "source__name",
        )[offset : offset + PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    query = request.GET.copy()
    query.pop("page", None)

    def page_url(n):
        q = query.copy()
        q["page"] = n
        return f"?{q.urlencode()}"

    reviewers = list(workflow.reviewers_by_load())
    context = {
        "rows": rows[:PAGE_SIZE],
        "first_number": offset + 1,
        "next_url": page_url(page + 1) if more else "",
        "prev_url": page_url(page - 1) if page > 1 else "",
        "counts": triage.inbox_counts(),
        "filters": shown,
        "filtered": any(shown.values()),
        "sources": Source.objects.order_by("name").values_list("pk", "name"),
        "dismiss_reasons": DISMISS_REASONS,
        "reviewers": reviewers,
        "accepted_waiting": Claim.objects.filter(
            status__in=workflow.WAITING, assignee=None, held=False
        ).count(),
        "all_full": bool(reviewers) and all(r.room <= 0 for r in reviewers),
        "manual": triage.MANUAL,
    }
    return render(request, "claims/triage.html", context)


def _act(request):
    """One form, four kinds of button: accept or dismiss this row, or the selected."""
    post = request.POST
    if "accept_one" in post or "dismiss_one" in post:
        ids = [post.get("accept_one") or post.get("dismiss_one")]
        verb = "accept" if "accept_one" in post else "dismiss"
    else:
        ids = post.getlist("ids")
        verb = post.get("bulk", "")
    back = reverse("claims:triage") + (f"?{request.GET.urlencode()}" if request.GET else "")
    try:
        ids = [int(pk) for pk in ids]
        if verb == "accept":
            outcome = workflow.accept_many(ids, actor=request.user)
            done = _("Accepted for review: %(n)d claim(s).") % {"n": len(outcome.done)}
        elif verb == "dismiss":
            outcome = workflow.dismiss_many(ids, actor=request.user, reason=post.get("reason", ""))
            done = _("Dismissed: %(n)d claim(s).") % {"n": len(outcome.done)}
        else:
            raise workflow.WorkflowError(_("Choose accept or dismiss."))
    except ValueError:
        messages.error(request, _("Select claims from the list."))
        return redirect(back)
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if outcome.done:
        messages.success(request, done)
    for pk, why in outcome.refused.items():
        messages.warning(
            request, _("Claim #%(pk)s was not changed: %(why)s") % {"pk": pk, "why": why}
        )
    return redirect(back)
