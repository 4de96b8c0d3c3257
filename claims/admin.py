"""The Django admin as the back-office review desk.

Every state change goes through ``claims.workflow``: the claim page shows only
the buttons this user may press in this state, and changelist actions report
per-claim successes and refusals. Nothing here writes ``status`` directly.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from . import services, workflow
from .access import visible_claims
from .actions import ACTION_FORMS, DONE_MESSAGES, perform
from .models import Article, Claim, ClaimLog, Evidence, Notification, Verdict


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("sentence_index", "text", "status", "assignee", "score", "claim_type", "speaker")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("sentence_index",)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return visible_claims(request.user, super().get_queryset(request))


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
            return [], {}, set(), [
                f"the history of {n} claim(s): claims with history are kept, never "
                f"deleted (dismiss them instead)"
            ]
        return super().get_deleted_objects(objs, request)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ("url", "raw_html")


@admin.register(Article)
class ArticleAdmin(KeepsHistoryOnDelete, admin.ModelAdmin):
    list_display = ("__str__", "status", "claim_count", "submitted_by", "submitted_at")
    list_filter = ("status", "source")
    search_fields = ("title", "url", "text")
    readonly_fields = (
        "title", "publisher", "published_date", "source", "text", "links", "content_hash",
        "status", "error", "duplicate_of", "sentence_count", "submitted_by",
        "submitted_at", "extracted_at",
    )
    inlines = [ClaimInline]
    form = ArticleAdminForm

    def get_inlines(self, request, obj):
        return [ClaimInline] if obj is not None else []  # no claims before extraction

    def claims_of(self, pks):
        return Claim.objects.filter(article__in=pks).values("pk")

    list_select_related = ("submitted_by",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_claims=Count("claims"))

    @admin.display(description="claims", ordering="n_claims")
    def claim_count(self, obj):
        return obj.n_claims

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
            sub = services.submit_article(
                actor=request.user,
                html=form.cleaned_data.get("raw_html") or None,
                url=form.cleaned_data.get("url") or "",
                source=Article.Source.URL if not form.cleaned_data.get("raw_html")
                else Article.Source.PASTE,
            )
        except services.SubmissionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            obj.pk = None
            return
        obj.pk = sub.article.pk
        obj._created = sub.created
        if sub.duplicate:
            self.message_user(request, "This article was already submitted.", messages.WARNING)

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


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ("url", "document", "note", "added_by", "added_at")
    readonly_fields = ("url", "document", "note", "added_by", "added_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class VerdictInline(admin.TabularInline):
    model = Verdict
    fields = ("rating", "conclusion", "state", "proposed_by", "proposed_at",
              "decided_by", "decided_at", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ClaimLogInline(admin.TabularInline):
    model = ClaimLog
    fields = ("created_at", "action", "actor_name", "from_status", "to_status", "comment", "data")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("created_at", "id")
    verbose_name = "history entry"
    verbose_name_plural = "history"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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


@admin.register(Claim)
class ClaimAdmin(KeepsHistoryOnDelete, admin.ModelAdmin):
    list_display = ("short_text", "article", "status", "assignee", "score", "claim_type",
                    "speaker", "priority")
    list_filter = (MyQueueFilter, "status", "claim_type", "assignee", "priority")
    search_fields = ("text", "speaker", "article__title")
    list_select_related = ("article", "assignee")
    readonly_fields = (
        "article", "text", "highlighted_context", "start", "end", "sentence_index", "score",
        "claim_type", "speaker", "numbers", "entities", "links", "status", "version",
        "priority", "assignee", "research_notes", "dismiss_reason", "duplicate_of",
        "verdict", "created_at", "status_changed_at", "assigned_at", "published_at",
    )
    fieldsets = (
        (None, {"fields": ("text", "highlighted_context", "article", "status", "assignee",
                           "priority", "verdict")}),
        ("Extraction", {"fields": ("score", "claim_type", "speaker", "numbers", "entities",
                                   "links", "start", "end", "sentence_index")}),
        ("Research", {"fields": ("research_notes", "dismiss_reason", "duplicate_of")}),
        ("Timestamps", {"fields": ("created_at", "status_changed_at", "assigned_at",
                                   "published_at", "version")}),
    )
    inlines = [VerdictInline, EvidenceInline, ClaimLogInline]
    actions = ["take_claims", "requeue_claims", "dismiss_claims", "sign_off_claims",
               "publish_claims", "raise_priority"]
    change_form_template = "admin/claims/claim/change_form.html"

    @admin.display(description="claim")
    def short_text(self, obj):
        return str(obj)

    @admin.display(description="in context")
    def highlighted_context(self, obj):
        text = obj.article.text
        lo = max(0, obj.start - 300)
        hi = min(len(text), obj.end + 300)
        return format_html(
            '<div style="max-width:60em;white-space:pre-wrap">{}<mark>{}</mark>{}</div>',
            ("…" if lo else "") + text[lo:obj.start],
            text[obj.start:obj.end],
            text[obj.end:hi] + ("…" if hi < len(text) else ""),
        )

    def get_queryset(self, request):
        return visible_claims(request.user, super().get_queryset(request))

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

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not workflow.is_editor(request.user):
            for name in ("requeue_claims", "dismiss_claims", "sign_off_claims",
                         "publish_claims", "raise_priority"):
                actions.pop(name, None)
        if not workflow.is_reviewer(request.user):
            actions.pop("take_claims", None)
        return actions

    # -- changelist actions, all through workflow -------------------------

    def _bulk(self, request, queryset, label, fn):
        done, refused = 0, []
        for claim in queryset:
            try:
                fn(claim)
                done += 1
            except workflow.WorkflowError as exc:
                refused.append(f"#{claim.pk}: {exc}")
        if done:
            self.message_user(request, f"{label}: {done} claim(s).", messages.SUCCESS)
        for line in refused:
            self.message_user(request, f"Refused {line}", messages.WARNING)

    @admin.action(description="Take selected claims (reviewers)")
    def take_claims(self, request, queryset):
        self._bulk(request, queryset, "Taken", lambda c: workflow.take(c, actor=request.user))

    @admin.action(description="Re-queue selected claims")
    def requeue_claims(self, request, queryset):
        self._bulk(request, queryset, "Re-queued",
                   lambda c: workflow.requeue(c, actor=request.user))

    @admin.action(description="Dismiss selected claims as not check-worthy")
    def dismiss_claims(self, request, queryset):
        self._bulk(request, queryset, "Dismissed",
                   lambda c: workflow.dismiss(c, actor=request.user))

    @admin.action(description="Sign off selected verdicts")
    def sign_off_claims(self, request, queryset):
        self._bulk(request, queryset, "Signed off",
                   lambda c: workflow.sign_off(c, actor=request.user))

    @admin.action(description="Publish selected verdicts")
    def publish_claims(self, request, queryset):
        self._bulk(request, queryset, "Published",
                   lambda c: workflow.publish(c, actor=request.user))

    @admin.action(description="Raise priority to high")
    def raise_priority(self, request, queryset):
        self._bulk(request, queryset, "Prioritised",
                   lambda c: workflow.set_priority(c, Claim.Priority.HIGH, actor=request.user))

    # -- per-claim buttons ------------------------------------------------

    def get_urls(self):
        return [
            path("<int:claim_id>/act/<str:action>/",
                 self.admin_site.admin_view(self.act_view),
                 name="claims_claim_act"),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if claim is not None:
            user = request.user
            names = [a.name for a in workflow.allowed_actions(claim, user)
                     if a.name != "edit_research"]
            if workflow.can_research(claim, user):
                names += ["edit_research", "add_evidence"]
            initial = {"set_priority": {"priority": claim.priority},
                       "assign": {"reviewer": claim.assignee_id},
                       "edit_research": {"research_notes": claim.research_notes}}
            extra_context["workflow_forms"] = [
                (name, _action_label(name), ACTION_FORMS[name](
                    initial={"version": claim.version, **initial.get(name, {})},
                    prefix=name))
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
                    self.message_user(request, f"{label}: {error}" if label else error,
                                      messages.ERROR)
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
        name, name.replace("_", " ").capitalize())


@admin.register(ClaimLog)
class ClaimLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "claim_ref", "action", "actor_name", "from_status",
                    "to_status")
    # Not the claim: a row whose claim was deleted before deletion was refused must
    # still be listed (a join on the claim would drop it).
    list_select_related = ("actor",)

    @admin.display(description="claim", ordering="claim_id")
    def claim_ref(self, obj):
        text = getattr(obj, "claim_text", None)
        return f"#{obj.claim_id}: {text}" if text is not None else f"#{obj.claim_id} (deleted)"

    def get_queryset(self, request):
        # A reviewer sees the history of the claims they may see, no more; editors
        # see every row.
        qs = super().get_queryset(request).annotate(claim_text=Subquery(
            Claim.objects.filter(pk=OuterRef("claim_id")).values("text")[:1]))
        if workflow.is_editor(request.user):
            return qs
        return qs.filter(claim__in=visible_claims(request.user).values("pk"))
    list_filter = ("action",)
    search_fields = ("claim__text", "comment")
    readonly_fields = ("claim", "action", "actor", "from_status", "to_status", "comment",
                       "data", "created_at")

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


from . import admin_webhooks  # noqa: E402,F401
