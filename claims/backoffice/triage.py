"""Triage settings in the admin: the rule for manual submissions (one row) and each
reviewer's daily cap. Sources carry their own rule (``backoffice/sources.py``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin

from ..models import ManualTriageRule, ReviewerCapacity


@admin.register(ManualTriageRule)
class ManualTriageRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "triage_rule", "triage_top_n", "triage_min_score", "beat")

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ManualTriageRule.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        ManualTriageRule.load()  # the one row always exists to be edited
        return super().changelist_view(request, extra_context)


@admin.register(ReviewerCapacity)
class ReviewerCapacityAdmin(admin.ModelAdmin):
    list_display = ("user", "daily_cap")
    autocomplete_fields = ()
    search_fields = ("user__username",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields[
            "daily_cap"
        ].help_text += f" Without a row here a reviewer's cap is {settings.REVIEWER_DAILY_CAP}."
        return form
