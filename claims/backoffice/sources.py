"""Admin for monitored sources: add feeds and sitemaps, see their counts, poll now."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .. import outbox
from ..intake import sources, submission
from ..models import Source, SourceItem


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = (
            "name",
            "url",
            "kind",
            "poll_interval_minutes",
            "active",
            "triage_rule",
            "triage_top_n",
            "triage_min_score",
            "beat",
            "beat_weight",
        )

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            sources.validate_source_url(url)
        except submission.SubmissionError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return url


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = (
        "name",
        "kind",
        "url",
        "active",
        "triage_rule",
        "beat",
        "poll_interval_minutes",
        "last_polled_at",
        "next_poll_at",
        "new_items",
        "duplicate_items",
        "failed_items",
        "last_error",
    )
    list_filter = ("active", "kind")
    search_fields = ("name", "url")
    readonly_fields = ("last_polled_at", "next_poll_at", "last_error", "created_by", "created_at")
    actions = ["poll_now"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("new"), ordering="new_count")
    def new_items(self, obj):
        return obj.new_count

    @admin.display(description=_("duplicate"), ordering="duplicate_count")
    def duplicate_items(self, obj):
        return obj.duplicate_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed_items(self, obj):
        return obj.failed_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Poll the selected sources now"), permissions=["change"])
    def poll_now(self, request, queryset):
        n = 0
        for source in queryset.filter(active=True):
            sources.request_poll(source)
            n += 1
        if n:
            outbox.send_on_commit(outbox.POLL_SOURCES)
            self.message_user(
                request,
                _("Polling %(n)d sources now.") % {"n": n},
                messages.SUCCESS,
            )
        skipped = queryset.count() - n
        if skipped:
            self.message_user(
                request,
                _("%(n)d inactive sources were left alone.") % {"n": skipped},
                messages.WARNING,
            )


@admin.register(SourceItem)
class SourceItemAdmin(admin.ModelAdmin):
    list_display = ("seen_at", "source", "url", "outcome", "reason", "article")
    list_filter = ("outcome", "source")
    list_select_related = ("source", "article")
    search_fields = ("url", "reason")
    readonly_fields = ("source", "url", "article", "outcome", "reason", "seen_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("article__raw_html", "article__text", "article__links")
        )
