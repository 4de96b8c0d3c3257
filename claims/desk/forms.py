"""Forms for the editor web app. Workflow forms carry the claim ``version`` the
page was rendered with, so a change made meanwhile is caught as ``StaleClaim``."""

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .. import roles
from ..intake import submission
from ..models import Claim
from ..ratings import Rating
from ..review import evidence as evidence_types


class SubmitArticleForm(forms.Form):
    html = forms.CharField(
        label=_("Paste the article's HTML"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        required=False,
    )
    file = forms.FileField(label=_("…or upload an HTML file"), required=False)
    url = forms.URLField(
        label=_("…or give its URL"), required=False, max_length=2000, assume_scheme="https"
    )

    def clean(self):
        data = super().clean()
        given = [k for k in ("html", "file", "url") if data.get(k)]
        if not given and not self.errors:
            raise forms.ValidationError(_("Paste HTML, upload a file, or give a URL."))
        if set(given) == {"html", "url"}:
            # Which should win is the editor's call, not ours: say so rather than
            # quietly storing the paste under that address.
            raise forms.ValidationError(
                "You gave both pasted HTML and a URL. To fetch the page, clear the pasted "
                "HTML; to use your copy, clear the URL."
            )
        if len(given) > 1:
            raise forms.ValidationError(_("Give one of: pasted HTML, a file, or a URL."))
        upload = data.get("file")
        if upload and upload.size > settings.MAX_ARTICLE_BYTES:
            raise forms.ValidationError(submission.upload_too_large_message(upload.size))
        return data


def reviewer_choices():
    """Active reviewers by name (without ``reviewers_by_load``'s count over all claims)."""
    return roles.active_reviewers().order_by("username")


class ClaimFilterForm(forms.Form):
    SORTS = [("new", _("Newest first")), ("score", _("Highest score first"))]

    q = forms.CharField(label=_("Search text or speaker"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status"))] + Claim.Status.choices
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any type"))] + Claim.Type.choices
    )
    reviewer = forms.ModelChoiceField(
        label=_("Reviewer"), required=False, queryset=None, empty_label=_("Anyone")
    )
    article = forms.IntegerField(label=_("Article id"), required=False, min_value=1)
    rating = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("Any verdict"))] + Rating.choices
    )
    score_min = forms.FloatField(
        label=_("Score from"),
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    score_max = forms.FloatField(
        label=_("Score to"),
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_choices()


# ---------------------------------------------------------------------------
# Workflow forms, one per action that takes input. Rendered with prefix=action.


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(VersionedForm):
    """A plain button: no input beyond the version."""


class OptionalCommentForm(VersionedForm):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendBackForm(VersionedForm):
    comment = forms.CharField(label=_("What needs doing"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(VersionedForm):
    comment = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(VersionedForm):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)
    comment = forms.CharField(label=_("Comment (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewer_choices()


class VerdictForm(VersionedForm):
    # No default: an accidental "True" must not be one click away. The reviewer chooses.
    rating = forms.ChoiceField(
        label=_("Rating"), choices=[("", _("Choose a rating…"))] + Rating.choices
    )
    conclusion = forms.CharField(label=_("One-line conclusion"), max_length=300)
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    sources = forms.CharField(
        label=_("Sources, one URL a line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DismissForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[c for c in Claim.DismissReason.choices if c[0] != "duplicate"],
    )
    comment = forms.CharField(label=_("Comment (optional)"), required=False)


class DuplicateForm(VersionedForm):
    duplicate_of = forms.IntegerField(label=_("Id of the original claim"), min_value=1)
    comment = forms.CharField(label=_("Comment (optional)"), required=False)


class PriorityForm(VersionedForm):
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Claim.Priority.choices, coerce=int
    )


class ResearchNotesForm(VersionedForm):
    research_notes = forms.CharField(
        label=_("Research notes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class ClaimantForm(VersionedForm):
    claimant = forms.CharField(label=_("Claimant"), max_length=200, required=False)
    claimant_kind = forms.ChoiceField(label=_("Kind"), choices=Claim.ClaimantKind.choices)


class CheckedTextForm(VersionedForm):
    checked_text = forms.CharField(
        label=_("Claim as checked"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(VersionedForm):
    url = forms.URLField(
        label=_("Evidence URL"), required=False, max_length=2000, assume_scheme="https"
    )
    document = forms.FileField(
        label=_("…or upload a document"),
        required=False,
        help_text=format_lazy(_("Accepted: {types}."), types=evidence_types.ALLOWED_DESCRIPTION),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(evidence_types.ACCEPT))}),
    )
    note = forms.CharField(
        label=_("Note on this evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            try:
                evidence_types.check_document(document)
            except evidence_types.RefusedDocument as exc:
                raise forms.ValidationError(str(exc)) from exc
        return document

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("document") and not self.errors:
            raise forms.ValidationError(_("Give a URL or upload a document."))
        return data


class CiteLinkForm(VersionedForm):
    url = forms.URLField(max_length=2000, widget=forms.HiddenInput)


class RemoveEvidenceForm(VersionedForm):
    evidence = forms.IntegerField(widget=forms.HiddenInput)
