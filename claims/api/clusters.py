"""/api/clusters/: one claim across many outlets. Desk users read the clusters of the
claims they may see; editors change the lead and merge clusters (splitting a claim
off is ``POST /api/claims/<id>/split-off/``). Each change is a workflow function in
``review/clusters.py`` with a log row per claim, under the cluster's ``version``."""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from ..models import Claim, ClaimCluster
from ..publishing import pages
from ..review import clusters, workflow
from ..review.access import visible_claims
from .permissions import IsDeskUser, IsEditor
from .serializers import MAX_ID, SafeURLField
from .views import ARTICLE_BIG_COLUMNS, CONFLICT, ERRORS, ID, Pagination

S = Claim.Status
MAX_OUTLETS = 100  # outlets named in a cluster's detail; outlet_count counts them all


class ClaimRefSerializer(serializers.ModelSerializer):
    checked_text = serializers.CharField(source="as_checked", read_only=True)

    class Meta:
        model = Claim
        fields = ("id", "text", "checked_text", "status", "version")
        read_only_fields = fields


class AppearanceArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = SafeURLField()
    publisher = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField(), help_text="The byline.")
    published_date = serializers.DateField(allow_null=True)


class AppearanceSerializer(serializers.ModelSerializer):
    """One appearance of the cluster's fact: the claim, where it ran and its state."""

    checked_text = serializers.CharField(source="as_checked", read_only=True)
    article = AppearanceArticleSerializer(read_only=True)
    is_lead = serializers.SerializerMethodField()
    on_fact_check = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = (
            "id",
            "text",
            "checked_text",
            "speaker",
            "claimant",
            "status",
            "version",
            "is_lead",
            "attached",
            "repeat_of",
            "appearance_added_at",
            "on_fact_check",
            "created_at",
            "article",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_is_lead(self, claim) -> bool:
        return claim.pk == self.context["cluster"].lead_id

    @extend_schema_field(serializers.BooleanField())
    def get_on_fact_check(self, claim) -> bool:
        """Listed on the published fact-check (its page and ClaimReview ``appearance``):
        every appearance from before publication, and repeats an editor added."""
        if not self.context["published"] or claim.status == S.DISMISSED:
            return False
        return claim.repeat_of_id is None or claim.appearance_added_at is not None


class ClusterSerializer(serializers.ModelSerializer):
    lead = serializers.SerializerMethodField()
    fact_check = serializers.SerializerMethodField()

    class Meta:
        model = ClaimCluster
        fields = (
            "id",
            "version",
            "size",
            "lead_id",
            "lead",
            "fact_check",
            "created_at",
            "last_seen_at",
            "appearances_changed_at",
        )
        read_only_fields = fields

    @extend_schema_field(ClaimRefSerializer(allow_null=True))
    def get_lead(self, cluster):
        """The claim reviewed for the cluster; null if you may not see it."""
        lead = cluster.lead
        if lead is None or lead.pk not in self.context["visible_leads"]:
            return None
        return ClaimRefSerializer(lead).data

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_fact_check(self, cluster):
        """The published fact-check covering the cluster, if its lead is published."""
        lead = cluster.lead
        if lead is None or lead.status != S.PUBLISHED or not lead.verdict_id:
            return None
        return {
            "claim": lead.pk,
            "rating": lead.verdict.rating,
            "published_at": lead.published_at,
            "url": pages.public_url(lead),
        }


class ClusterListSerializer(ClusterSerializer):
    outlet_count = serializers.IntegerField(read_only=True, help_text="Outlets carrying it.")

    class Meta(ClusterSerializer.Meta):
        fields = (*ClusterSerializer.Meta.fields, "outlet_count")
        read_only_fields = fields


class ClusterDetailSerializer(ClusterSerializer):
    outlet_count = serializers.IntegerField(help_text="Outlets among the appearances you see.")
    outlets = serializers.ListField(
        child=serializers.DictField(),
        help_text=f"{{publisher, appearances}}, most appearances first (at most {MAX_OUTLETS}).",
    )
    pending_repeats = serializers.IntegerField(
        help_text="Repeats of the published fact-check nobody has added or dismissed yet."
    )
    appearances = serializers.DictField(
        help_text="A page of appearances, oldest first: {count, next, previous, results}. "
        "`?page=N&page_size=M` (at most 200)."
    )

    class Meta(ClusterSerializer.Meta):
        fields = (
            *ClusterSerializer.Meta.fields,
            "outlet_count",
            "outlets",
            "pending_repeats",
            "appearances",
        )
        read_only_fields = fields


class ClusterFilterSerializer(serializers.Serializer):
    ORDERINGS = ("-last_seen_at", "-size", "-created_at", "created_at")

    min_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    published = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Has a published verdict."
    )
    since = serializers.DateTimeField(required=False, help_text="Last seen at or after.")
    ordering = serializers.ChoiceField(choices=ORDERINGS, default="-last_seen_at")


class LeadActionSerializer(serializers.Serializer):
    claim = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The cluster version you saw (else 409)."
    )
    claim_version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The claim version you saw."
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MergeActionSerializer(serializers.Serializer):
    other = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The cluster whose claims move into this one."
    )
    version = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="This cluster's version you saw (else 409)."
    )
    other_version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The other's version you saw."
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MergeOutcomeSerializer(ClusterDetailSerializer):
    moved = serializers.IntegerField()

    class Meta(ClusterDetailSerializer.Meta):
        fields = (*ClusterDetailSerializer.Meta.fields, "moved")
        read_only_fields = fields


def check_cluster_version(cluster: ClaimCluster, version: int | None) -> None:
    """Optimistic lock: the client must have seen the current version. The workflow's
    conditional update catches a change between this check and the write."""
    if version is not None:
        if version != cluster.version:
            raise clusters.StaleCluster()
        cluster.version = version


class ClusterViewSet(viewsets.GenericViewSet):
    permission_classes = [IsDeskUser]
    pagination_class = Pagination
    serializer_class = ClusterSerializer
    lookup_value_regex = ID

    def visible(self):
        """The clusters with at least one claim this user may see (the desk's rule)."""
        qs = ClaimCluster.objects.select_related("lead__verdict").defer(
            "lead__facts", "lead__numbers", "lead__entities", "lead__links"
        )
        if workflow.is_editor(self.request.user):
            return qs.filter(size__gt=0)
        shown = visible_claims(self.request.user).filter(cluster=OuterRef("pk"))
        return qs.filter(Exists(shown))

    def get_cluster(self, pk) -> ClaimCluster:
        """A cluster this user may see; 404 for one that does not exist for them."""
        cluster = self.visible().filter(pk=pk).first()
        if cluster is None:
            raise NotFound(_("No such cluster: %(pk)s.") % {"pk": pk})
        return cluster

    def _context(self, cluster_list):
        lead_ids = [c.lead_id for c in cluster_list if c.lead_id]
        visible_leads = set(
            visible_claims(self.request.user).filter(pk__in=lead_ids).values_list("pk", flat=True)
        )
        return {**self.get_serializer_context(), "visible_leads": visible_leads}

    @extend_schema(
        summary="List clusters you can see, most recently seen first",
        parameters=[
            OpenApiParameter("min_size", int, description="At least this many claims."),
            OpenApiParameter("published", bool, description="Has a published verdict (or not)."),
            OpenApiParameter("since", str, description="Last seen at or after (ISO 8601)."),
            OpenApiParameter("ordering", enum=list(ClusterFilterSerializer.ORDERINGS)),
        ],
        responses={200: ClusterListSerializer(many=True), **ERRORS},
    )
    def list(self, request, format=None):
        f = ClusterFilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        qs = self.visible()
        if d.get("min_size"):
            qs = qs.filter(size__gte=d["min_size"])
        if d.get("published") is True:
            qs = qs.filter(lead__status=S.PUBLISHED)
        elif d.get("published") is False:
            qs = qs.exclude(lead__status=S.PUBLISHED)
        if d.get("since"):
            qs = qs.filter(last_seen_at__gte=d["since"])
        outlets = (
            Claim.objects.filter(cluster=OuterRef("pk"))
            .exclude(article__publisher="")
            .order_by()
            .values("cluster")
            .annotate(n=Count("article__publisher", distinct=True))
            .values("n")
        )
        qs = qs.annotate(outlet_count=Coalesce(Subquery(outlets, output_field=IntegerField()), 0))
        page = self.paginate_queryset(qs.order_by(d["ordering"], "-id"))
        data = ClusterListSerializer(page, many=True, context=self._context(page)).data
        return self.get_paginated_response(data)

    def _detail(self, cluster: ClaimCluster, **extra):
        """A cluster with its outlets and one page of appearances, all read from the
        claims this user may see; memory is bounded by the page size."""
        request = self.request
        shown = visible_claims(request.user).filter(cluster=cluster)
        outlets = (
            shown.exclude(article__publisher="")
            .values("article__publisher")
            .annotate(n=Count("id"))
            .order_by("-n", "article__publisher")
        )
        published = cluster.lead is not None and cluster.lead.status == S.PUBLISHED
        appearances = (
            shown.select_related("article")
            .defer(*ARTICLE_BIG_COLUMNS, "facts", "numbers", "entities", "links")
            .order_by("created_at", "pk")
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(appearances, request, view=self)
        context = {**self._context([cluster]), "cluster": cluster, "published": published}
        data = dict(ClusterSerializer(cluster, context=context).data)
        data.update(
            outlet_count=outlets.count(),
            outlets=[
                {"publisher": o["article__publisher"], "appearances": o["n"]}
                for o in outlets[:MAX_OUTLETS]
            ],
            pending_repeats=clusters.pending_repeats().filter(pk__in=shown.values("pk")).count(),
            appearances=paginator.get_paginated_response(
                AppearanceSerializer(page, many=True, context=context).data
            ).data,
            **extra,
        )
        return Response(data)

    @extend_schema(
        summary="A cluster: its lead, outlets and every appearance (paged)",
        parameters=[
            OpenApiParameter("page", int, description="The page of appearances."),
            OpenApiParameter("page_size", int, description="Appearances a page (50; ≤ 200)."),
        ],
        responses={200: ClusterDetailSerializer, **ERRORS},
    )
    def retrieve(self, request, pk=None, format=None):
        return self._detail(self.get_cluster(pk))

    @extend_schema(
        summary="Make another claim of the cluster its lead (the one reviewed)",
        description="Only while the current lead waits for review, and the new lead too. "
        "Logged on both claims (`claim.lead_changed`).",
        request=LeadActionSerializer,
        responses={200: ClusterDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsDeskUser, IsEditor])
    def lead(self, request, pk=None, format=None):
        cluster = self.get_cluster(pk)
        form = LeadActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        claim = get_object_or_404(visible_claims(request.user), pk=d["claim"])
        check_cluster_version(cluster, d["version"])
        if d.get("claim_version") is not None and d["claim_version"] != claim.version:
            raise workflow.StaleClaim()
        clusters.set_lead(cluster, claim, actor=request.user, comment=d.get("comment") or "")
        return self._detail(self.get_cluster(pk))

    @extend_schema(
        summary="Merge another cluster into this one",
        description="Every claim of `other` moves here, attached to this cluster's review "
        "(a `claim.cluster_merged` log row each). 400: merging a cluster into itself, an "
        "emptied cluster, or one more than `CLUSTER_WINDOW_DAYS` apart; 409: either "
        "cluster changed since you saw it, or `other`'s claim is already in review.",
        request=MergeActionSerializer,
        responses={200: MergeOutcomeSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsDeskUser, IsEditor])
    def merge(self, request, pk=None, format=None):
        cluster = self.get_cluster(pk)
        form = MergeActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        other = self.get_cluster(d["other"])
        check_cluster_version(cluster, d["version"])
        check_cluster_version(other, d.get("other_version"))
        moved = clusters.merge(cluster, other, actor=request.user, comment=d.get("comment") or "")
        return self._detail(self.get_cluster(pk), moved=moved)
