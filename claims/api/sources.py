"""/api/sources/: monitored feeds and sitemaps, for editors."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import outbox
from ..intake import sources
from ..models import Source, SourceItem
from .permissions import IsDeskUser, IsEditor
from .serializers import UserRefSerializer
from .views import ERRORS, ID, Pagination


class SourceSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)
    new_count = serializers.IntegerField(read_only=True)
    duplicate_count = serializers.IntegerField(read_only=True)
    failed_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Source
        fields = (
            "id",
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
            "last_polled_at",
            "next_poll_at",
            "last_error",
            "new_count",
            "duplicate_count",
            "failed_count",
            "created_by",
            "created_at",
        )
        read_only_fields = (
            "id",
            "last_polled_at",
            "next_poll_at",
            "last_error",
            "created_by",
            "created_at",
        )

    def validate_url(self, url):
        sources.validate_source_url(url)  # SubmissionError answers 400
        return url


class SourceItemSerializer(serializers.ModelSerializer):
    outcome = serializers.CharField(
        source="final_outcome",
        read_only=True,
        help_text="new, duplicate or failed, as it turned out",
    )
    reason = serializers.CharField(source="final_reason", read_only=True)

    class Meta:
        model = SourceItem
        fields = ("id", "url", "article", "outcome", "reason", "seen_at")
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Monitored sources with their item counts",
        responses={200: SourceSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(summary="A source", responses={200: SourceSerializer, **ERRORS}),
)
class SourceViewSet(viewsets.ModelViewSet):
    permission_classes = [IsDeskUser, IsEditor]
    serializer_class = SourceSerializer
    lookup_value_regex = ID
    pagination_class = Pagination

    def get_queryset(self):
        return Source.objects.select_related("created_by").with_counts()

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        source = self.get_queryset().get(pk=serializer.instance.pk)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Poll this source now", request=None, responses={202: SourceSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def poll(self, request, pk=None, format=None):
        source = self.get_object()
        with transaction.atomic():
            sources.request_poll(source)
            outbox.send_on_commit(outbox.POLL_SOURCES)
        source.refresh_from_db(fields=["next_poll_at"])
        return Response(SourceSerializer(source).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="What became of each item this source listed, newest first",
        parameters=[
            OpenApiParameter(
                "outcome", enum=SourceItem.Outcome.values, description="as recorded at submission"
            )
        ],
        responses={200: SourceItemSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def items(self, request, pk=None, format=None):
        source = self.get_object()
        qs = source.items.select_related("article").defer(
            "article__raw_html", "article__text", "article__links"
        )
        if request.query_params.get("outcome") in SourceItem.Outcome.values:
            qs = qs.filter(outcome=request.query_params["outcome"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(SourceItemSerializer(page, many=True).data)
