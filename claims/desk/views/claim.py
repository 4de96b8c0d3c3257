"""One claim and the workflow actions on it; stale forms keep what the user typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...publishing import pages
from ...review import evidence as evidence_types
from ...review import matching, workflow
from ...templatetags.desk_text import web_links
from ..actions import ACTION_FORMS, DONE_MESSAGES, RESEARCH_FORMS, WORDING_FORMS, perform
from .clusters import repeat_context
from .common import S, get_claim_for_user

# The step a claim in each status is waiting for, in order of preference: the
# first one this user may take is the panel's primary action, the rest secondary.
NEXT_STEP = {
    S.TRIAGE: ("accept", "assign"),
    S.EXTRACTED: ("take", "assign"),
    S.QUEUED: ("take", "assign"),
    S.ASSIGNED: ("start_review", "propose"),
    S.IN_REVIEW: ("propose",),
    S.PROPOSED: ("sign_off",),
    S.APPROVED: ("publish",),
    S.DISMISSED: ("requeue",),
}

# ---------------------------------------------------------------------------
# One claim and the actions on it

NOTE_REVISIONS_SHOWN = 20  # the latest; every revision stays in the database


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

    initial = {
        "set_priority": {"priority": claim.priority},
        "assign": {"reviewer": claim.assignee_id},
    }
    panels = [
        (a, form_for(a.name, **initial.get(a.name, {})))
        for a in allowed
        if a.name != "edit_research"
    ]
    repeat = repeat_context(claim)
    # A repeat of a published fact-check needs no new research: its next step is the
    # alert's "add this appearance", so no status action is offered as the next step.
    next_names = () if repeat["repeat_checked"] else NEXT_STEP.get(claim.status, ())
    primary = next((p for name in next_names for p in panels if p[0].name == name), None)
    may_research = workflow.can_research(claim, user)
    may_reword = workflow.can_edit_wording(claim, user)
    shown = (
        {a.name for a in allowed}
        | (set(RESEARCH_FORMS) if may_research else set())
        | (set(WORDING_FORMS) if may_reword else set())
    )
    lost = []
    if failed_form is not None and failed_action not in shown:
        lost = _typed_input(failed_form)
    article = claim.article
    claim_links = web_links(claim.links)
    evidence = list(claim.evidence.current().select_related("added_by"))
    return {
        "claim": claim,
        "article": article,
        "panels": panels,
        "primary_panel": primary,
        "secondary_panels": [p for p in panels if p is not primary],
        "public_url": pages.public_path(claim) if claim.status == S.PUBLISHED else "",
        "editor_panels": [p for p in panels if p[0].editor_only],
        "reviewer_panels": [p for p in panels if not p[0].editor_only],
        "may_research": may_research,
        "notes_form": form_for("edit_research", research_notes=claim.research_notes),
        "may_reword": may_reword,
        "claimant_form": form_for(
            "set_claimant", claimant=claim.claimant, claimant_kind=claim.claimant_kind
        ),
        "checked_form": form_for("edit_checked_text", checked_text=claim.as_checked),
        "evidence_form": form_for("add_evidence"),
        "evidence": evidence,
        "claim_links": claim_links,
        "cited": {e.url for e in evidence},
        "article_links": [
            ln
            for ln in web_links(article.links)
            if ln["href"] not in {c["href"] for c in claim_links}
        ],
        "similar": matching.similar_claims(claim, visible_to=user),
        "verdicts": claim.verdicts.select_related("proposed_by", "decided_by"),
        "log": claim.log.select_related("actor"),
        "note_revisions": claim.note_revisions.select_related("author").order_by(
            "-created_at", "-id"
        )[:NOTE_REVISIONS_SHOWN],
        "failed_action": failed_action,
        "error": error,
        "lost_input": lost,
        "queue_held_form": form_for("queue_held") if workflow.can_queue_held(claim, user) else None,
        "may_edit_clusters": workflow.is_editor(user),
        **repeat,
    }


@login_required
def claim_detail(request, pk):
    claim = get_claim_for_user(request, pk)
    return render(request, "claims/claim_detail.html", _claim_context(request, claim))


@login_required
@require_POST
def claim_act(request, pk, action):
    """Run one workflow action from a claim page form; on refusal, show the page again
    with the user's input kept."""
    if action not in ACTION_FORMS:
        raise Http404("No such action.")
    claim = get_claim_for_user(request, pk)
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        claim.version = form.cleaned_data["version"]  # the version the user saw
        try:
            perform(action, claim, request.user, form.cleaned_data)
        except workflow.StaleClaim:
            status, error = (
                409,
                (
                    "Someone else changed this claim while you were working on it. "
                    "Nothing was saved. Check the claim as it is now (its history is below); "
                    "what you typed is kept, so you can submit it again."
                ),
            )
        except workflow.NotAllowed as exc:
            status, error = 403, str(exc)
        except workflow.WorkflowError as exc:
            status, error = 409, str(exc)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect(reverse("claims:claim", args=[claim.pk]), permanent=False)
    else:
        status, error = 400, _("Please correct the errors below; nothing was saved.")
    claim = get_claim_for_user(request, pk)  # as it is now
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(claim.version)
    failed_form = form_class(data, request.FILES, prefix=action)
    return render(
        request,
        "claims/claim_detail.html",
        _claim_context(request, claim, failed_action=action, failed_form=failed_form, error=error),
        status=status,
    )


# ---------------------------------------------------------------------------
# Evidence documents: the only way their bytes leave the server

# Nothing in a downloaded document may run, load or frame anything on our origin.
EVIDENCE_CSP = "default-src 'none'; sandbox"


@login_required
def evidence_download(request, pk, evidence_id):
    """One evidence document, for whoever may see its claim, always as a download.

    ``Content-Disposition: attachment``, ``nosniff`` and a sandboxing CSP mean a
    browser never renders it on our origin, whatever is inside; a type recorded
    before uploads were checked (or none) is sent as ``application/octet-stream``.
    Removed evidence stays downloadable by editors, as history.
    """
    claim = get_claim_for_user(request, pk)
    evidence = claim.evidence.filter(pk=evidence_id).exclude(document="").first()
    if evidence is None or (evidence.is_removed and not workflow.is_editor(request.user)):
        raise Http404("No such evidence document.")
    try:
        handle = evidence.document.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The evidence file is missing.") from exc
    content_type = evidence.content_type
    if content_type not in evidence_types.ALLOWED_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence_types.download_name(evidence.document_name, content_type),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = EVIDENCE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
