"""API endpoints. Short: they read, or validate input and call submission and workflow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from ..intake import submission
from ..models import (
    Article,
    Claim,
    ClaimLog,
    Evidence,
    Verdict,
    Webhook,
    WebhookDelivery,
)
from ..publishing import webhooks
from ..review import clusters, matching, workflow
from ..review.access import visible_claims
from ..review.queries import UNASSIGNED, filter_claims
from . import serializers as s
from .errors import Conflict
from .permissions import CanSubmitArticles, IsDeskUser, IsEditor

ID = "[0-9]{1,18}"
ARTICLE_BIG_COLUMNS = ("article__raw_html", "article__text", "article__links")
ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description="Invalid input or refused."),
    401: OpenApiResponse(s.ErrorSerializer, description="Not signed in."),
    403: OpenApiResponse(s.ErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found (or not visible)."),
}
CONFLICT = {
    409: OpenApiResponse(
        s.ErrorSerializer, description="Wrong state, or the claim changed (reload)."
    )
}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def check_version(claim: Claim, version: int | None) -> None:
    """Optimistic lock: the client must have seen the current version."""
    if version is not None and version != claim.version:
        raise workflow.StaleClaim()


# ---------------------------------------------------------------------------
# Articles


def _articles():
    """Articles with their claim count; the raw HTML is never read here.

    The count is a subquery rather than a GROUP BY, which would group on every
    selected column, the article's text included.
    """
    count = (
        Claim.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Article.objects.select_related("submitted_by")
        .defer("raw_html")
        .annotate(claim_count=Coalesce(Subquery(count), 0))
        .order_by("-submitted_at", "-id")
    )


@extend_schema_view(
    list=extend_schema(
        summary="List articles", responses={200: s.ArticleSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(
        summary="An article with the claims you can see",
        responses={200: s.ArticleDetailSerializer, **ERRORS},
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsDeskUser, CanSubmitArticles]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    pagination_class = Pagination
    lookup_value_regex = ID

    def get_queryset(self):
        qs = _articles()
        if self.action == "list":  # a list shows no text
            qs = qs.defer("text", "links")
            article_status = self.request.query_params.get("status")
            if article_status in Article.Status.values:
                qs = qs.filter(status=article_status)
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ArticleDetailSerializer
        if self.action == "create":
            return s.ArticleCreateSerializer
        return s.ArticleSerializer

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "visible_claims": visible_claims(self.request.user),
        }

    @extend_schema(
        summary="Submit an article",
        description="JSON `{html, url?}`, or `{url}` to fetch it, or multipart with `file`. "
        "The same article twice returns the existing one (200, duplicate=true).",
        request={
            "application/json": s.ArticleCreateSerializer,
            "multipart/form-data": s.ArticleCreateSerializer,
        },
        responses={201: s.SubmissionSerializer, 200: s.SubmissionSerializer, **ERRORS},
    )
    def create(self, request):
        form = s.ArticleCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        url = d.get("url") or ""
        if d.get("file") is not None:
            sub = submission.submit_article(
                actor=request.user, html=d["file"], url=url, source=Article.Source.UPLOAD
            )
        elif d.get("html"):
            sub = submission.submit_article(
                actor=request.user, html=d["html"], url=url, source=Article.Source.API
            )
        else:
            sub = submission.submit_article(actor=request.user, url=url, source=Article.Source.API)
        article = _articles().get(pk=sub.article.pk)
        article.duplicate = sub.duplicate
        data = s.SubmissionSerializer(article, context=self.get_serializer_context()).data
        return Response(
            data, status=status.HTTP_200_OK if sub.duplicate else status.HTTP_201_CREATED
        )


# ---------------------------------------------------------------------------
# Claims


def _with_detail(claims):
    """What ClaimDetailSerializer reads, fetched in a fixed number of queries."""
    return claims.select_related("verdict__proposed_by", "verdict__decided_by").prefetch_related(
        Prefetch("verdicts", Verdict.objects.select_related("proposed_by", "decided_by")),
        Prefetch("evidence", Evidence.objects.current().select_related("added_by")),
        Prefetch("log", ClaimLog.objects.select_related("actor")),
    )


@dataclass(frozen=True)
class Transition:
    serializer: type
    run: Callable  # (claim, validated data, actor) -> anything


def _opt(d, key):
    return d.get(key) or ""


TRANSITIONS: dict[str, Transition] = {
    "assign": Transition(
        s.AssignActionSerializer,
        lambda c, d, u: workflow.assign(c, d["reviewer"], actor=u, comment=_opt(d, "comment")),
    ),
    "accept": Transition(
        s.CommentActionSerializer,
        lambda c, d, u: workflow.accept(c, actor=u, comment=_opt(d, "comment")),
    ),
    "take": Transition(s.ActionSerializer, lambda c, d, u: workflow.take(c, actor=u)),
    "start_review": Transition(
        s.ActionSerializer, lambda c, d, u: workflow.start_review(c, actor=u)
    ),
    "propose": Transition(
        s.ProposeActionSerializer,
        lambda c, d, u: workflow.propose_verdict(
            c,
            actor=u,
            rating=d["rating"],
            conclusion=d["conclusion"],
            explanation=_opt(d, "explanation"),
            sources=d.get("sources") or [],
        ),
    ),
    "send_back": Transition(
        s.SendBackActionSerializer,
        lambda c, d, u: workflow.send_back(c, actor=u, comment=d["comment"]),
    ),
    "sign_off": Transition(
        s.CommentActionSerializer,
        lambda c, d, u: workflow.sign_off(c, actor=u, comment=_opt(d, "comment")),
    ),
    "publish": Transition(
        s.CommentActionSerializer,
        lambda c, d, u: workflow.publish(c, actor=u, comment=_opt(d, "comment")),
    ),
    "reopen": Transition(
        s.ReopenActionSerializer, lambda c, d, u: workflow.reopen(c, actor=u, reason=d["reason"])
    ),
    "dismiss": Transition(
        s.DismissActionSerializer,
        lambda c, d, u: workflow.dismiss(
            c, actor=u, reason=d["reason"], comment=_opt(d, "comment")
        ),
    ),
    "mark_duplicate": Transition(
        s.MarkDuplicateActionSerializer,
        lambda c, d, u: workflow.mark_duplicate(
            c, d["duplicate_of"], actor=u, comment=_opt(d, "comment")
        ),
    ),
    "requeue": Transition(
        s.CommentActionSerializer,
        lambda c, d, u: workflow.requeue(c, actor=u, comment=_opt(d, "comment")),
    ),
    "set_priority": Transition(
        s.SetPriorityActionSerializer,
        lambda c, d, u: workflow.set_priority(c, int(d["priority"]), actor=u),
    ),
    # A claim the flood cap held back goes to the reviewers' queue.
    "queue_held": Transition(
        s.CommentActionSerializer,
        lambda c, d, u: workflow.queue_held(c, actor=u, comment=_opt(d, "comment")),
    ),
}


def _claim_list_parameters():
    return [
        OpenApiParameter("status", enum=Claim.Status.values),
        OpenApiParameter("claim_type", enum=Claim.Type.values),
        OpenApiParameter("assignee", str, description='User id, "me" or "none".'),
        OpenApiParameter("article", int),
        OpenApiParameter("rating", enum=list(s.Rating.values)),
        OpenApiParameter("score_min", float),
        OpenApiParameter("score_max", float),
        OpenApiParameter("q", str, description="Words to find in text or speaker."),
        OpenApiParameter("ordering", enum=list(s.ClaimFilterSerializer.ORDERINGS)),
    ]


@extend_schema_view(
    list=extend_schema(
        summary="List the claims you can see",
        parameters=_claim_list_parameters(),
        responses={200: s.ClaimSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="A claim with its evidence, verdicts and history",
        responses={200: s.ClaimDetailSerializer, **ERRORS},
    ),
)
class ClaimViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = Pagination
    lookup_value_regex = ID
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        # Claims show their article's title only: its bulky columns stay in the database.
        qs = (
            visible_claims(self.request.user)
            .select_related("article", "assignee", "verdict", "cluster", "repeat_of__verdict")
            .defer(*ARTICLE_BIG_COLUMNS)
        )
        if self.action == "retrieve":
            return _with_detail(qs)
        return qs

    def get_serializer_class(self):
        return s.ClaimDetailSerializer if self.action == "retrieve" else s.ClaimSerializer

    def filter_queryset(self, qs):
        if self.action != "list":
            return qs
        f = s.ClaimFilterSerializer(data=self.request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        assignee = d.get("assignee")
        if assignee == "me":
            assignee = self.request.user
        elif assignee and assignee != UNASSIGNED:
            assignee = int(assignee)
        qs = filter_claims(
            qs,
            q=d.get("q", ""),
            status=d.get("status", ""),
            claim_type=d.get("claim_type", ""),
            assignee=assignee,
            article=d.get("article"),
            rating=d.get("rating", ""),
            score_min=d.get("score_min"),
            score_max=d.get("score_max"),
            rank=d.get("ordering") == "relevance",
        )
        if self.request.query_params.get("repeats") in ("1", "true"):
            qs = qs.filter(pk__in=clusters.pending_repeats().values("pk"))
        ordering = d.get("ordering", "-created_at")
        if ordering == "relevance":  # the best matches of q first (ts_rank on PostgreSQL)
            return qs.order_by("-search_rank", "-id") if d.get("q") else qs.order_by("-id")
        return qs.order_by(ordering, "-id")

    @extend_schema(
        summary="Add a repeat to the published fact-check it repeats",
        request=None,
        responses={200: s.ClaimDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="add-appearance", url_name="add_appearance")
    def add_appearance(self, request, pk=None, format=None):
        claim = self._claim(pk)
        try:
            clusters.add_appearance(claim, actor=request.user)
        except workflow.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except workflow.WorkflowError as exc:
            return Response({"detail": str(exc)}, status=409)
        return self._detail(claim.pk)

    @extend_schema(
        summary="Split a claim off its cluster into a cluster of its own (editors)",
        description="The matcher was wrong: another fact. The claim leads its new cluster "
        "and is reviewed on its own (`claim.cluster_split` in its history). Send the claim "
        "`version` you saw, and its cluster's `cluster_version` if you have it; a newer "
        "one answers 409. 400: the claim is alone in its cluster, or leads it.",
        request=s.SplitOffActionSerializer,
        responses={200: s.ClaimDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="split-off",
        url_name="split_off",
        permission_classes=[IsDeskUser, IsEditor],
    )
    def split_off(self, request, pk=None, format=None):
        claim = self._claim(pk)
        form = s.SplitOffActionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        check_version(claim, d["version"])
        cluster_version = d.get("cluster_version")
        if claim.cluster_id and cluster_version is not None:
            if cluster_version != claim.cluster.version:
                raise clusters.StaleCluster()
        clusters.split_off(claim, actor=request.user, comment=_opt(d, "comment"))
        return self._detail(claim.pk)

    def _claim(self, pk) -> Claim:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _detail(self, pk):
        """The claim after a successful change. Shown even if the change moved it
        out of this user's view: they just acted on it."""
        claim = _with_detail(
            Claim.objects.select_related(
                "article", "assignee", "cluster", "repeat_of__verdict"
            ).defer(*ARTICLE_BIG_COLUMNS)
        ).get(pk=pk)
        return Response(s.ClaimDetailSerializer(claim, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Move a claim through the workflow",
        description=(
            "One endpoint per claim for every transition: "
            + ", ".join(f"`{name}`" for name in TRANSITIONS)
            + ". Send the claim `version` you saw; if the claim has changed since, "
            "the answer is 409 and nothing is done."
        ),
        parameters=[
            OpenApiParameter("action_name", str, OpenApiParameter.PATH, enum=list(TRANSITIONS))
        ],
        request=s.ActionRequestSerializer,
        responses={200: s.ClaimDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(
        detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[^/]+)", url_name="act"
    )
    def act(self, request, pk=None, action_name=None, format=None):
        transition = TRANSITIONS.get(action_name)
        if transition is None:
            raise NotFound(
                f"Unknown action {action_name[:40]!r}. Known actions: "
                + ", ".join(TRANSITIONS)
                + "."
            )
        claim = self._claim(pk)
        form = transition.serializer(data=request.data)
        form.is_valid(raise_exception=True)
        check_version(claim, form.validated_data["version"])
        transition.run(claim, form.validated_data, request.user)
        return self._detail(claim.pk)

    @extend_schema(
        summary="Save research notes",
        request=s.NotesSerializer,
        responses={200: s.ClaimDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["put"], url_path="notes", url_name="notes")
    def notes(self, request, pk=None, format=None):
        claim = self._claim(pk)
        form = s.NotesSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        check_version(claim, form.validated_data["version"])
        workflow.save_research_notes(claim, form.validated_data["notes"], actor=request.user)
        return self._detail(claim.pk)

    @extend_schema(
        methods=["GET"],
        summary="A claim's evidence",
        responses={200: s.EvidenceSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add evidence (a URL, or an uploaded document)",
        request={
            "application/json": s.EvidenceCreateSerializer,
            "multipart/form-data": s.EvidenceCreateSerializer,
        },
        responses={201: s.EvidenceSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["get", "post"], url_path="evidence", url_name="evidence")
    def evidence(self, request, pk=None, format=None):
        claim = self._claim(pk)
        if request.method == "GET":
            return Response(
                s.EvidenceSerializer(
                    claim.evidence.current().select_related("added_by"), many=True
                ).data
            )
        form = s.EvidenceCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        check_version(claim, d.get("version"))
        evidence = workflow.add_evidence(
            claim,
            actor=request.user,
            url=d.get("url") or "",
            note=d.get("note") or "",
            document=d.get("document"),
        )
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove evidence",
        parameters=[OpenApiParameter("evidence_id", int, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, **ERRORS},
    )
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"evidence/(?P<evidence_id>{ID})",
        url_name="evidence-detail",
    )
    def remove_evidence(self, request, pk=None, evidence_id=None, format=None):
        claim = self._claim(pk)
        evidence = get_object_or_404(Evidence.objects.current(), pk=evidence_id, claim=claim)
        workflow.remove_evidence(evidence, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Earlier claims like this one",
        parameters=[OpenApiParameter("limit", int, description="1 to 20 (default 5)")],
        responses={200: s.SimilarClaimSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="similar", url_name="similar")
    def similar(self, request, pk=None, format=None):
        claim = self._claim(pk)
        raw = request.query_params.get("limit", "5")
        limit = int(raw) if raw.isdigit() and len(raw) < 4 else 5
        shown = matching.similar_claims(
            claim, limit=max(1, min(limit, 20)), visible_to=request.user
        )
        return Response(
            s.SimilarClaimSerializer(
                [{"score": m.score, "claim": m.claim} for m in shown], many=True
            ).data
        )


# ---------------------------------------------------------------------------
# Webhooks (editors)


@extend_schema_view(
    list=extend_schema(
        summary="List webhooks", responses={200: s.WebhookSerializer(many=True), **ERRORS}
    ),
    retrieve=extend_schema(summary="A webhook", responses={200: s.WebhookSerializer, **ERRORS}),
    create=extend_schema(
        summary="Register a webhook", responses={201: s.WebhookCreatedSerializer, **ERRORS}
    ),
    update=extend_schema(
        summary="Change a webhook", responses={200: s.WebhookSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        summary="Change a webhook", responses={200: s.WebhookSerializer, **ERRORS}
    ),
    destroy=extend_schema(summary="Remove a webhook", responses={204: None, **ERRORS}),
)
class WebhookViewSet(viewsets.ModelViewSet):
    permission_classes = [IsDeskUser, IsEditor]
    serializer_class = s.WebhookSerializer
    queryset = Webhook.objects.select_related("created_by")
    lookup_value_regex = ID
    pagination_class = Pagination

    def create(self, request, *args, **kwargs):
        form = s.WebhookSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        hook = webhooks.save_webhook(Webhook(**form.validated_data), actor=request.user)
        return Response(s.WebhookCreatedSerializer(hook).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        hook = serializer.instance
        before = {f: getattr(hook, f) for f in webhooks.AUDITED_FIELDS}
        for field, value in serializer.validated_data.items():
            setattr(hook, field, value)
        changed = [f for f in webhooks.AUDITED_FIELDS if getattr(hook, f) != before[f]]
        webhooks.save_webhook(hook, actor=self.request.user, changed=changed)

    def perform_destroy(self, instance):
        webhooks.delete_webhook(instance, actor=self.request.user)

    @extend_schema(
        summary="Deliveries to this webhook",
        parameters=[OpenApiParameter("status", enum=WebhookDelivery.Status.values)],
        responses={200: s.WebhookDeliverySerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None, format=None):
        hook = self.get_object()
        qs = _filter_deliveries(hook.deliveries.all(), request)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(s.WebhookDeliverySerializer(page, many=True).data)


def _filter_deliveries(qs, request):
    wanted = request.query_params.get("status")
    if wanted in WebhookDelivery.Status.values:
        qs = qs.filter(status=wanted)
    return qs


@extend_schema_view(
    list=extend_schema(
        summary="Webhook deliveries, newest first",
        parameters=[OpenApiParameter("status", enum=WebhookDelivery.Status.values)],
        responses={200: s.WebhookDeliverySerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        summary="A delivery with every attempt",
        responses={200: s.WebhookDeliverySerializer, **ERRORS},
    ),
)
class WebhookDeliveryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsDeskUser, IsEditor]
    serializer_class = s.WebhookDeliverySerializer
    lookup_value_regex = ID
    pagination_class = Pagination

    def get_queryset(self):
        return _filter_deliveries(WebhookDelivery.objects.all(), self.request)

    @extend_schema(
        summary="Retry a failed delivery",
        request=None,
        responses={202: s.WebhookDeliverySerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None, format=None):
        delivery = self.get_object()
        if not webhooks.retry_delivery(delivery):
            raise Conflict(
                f"Only failed deliveries can be retried; this one is "
                f"{delivery.get_status_display().lower()}."
            )
        return Response(s.WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
