"""/api/triage/: the triage inbox for editors: list it ranked, accept or dismiss in
bulk, and edit the rule for manual submissions. One claim at a time is
``/api/claims/<id>/actions/accept/`` (and ``dismiss``), like every transition."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Claim, ManualTriageRule
from ..review import triage, workflow
from .permissions import IsDeskUser, IsEditor
from .views import ERRORS, Pagination


class TriageClaimSerializer(serializers.ModelSerializer):
    article_title = serializers.CharField(source="article.title", read_only=True)
    source_name = serializers.CharField(source="source.name", read_only=True, default=None)

    class Meta:
        model = Claim
        fields = (
            "id",
            "article",
            "article_title",
            "text",
            "speaker",
            "score",
            "source",
            "source_name",
            "beat",
            "triage_priority",
            "triage_reasons",
            "version",
            "created_at",
        )
        read_only_fields = fields


class TriageFilterSerializer(serializers.Serializer):
    source = serializers.CharField(required=False, max_length=20, help_text='An id or "manual".')
    beat = serializers.CharField(required=False, max_length=60)
    min_score = serializers.FloatField(required=False, min_value=0, max_value=1)
    claimant = serializers.CharField(required=False, max_length=100)


class BulkTriageSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=workflow.MAX_BULK
    )
    reason = serializers.ChoiceField(
        choices=[r for r in Claim.DismissReason.values if r != Claim.DismissReason.DUPLICATE],
        default=Claim.DismissReason.NOT_CHECKWORTHY,
        help_text="For dismiss.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BulkOutcomeSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    refused = serializers.DictField(child=serializers.CharField(), help_text="id: why")


class ManualRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ManualTriageRule
        fields = ("triage_rule", "triage_top_n", "triage_min_score", "beat", "beat_weight")


class TriageViewSet(viewsets.GenericViewSet):
    permission_classes = [IsDeskUser, IsEditor]
    pagination_class = Pagination
    serializer_class = TriageClaimSerializer

    @extend_schema(
        summary="The triage inbox, highest priority first, with counts per source and beat",
        parameters=[
            OpenApiParameter("source", str, description='A source id, or "manual".'),
            OpenApiParameter("beat", str),
            OpenApiParameter("min_score", float),
            OpenApiParameter("claimant", str, description="Part of the speaker's name."),
        ],
        responses={200: TriageClaimSerializer(many=True), **ERRORS},
    )
    def list(self, request, format=None):
        f = TriageFilterSerializer(data=request.query_params)
        f.is_valid(raise_exception=True)
        qs = triage.inbox(triage.InboxFilter(**f.validated_data)).select_related(
            "article", "source"
        )
        qs = qs.defer("article__raw_html", "article__text", "article__links")
        page = self.paginate_queryset(qs)
        response = self.get_paginated_response(TriageClaimSerializer(page, many=True).data)
        counts = triage.inbox_counts()
        response.data["counts"] = {
            "total": counts.total,
            "by_source": [{"source": v, "name": n, "count": c} for v, n, c in counts.by_source],
            "by_beat": [{"beat": b, "count": c} for b, c in counts.by_beat],
        }
        return response

    def _bulk(self, request, run):
        form = BulkTriageSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        outcome = run(form.validated_data)
        return Response({"done": outcome.done, "refused": outcome.refused})

    @extend_schema(
        summary="Accept claims for review (one transaction, a log row each)",
        request=BulkTriageSerializer,
        responses={200: BulkOutcomeSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def accept(self, request, format=None):
        return self._bulk(
            request,
            lambda d: workflow.accept_many(
                d["ids"], actor=request.user, comment=d.get("comment", "")
            ),
        )

    @extend_schema(
        summary="Dismiss claims with a reason (one transaction, a log row each)",
        request=BulkTriageSerializer,
        responses={200: BulkOutcomeSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def dismiss(self, request, format=None):
        return self._bulk(
            request,
            lambda d: workflow.dismiss_many(
                d["ids"], actor=request.user, reason=d["reason"], comment=d.get("comment", "")
            ),
        )

    @extend_schema(
        summary="The triage rule for manual submissions",
        request=ManualRuleSerializer,
        responses={200: ManualRuleSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get", "put"])
    def rule(self, request, format=None):
        rule = ManualTriageRule.load()
        if request.method == "PUT":
            form = ManualRuleSerializer(rule, data=request.data)
            form.is_valid(raise_exception=True)
            form.save()
        return Response(ManualRuleSerializer(rule).data)
