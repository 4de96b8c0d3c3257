"""Each workflow action as the UI offers it: the form that collects its input and the
workflow call it makes. The editor web app and the admin share these, so a button
means the same thing in both."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Claim
from ..review import workflow
from . import forms

ACTION_FORMS = {
    "accept": forms.OptionalCommentForm,  # out of the triage inbox, into the queue
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
    "queue_held": forms.OptionalCommentForm,  # a claim the flood cap held back
    # Research, open to whoever may research the claim now.
    "edit_research": forms.ResearchNotesForm,
    "add_evidence": forms.EvidenceForm,
    "cite_link": forms.CiteLinkForm,
    "remove_evidence": forms.RemoveEvidenceForm,
    # The claimant and the claim as checked (workflow.can_edit_wording).
    "set_claimant": forms.ClaimantForm,
    "edit_checked_text": forms.CheckedTextForm,
}
WORDING_FORMS = ("set_claimant", "edit_checked_text")
RESEARCH_FORMS = ("edit_research", "add_evidence", "cite_link", "remove_evidence")

DONE_MESSAGES = {
    "accept": gettext_lazy("Accepted for review."),
    "assign": gettext_lazy("Reviewer assigned."),
    "take": gettext_lazy("You took the claim."),
    "start_review": gettext_lazy("Review started."),
    "propose": gettext_lazy("Verdict proposed for sign-off."),
    "send_back": gettext_lazy("Sent back to the reviewer."),
    "sign_off": gettext_lazy("Verdict signed off."),
    "publish": gettext_lazy("Published."),
    "reopen": gettext_lazy("Reopened."),
    "dismiss": gettext_lazy("Claim dismissed."),
    "mark_duplicate": gettext_lazy("Merged as a duplicate."),
    "requeue": gettext_lazy("Put back in the queue."),
    "set_priority": gettext_lazy("Priority set."),
    "edit_research": gettext_lazy("Research notes saved."),
    "add_evidence": gettext_lazy("Evidence added."),
    "cite_link": gettext_lazy("Link added as evidence."),
    "remove_evidence": gettext_lazy("Evidence removed."),
    "queue_held": gettext_lazy("Sent to the reviewers' queue."),
    "set_claimant": gettext_lazy("Claimant saved."),
    "edit_checked_text": gettext_lazy("Claim as checked saved."),
}


def perform(action, claim, user, d):
    """Call the workflow function behind ``action`` with the form's cleaned data."""
    if action == "assign":
        workflow.assign(claim, d["reviewer"], actor=user, comment=d["comment"])
    elif action in ("take", "start_review"):
        getattr(workflow, action)(claim, actor=user)
    elif action in ("sign_off", "publish", "requeue", "accept"):
        getattr(workflow, action)(claim, actor=user, comment=d["comment"])
    elif action == "send_back":
        workflow.send_back(claim, actor=user, comment=d["comment"])
    elif action == "reopen":
        workflow.reopen(claim, actor=user, reason=d["comment"])
    elif action == "propose":
        workflow.propose_verdict(
            claim,
            actor=user,
            rating=d["rating"],
            conclusion=d["conclusion"],
            explanation=d["explanation"],
            sources=d["sources"].splitlines(),
        )
    elif action == "dismiss":
        workflow.dismiss(claim, actor=user, reason=d["reason"], comment=d["comment"])
    elif action == "mark_duplicate":
        original = Claim.objects.filter(pk=d["duplicate_of"]).first()
        if original is None:
            raise workflow.WorkflowError(_("There is no claim %(pk)s.") % {"pk": d["duplicate_of"]})
        workflow.mark_duplicate(claim, original, actor=user, comment=d["comment"])
    elif action == "queue_held":
        workflow.queue_held(claim, actor=user, comment=d["comment"])
    elif action == "set_priority":
        workflow.set_priority(claim, d["priority"], actor=user)
    elif action == "set_claimant":
        workflow.set_claimant(claim, d["claimant"], d["claimant_kind"], actor=user)
    elif action == "edit_checked_text":
        workflow.edit_checked_text(claim, d["checked_text"], actor=user)
    elif action == "edit_research":
        workflow.save_research_notes(claim, d["research_notes"], actor=user)
    elif action == "add_evidence":
        workflow.add_evidence(
            claim, actor=user, url=d["url"], note=d["note"], document=d["document"]
        )
    elif action == "cite_link":
        workflow.add_evidence(claim, actor=user, url=d["url"], note="Link in the claim's sentence.")
    elif action == "remove_evidence":
        evidence = claim.evidence.current().filter(pk=d["evidence"]).first()
        if evidence is None:
            raise workflow.InvalidState(_("That evidence has already been removed."))
        evidence.claim = claim  # carries the version the user saw
        workflow.remove_evidence(evidence, actor=user)
