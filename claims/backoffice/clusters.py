"""Clusters in the admin: the list (size, lead, outlets), each cluster's appearances
(read-only), and merging as a changelist action. Changing the lead and splitting a
claim off are actions on the claim list (``admin.BULK_ACTIONS``). Every change goes
through ``review.clusters`` with its log rows; nothing here writes a cluster."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Claim, ClaimCluster
from ..review import clusters, workflow
from ..review.access import visible_claims
from .admin import ReadOnlyInline

APPEARANCES_SHOWN = 100  # on a cluster's page; every one is in the claim list


class FirstAppearances(BaseInlineFormSet):
    """The oldest appearances only: a cluster's page costs the same at any size."""

    def get_queryset(self):
        return super().get_queryset()[:APPEARANCES_SHOWN]


class AppearanceInline(ReadOnlyInline):
    model = Claim
    fk_name = "cluster"
    formset = FirstAppearances
    fields = ("claim_link", "outlet", "headline", "status", "role", "created_at")
    ordering = ("created_at", "id")
    verbose_name = _("appearance")
    verbose_name_plural = _("appearances (oldest first)")

    def get_queryset(self, request):
        qs = (
            super()
            .get_queryset(request)
            .select_related("article", "cluster")
            .only(
                "id",
                "text",
                "status",
                "cluster__lead",
                "attached",
                "repeat_of_id",
                "appearance_added_at",
                "created_at",
                "article__title",
                "article__publisher",
            )
        )
        return visible_claims(request.user, qs)

    @admin.display(description=_("claim"))
    def claim_link(self, obj):
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:claims_claim_change", args=[obj.pk]),
            obj.pk,
            obj.text[:120],
        )

    @admin.display(description=_("outlet"))
    def outlet(self, obj):
        return obj.article.publisher or "—"

    @admin.display(description=_("headline"))
    def headline(self, obj):
        return obj.article.title or "—"

    @admin.display(description=_("role"))
    def role(self, obj):
        if obj.cluster.lead_id == obj.pk:
            return _("lead (reviewed)")
        if obj.repeat_of_id:
            return _("on the fact-check") if obj.appearance_added_at else _("repeat")
        return _("attached") if obj.attached else "—"


class MergeActionForm(ActionForm):
    target = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Into cluster"),
        help_text=_("Blank: the selected cluster already in review, else the oldest."),
        widget=forms.NumberInput(attrs={"style": "width:7em"}),
    )


def merge_target(chosen: list[ClaimCluster]) -> ClaimCluster:
    """Merge into the cluster whose review has begun (its lead may not be merged
    away), else into the oldest."""
    waiting = (*clusters.WAITING, Claim.Status.DISMISSED)
    begun = [c for c in chosen if c.lead is not None and c.lead.status not in waiting]
    return begun[0] if begun else min(chosen, key=lambda c: (c.created_at, c.pk))


@admin.register(ClaimCluster)
class ClaimClusterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "lead_text", "size", "outlets", "lead_status", "created_at")
    list_filter = ("lead__status",)
    search_fields = ("claims__text",)
    list_per_page = 50
    fields = (
        "lead",
        "lead_status",
        "size",
        "outlets",
        "appearances_link",
        "version",
        "created_at",
        "last_seen_at",
        "appearances_changed_at",
    )
    readonly_fields = fields
    inlines = [AppearanceInline]
    action_form = MergeActionForm
    actions = ["merge_clusters"]

    def get_queryset(self, request):
        # Outlets is a subquery: a GROUP BY would group on every column read.
        outlets = (
            Claim.objects.filter(cluster=OuterRef("pk"))
            .exclude(article__publisher="")
            .order_by()
            .values("cluster")
            .annotate(n=Count("article__publisher", distinct=True))
            .values("n")
        )
        qs = (
            super()
            .get_queryset(request)
            .select_related("lead")
            .defer("lead__facts", "lead__numbers", "lead__entities", "lead__links")
            .annotate(n_outlets=Coalesce(Subquery(outlets, output_field=IntegerField()), 0))
            .filter(size__gt=0)  # a cluster merged away keeps its id, and no claims
        )
        if workflow.is_editor(request.user):
            return qs
        return qs.filter(Exists(visible_claims(request.user).filter(cluster=OuterRef("pk"))))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_editor_permission(self, request):
        return workflow.is_editor(request.user)

    @admin.display(description=_("lead"))
    def lead_text(self, obj):
        return str(obj.lead) if obj.lead_id else "—"

    @admin.display(description=_("lead's status"), ordering="lead__status")
    def lead_status(self, obj):
        return obj.lead.get_status_display() if obj.lead_id else "—"

    @admin.display(description=_("outlets"), ordering="n_outlets")
    def outlets(self, obj):
        return obj.n_outlets

    @admin.display(description=_("all appearances"))
    def appearances_link(self, obj):
        """Where to change the lead or split claims off: the claim list's actions."""
        url = reverse("admin:claims_claim_changelist") + f"?cluster__id__exact={obj.pk}"
        return format_html(
            '<a href="{}" id="cluster-claims-link">{}</a>',
            url,
            _("See them in the claim list (to make one the lead, or split claims off)"),
        )

    @admin.action(description=_("Merge selected clusters into one"), permissions=["editor"])
    def merge_clusters(self, request, queryset):
        chosen = list(queryset.select_related("lead"))
        raw = request.POST.get("target", "").strip()
        if raw:
            target = self.get_queryset(request).filter(pk=raw if raw.isdigit() else 0).first()
            if target is None:
                self.message_user(
                    request, _("No such cluster: %(pk)s.") % {"pk": raw[:20]}, messages.ERROR
                )
                return
        elif len(chosen) < 2:
            self.message_user(
                request,
                _("Select two clusters or more, or name the cluster to merge into."),
                messages.ERROR,
            )
            return
        else:
            target = merge_target(chosen)
        moved, merged, refused = 0, [], []
        for other in chosen:
            if other.pk == target.pk:
                continue
            try:
                moved += clusters.merge(target, other, actor=request.user)
                merged.append(other.pk)
            except workflow.WorkflowError as exc:
                refused.append(f"#{other.pk}: {exc}")
            # The next merge sees the target as it now is (size, span, version).
            target = ClaimCluster.objects.select_related("lead").get(pk=target.pk)
        if merged:
            self.message_user(
                request,
                ngettext(
                    "Merged %(n)d cluster into cluster %(target)d: %(moved)d claim(s) moved.",
                    "Merged %(n)d clusters into cluster %(target)d: %(moved)d claim(s) moved.",
                    len(merged),
                )
                % {"n": len(merged), "target": target.pk, "moved": moved},
                messages.SUCCESS,
            )
        for line in refused:
            self.message_user(request, _("Refused %(line)s") % {"line": line}, messages.WARNING)
