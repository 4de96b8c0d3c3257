"""The Django admin as the back-office review desk.

Every state change goes through ``claims.review.workflow``: the claim page shows only
the buttons this user may press in this state, and changelist actions report
per-claim successes and refusals. Nothing here writes ``status`` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, Length, Substr
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..desk.actions import ACTION_FORMS, DONE_MESSAGES, perform
from ..intake import submission
from ..models import Article, Claim, ClaimLog, Evidence, Notification, Verdict
from ..review import clusters, workflow
from ..review.access import visible_claims
from ..templatetags.desk_text import entity_label, web_links

# ---------------------------------------------------------------------------
# Readable displays of what is stored as JSON, shared by the admin pages below.

_HEDGES = {"upper_bound": "at most ", "lower_bound": "at least ", "approximate": "about "}


def _none():
    return format_html('<span class="quiet">{}</span>', "none")


def numbers_html(numbers) -> str:
    if not numbers:
        return _none()
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li><strong>{}</strong>{}: {}{}</li>",
            (
                (
                    n.get("text", ""),
                    f" {n['unit']}" if n.get("unit") else "",
                    _HEDGES.get(n.get("hedge"), ""),
                    floatformat(n.get("value"), "-2"),
                )
                for n in numbers
            ),
        ),
    )


def entities_html(entities) -> str:
    if not entities:
        return _none()
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} ({})</li>",
            ((e.get("text", ""), entity_label(e.get("label"))) for e in entities),
        ),
    )


def links_html(links) -> str:
    links = web_links(links or [])
    if not links:
        return _none()
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            '<li><a href="{}" rel="noopener noreferrer nofollow">{}</a> <small>{}</small></li>',
            ((ln["href"], ln.get("text") or ln["href"], ln["href"]) for ln in links),
        ),
    )


def data_html(data) -> str:
    if not data:
        return _none()
    return format_html(
        "<dl>{}</dl>",
        format_html_join(
            "",
            "<dt>{}</dt><dd>{}</dd>",
            (
                (str(k).replace("_", " "), v if not isinstance(v, float) else floatformat(v, 2))
                for k, v in data.items()
            ),
        ),
    )


def sources_html(sources) -> str:
    if not sources:
        return _none()
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', s, s)
                    if s.lower().startswith(("http://", "https://"))
                    else s,
                )
                for s in sources
            ),
        ),
    )


class KeepsHistoryOnDelete:
    """Claims with history (and their articles) are never deleted: the log is
    append-only and must not be orphaned. The admin's delete page says so in one
    line instead of listing every protected log row."""

    def claims_of(self, pks):
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        pks = [o.pk for o in objs]
        kept = ClaimLog.objects.filter(claim__in=self.claims_of(pks)).values("claim_id")
        n = kept.distinct().count()
        if n:
            return (
                [],
                {},
                set(),
                [
                    f"the history of {n} claim(s): claims with history are kept, never "
                    f"deleted (dismiss them instead)"
                ],
            )
        return super().get_deleted_objects(objs, request)


class MultipartTextarea(forms.Textarea):
    """A textarea whose form posts as multipart: a pasted article travels as bytes,
    not percent-encoded (urlencoded bodies are held to FORM_BODY_MAX_BYTES)."""

    needs_multipart_form = True


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ("url", "raw_html")
        widgets = {"raw_html": MultipartTextarea}


@admin.register(Article)
class ArticleAdmin(KeepsHistoryOnDelete, admin.ModelAdmin):
    list_display = ("__str__", "publisher", "status", "claim_count", "submitted_by", "submitted_at")
    list_filter = ("status", "source")
    search_fields = ("title", "url", "text")
    readonly_fields = (
        "title",
        "publisher",
        "published_date",
        "source",
        "claims_link",
        "text",
        "links_readable",
        "content_hash",
        "status",
        "error",
        "duplicate_of",
        "sentence_count",
        "submitted_by",
        "submitted_at",
        "extracted_at",
    )
    form = ArticleAdminForm

    def claims_of(self, pks):
        return Claim.objects.filter(article__in=pks).values("pk")

    list_select_related = ("submitted_by",)
    list_per_page = 50

    def get_queryset(self, request):
        # The raw HTML is never shown; the text only on an article's own page. The
        # claim count is a subquery: a GROUP BY would group on every column read.
        count = (
            Claim.objects.filter(article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("id"))
            .values("n")
        )
        qs = (
            super()
            .get_queryset(request)
            .defer("raw_html")
            .annotate(n_claims=Coalesce(Subquery(count), 0))
        )
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = qs.defer("text", "links")
        return qs

    @admin.display(description=_("claims"), ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims

    @admin.display(description=_("links"))
    def links_readable(self, obj):
        return links_html(obj.links)

    @admin.display(description=_("claims"))
    def claims_link(self, obj):
        """However many there are, the claims are listed (paginated) in the claim list,
        not inline on this page."""
        if obj.pk is None:
            return "—"
        url = reverse("admin:claims_claim_changelist") + f"?article__id__exact={obj.pk}"
        return format_html(
            '<a href="{}" id="article-claims-link">{} claim{}: see them in the claim list</a>',
            url,
            obj.n_claims,
            "" if obj.n_claims == 1 else "s",
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("url", "raw_html")
        return self.readonly_fields + ("url",)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields + ("url",)

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            sub = submission.submit_article(
                actor=request.user,
                html=form.cleaned_data.get("raw_html") or None,
                url=form.cleaned_data.get("url") or "",
                source=Article.Source.URL
                if not form.cleaned_data.get("raw_html")
                else Article.Source.PASTE,
            )
        except submission.SubmissionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            obj.pk = None
            return
        obj.pk = sub.article.pk
        obj._created = sub.created
        if sub.duplicate:
            self.message_user(request, _("This article was already submitted."), messages.WARNING)

    def log_addition(self, request, obj, message):
        # Only a new article is an addition; a refusal or a duplicate stored nothing.
        if obj.pk is not None and getattr(obj, "_created", False):
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return HttpResponseRedirect(reverse("admin:claims_article_add"))
        return HttpResponseRedirect(reverse("admin:claims_article_change", args=[obj.pk]))

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


class ReadOnlyInline(admin.TabularInline):
    """A history table: every field shown, nothing added, changed or deleted here.

    Evidence, verdicts and the log change only through the workflow functions (each
    with its log row), so their inlines only show.
    """

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EvidenceInline(ReadOnlyInline):
    """Every piece of evidence, removed ones too (history); documents only as downloads."""

    model = Evidence
    fields = (
        "url",
        "download",
        "content_type",
        "note",
        "added_by",
        "added_at",
        "removed_at",
        "removed_by",
    )

    @admin.display(description=_("document"))
    def download(self, obj):
        if not obj.document:
            return "—"
        return format_html(
            '<a href="{}" download>{}</a>', obj.get_download_url(), obj.document_name
        )


class VerdictInline(ReadOnlyInline):
    model = Verdict
    fields = (
        "rating",
        "conclusion",
        "sources_readable",
        "state",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
        "comment",
    )

    @admin.display(description=_("sources"))
    def sources_readable(self, obj):
        return sources_html(obj.sources)


class ClaimLogInline(ReadOnlyInline):
    model = ClaimLog
    fields = (
        "created_at",
        "action",
        "actor_name",
        "from_status",
        "to_status",
        "comment",
        "details",
    )

    @admin.display(description=_("details"))
    def details(self, obj):
        return data_html(obj.data)

    ordering = ("created_at", "id")
    verbose_name = "history entry"
    verbose_name_plural = "history"


class MyQueueFilter(admin.SimpleListFilter):
    title = "queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("mine", "My queue"), ("unassigned", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee=request.user, status__in=Claim.OPEN_STATUSES)
        if self.value() == "unassigned":
            return queryset.filter(assignee=None, status__in=Claim.OPEN_STATUSES)
        return queryset


# ---------------------------------------------------------------------------
# Bulk actions on the claim list: one row each, all through workflow.


class BulkAction(NamedTuple):
    name: str  # the action's name in the changelist form
    description: str
    permission: str  # "editor" or "reviewer": ClaimAdmin.has_<permission>_permission
    done: str  # "<done>: 3 claim(s)."
    run: Callable  # run(claim, user), raising WorkflowError to refuse


def _cluster_of(claim: Claim):
    if claim.cluster_id is None:
        raise workflow.WorkflowError(_("This claim is in no cluster."))
    return claim.cluster


def _split_off(claim: Claim, user) -> None:
    _cluster_of(claim)
    clusters.split_off(claim, actor=user)


BULK_ACTIONS = [
    BulkAction(
        "accept_claims",
        _("Accept selected claims for review (from triage)"),
        "editor",
        _("Accepted for review"),
        lambda claim, user: workflow.accept(claim, actor=user),
    ),
    BulkAction(
        "take_claims",
        _("Take selected claims (reviewers)"),
        "reviewer",
        _("Taken"),
        lambda claim, user: workflow.take(claim, actor=user),
    ),
    BulkAction(
        "requeue_claims",
        _("Re-queue selected claims"),
        "editor",
        _("Re-queued"),
        lambda claim, user: workflow.requeue(claim, actor=user),
    ),
    BulkAction(
        "dismiss_claims",
        _("Dismiss selected claims as not check-worthy"),
        "editor",
        _("Dismissed"),
        lambda claim, user: workflow.dismiss(claim, actor=user),
    ),
    BulkAction(
        "sign_off_claims",
        _("Sign off selected verdicts"),
        "editor",
        _("Signed off"),
        lambda claim, user: workflow.sign_off(claim, actor=user),
    ),
    BulkAction(
        "publish_claims",
        _("Publish selected verdicts"),
        "editor",
        _("Published"),
        lambda claim, user: workflow.publish(claim, actor=user),
    ),
    BulkAction(
        "raise_priority",
        _("Raise priority to high"),
        "editor",
        _("Prioritised"),
        lambda claim, user: workflow.set_priority(claim, Claim.Priority.HIGH, actor=user),
    ),
    # Clusters (review.clusters): the claim list filtered to one cluster is where an
    # editor picks its lead or splits claims off; merging is on the cluster list.
    BulkAction(
        "make_cluster_lead",
        _("Make the selected claim its cluster's lead"),
        "editor",
        _("Now leading their cluster"),
        lambda claim, user: clusters.set_lead(_cluster_of(claim), claim, actor=user),
    ),
    BulkAction(
        "split_off_cluster",
        _("Split selected claims off their cluster (another fact)"),
        "editor",
        _("Split off into a cluster of their own"),
        _split_off,
    ),
]


def bulk_action(spec: BulkAction):
    """The changelist action for ``spec``: run it on each selected claim, then report
    how many were done and each refusal (a refusal never stops the others)."""

    @admin.action(description=spec.description, permissions=[spec.permission])
    def action(modeladmin, request, queryset):
        done, refused = 0, []
        for claim in queryset:
            try:
                spec.run(claim, request.user)
                done += 1
            except workflow.WorkflowError as exc:
                refused.append(f"#{claim.pk}: {exc}")
        if done:
            modeladmin.message_user(
                request,
                _("%(done)s: %(n)d claim(s).") % {"done": spec.done, "n": done},
                messages.SUCCESS,
            )
        for line in refused:
            modeladmin.message_user(
                request, _("Refused %(line)s") % {"line": line}, messages.WARNING
            )

    action.__name__ = action.__qualname__ = spec.name
    return action


@admin.register(Claim)
class ClaimAdmin(KeepsHistoryOnDelete, admin.ModelAdmin):
    list_display = (
        "short_text",
        "article",
        "status",
        "assignee",
        "score_2dp",
        "claim_type",
        "speaker",
        "priority",
    )
    list_filter = (MyQueueFilter, "status", "claim_type", "assignee", "priority")
    search_fields = ("text", "speaker", "article__title")
    list_select_related = ("article", "assignee")
    list_per_page = 50
    readonly_fields = (
        "article",
        "text",
        "highlighted_context",
        "start",
        "end",
        "sentence_index",
        "score_2dp",
        "claim_type",
        "speaker",
        "numbers_readable",
        "entities_readable",
        "links_readable",
        "status",
        "version",
        "priority",
        "assignee",
        "research_notes",
        "dismiss_reason",
        "duplicate_of",
        "verdict",
        "cluster",
        "created_at",
        "status_changed_at",
        "assigned_at",
        "published_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "text",
                    "highlighted_context",
                    "article",
                    "status",
                    "assignee",
                    "priority",
                    "verdict",
                    "cluster",
                )
            },
        ),
        (
            "Extraction",
            {
                "fields": (
                    "score_2dp",
                    "claim_type",
                    "speaker",
                    "numbers_readable",
                    "entities_readable",
                    "links_readable",
                    "start",
                    "end",
                    "sentence_index",
                )
            },
        ),
        ("Research", {"fields": ("research_notes", "dismiss_reason", "duplicate_of")}),
        (
            "Timestamps",
            {
                "fields": (
                    "created_at",
                    "status_changed_at",
                    "assigned_at",
                    "published_at",
                    "version",
                )
            },
        ),
    )
    inlines = [VerdictInline, EvidenceInline, ClaimLogInline]
    actions = [bulk_action(spec) for spec in BULK_ACTIONS]
    change_form_template = "admin/claims/claim/change_form.html"
    # The template links to the desk's claim page in words; Django's "View on site"
    # button failed axe's link-in-text-block rule next to the workflow panel.
    view_on_site = False

    @admin.display(description=_("claim"))
    def short_text(self, obj):
        return str(obj)

    # Scores with the web app's precision; JSON fields as lists a person can read.
    @admin.display(description=_("score"), ordering="score")
    def score_2dp(self, obj):
        return floatformat(obj.score, 2)

    @admin.display(description=_("numbers"))
    def numbers_readable(self, obj):
        return numbers_html(obj.numbers)

    @admin.display(description=_("names, places and dates"))
    def entities_readable(self, obj):
        return entities_html(obj.entities)

    @admin.display(description=_("links"))
    def links_readable(self, obj):
        return links_html(obj.links)

    @admin.display(description=_("in context"))
    def highlighted_context(self, obj):
        # Only the claim's neighbourhood is read from the database, not the whole text.
        lo = max(0, obj.start - 300)
        snippet, length = Article.objects.filter(pk=obj.article_id).values_list(
            Substr("text", lo + 1, obj.end + 300 - lo), Length("text")
        ).first() or ("", 0)
        hi = lo + len(snippet)
        start, end = obj.start - lo, obj.end - lo
        return format_html(
            '<div style="max-width:60em;white-space:pre-wrap">{}<mark>{}</mark>{}</div>',
            ("…" if lo else "") + snippet[:start],
            snippet[start:end],
            snippet[end:] + ("…" if hi < length else ""),
        )

    def get_queryset(self, request):
        # Each row shows its article's title: never a copy of its text per row.
        qs = (
            super()
            .get_queryset(request)
            .select_related("article", "assignee")
            .defer("article__raw_html", "article__text", "article__links")
        )
        return visible_claims(request.user, qs)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def claims_of(self, pks):
        return pks

    def changelist_view(self, request, extra_context=None):
        # A reviewer's list opens on their own queue; the "Unassigned" filter shows
        # the claims they may take.
        user = request.user
        if (
            not workflow.is_editor(user)
            and workflow.is_reviewer(user)
            and MyQueueFilter.parameter_name not in request.GET
            and request.method == "GET"
        ):
            query = request.GET.copy()
            query[MyQueueFilter.parameter_name] = "mine"
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    # Who may run which bulk action (``BulkAction.permission``).
    def has_editor_permission(self, request):
        return workflow.is_editor(request.user)

    def has_reviewer_permission(self, request):
        return workflow.is_reviewer(request.user)

    # -- per-claim buttons ------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:claim_id>/act/<str:action>/",
                self.admin_site.admin_view(self.act_view),
                name="claims_claim_act",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            user = request.user
            names = [
                a.name for a in workflow.allowed_actions(claim, user) if a.name != "edit_research"
            ]
            if workflow.can_research(claim, user):
                names += ["edit_research", "add_evidence"]
            initial = {
                "set_priority": {"priority": claim.priority},
                "assign": {"reviewer": claim.assignee_id},
                "edit_research": {"research_notes": claim.research_notes},
            }
            extra_context["workflow_forms"] = [
                (
                    name,
                    _action_label(name),
                    ACTION_FORMS[name](
                        initial={"version": claim.version, **initial.get(name, {})}, prefix=name
                    ),
                )
                for name in names
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def act_view(self, request, claim_id, action):
        """Run one workflow action from a button on the claim's admin page."""
        claim = get_object_or_404(self.get_queryset(request), pk=claim_id)
        back = reverse("admin:claims_claim_change", args=[claim.pk])
        if request.method != "POST" or action not in ACTION_FORMS:
            return HttpResponseRedirect(back)
        form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    self.message_user(
                        request, f"{label}: {error}" if label else error, messages.ERROR
                    )
            return HttpResponseRedirect(back)
        claim.version = form.cleaned_data["version"]  # the version the user saw
        try:
            perform(action, claim, request.user, form.cleaned_data)
        except workflow.WorkflowError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, DONE_MESSAGES[action], messages.SUCCESS)
        return HttpResponseRedirect(back)


def _action_label(name: str) -> str:
    if name in workflow.ACTIONS:
        return workflow.ACTIONS[name].label
    return {"add_evidence": "Add evidence", "edit_research": "Save research notes"}.get(
        name, name.replace("_", " ").capitalize()
    )


@admin.register(ClaimLog)
class ClaimLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "claim_ref", "action", "actor_name", "from_status", "to_status")
    # Not the claim: a row whose claim was deleted before deletion was refused must
    # still be listed (a join on the claim would drop it).
    list_select_related = ("actor",)

    @admin.display(description=_("claim"), ordering="claim_id")
    def claim_ref(self, obj):
        text = getattr(obj, "claim_text", None)
        return f"#{obj.claim_id}: {text}" if text is not None else f"#{obj.claim_id} (deleted)"

    def get_queryset(self, request):
        # A reviewer sees the history of the claims they may see, no more; editors
        # see every row.
        qs = (
            super()
            .get_queryset(request)
            .annotate(
                claim_text=Subquery(
                    Claim.objects.filter(pk=OuterRef("claim_id")).values("text")[:1]
                )
            )
        )
        if workflow.is_editor(request.user):
            return qs
        return qs.filter(claim__in=visible_claims(request.user).values("pk"))

    list_filter = ("action",)
    search_fields = ("claim__text", "comment")
    readonly_fields = (
        "claim",
        "action",
        "actor",
        "from_status",
        "to_status",
        "comment",
        "details",
        "created_at",
    )

    @admin.display(description=_("details"))
    def details(self, obj):
        return data_html(obj.data)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "subject", "sent_at")
    readonly_fields = ("key", "recipient", "subject", "claim", "created_at", "sent_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
