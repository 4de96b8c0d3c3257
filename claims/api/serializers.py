"""API representations, and the inputs of every workflow action."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import URLValidator
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
from ..publishing import pages, webhooks
from ..ratings import Rating
from ..review import evidence as evidence_types
from ..review import workflow
from ..templatetags.safe_urls import http_only, http_only_links, safe_sources

MAX_ID = 2**63 - 1
http_url = URLValidator(schemes=["http", "https"])


# Links leave through the pages' own filters (claims/templatetags/safe_urls.py):
# an address that is not http(s), however encoded, goes out empty.
class SafeURLField(serializers.CharField):
    def to_representation(self, value):
        return http_only(value)


@extend_schema_field(serializers.ListField(child=serializers.DictField()))
class SafeLinksField(serializers.JSONField):
    def to_representation(self, value):
        return http_only_links(value)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class SafeSourcesField(serializers.JSONField):
    def to_representation(self, value):
        return safe_sources(value)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


# ---------------------------------------------------------------------------
# Articles


class ArticleSerializer(serializers.ModelSerializer):
    url = SafeURLField(read_only=True)
    submitted_by = UserRefSerializer(read_only=True)
    claim_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Article
        fields = (
            "id",
            "url",
            "title",
            "publisher",
            "published_date",
            "source",
            "status",
            "error",
            "duplicate_of",
            "sentence_count",
            "claim_count",
            "submitted_by",
            "submitted_at",
            "extracted_at",
        )
        read_only_fields = fields


class ArticleCreateSerializer(serializers.Serializer):
    html = serializers.CharField(
        required=False, trim_whitespace=False, help_text="The article's HTML."
    )
    file = serializers.FileField(required=False, help_text="An HTML file (multipart).")
    url = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="The article's address: fetched when no HTML "
        "or file is given, recorded otherwise.",
    )

    def validate(self, data):
        given = [k for k in ("html", "file") if data.get(k) not in (None, "")]
        if len(given) > 1:
            raise serializers.ValidationError("Send either html or a file, not both.")
        if not given and not data.get("url"):
            raise serializers.ValidationError("Send html, a file, or a url.")
        upload = data.get("file")
        if upload is not None and upload.size > settings.MAX_ARTICLE_BYTES:
            raise serializers.ValidationError(
                {"file": submission.upload_too_large_message(upload.size)}
            )
        return data


# ---------------------------------------------------------------------------
# Claims


class VerdictSerializer(serializers.ModelSerializer):
    proposed_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True)
    rating_label = serializers.CharField(source="get_rating_display", read_only=True)
    sources = SafeSourcesField(read_only=True)

    class Meta:
        model = Verdict
        fields = (
            "id",
            "rating",
            "rating_label",
            "conclusion",
            "explanation",
            "sources",
            "state",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "comment",
        )
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    added_by = UserRefSerializer(read_only=True)
    document = serializers.SerializerMethodField(
        help_text="Where to download the document (an attachment, for those who may see "
        "the claim); empty for a URL."
    )
    document_name = serializers.CharField(read_only=True)
    url = SafeURLField(read_only=True)

    class Meta:
        model = Evidence
        fields = (
            "id",
            "url",
            "document",
            "document_name",
            "content_type",
            "note",
            "added_by",
            "added_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_document(self, evidence):
        return evidence.get_download_url() if evidence.document else ""


class LogEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name", read_only=True)

    class Meta:
        model = ClaimLog
        fields = (
            "id",
            "action",
            "actor",
            "from_status",
            "to_status",
            "comment",
            "data",
            "created_at",
        )
        read_only_fields = fields


class ClaimSerializer(serializers.ModelSerializer):
    assignee = UserRefSerializer(read_only=True)
    # The claim as checked (the sentence until someone restates it): what readers see.
    checked_text = serializers.CharField(source="as_checked", read_only=True)
    article_title = serializers.CharField(source="article.title", read_only=True)
    rating = serializers.SerializerMethodField()
    cluster_size = serializers.SerializerMethodField()
    already_checked = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = (
            "id",
            "cluster",
            "cluster_size",
            "attached",
            "repeat_of",
            "already_checked",
            "appearance_added_at",
            "article",
            "article_title",
            "text",
            "checked_text",
            "speaker",
            "claimant",
            "claimant_kind",
            "claim_type",
            "score",
            "status",
            "version",
            "priority",
            "assignee",
            "rating",
            "created_at",
            "status_changed_at",
            "published_at",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Rating.choices, allow_null=True))
    def get_rating(self, claim):
        return claim.verdict.rating if claim.verdict_id else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_cluster_size(self, claim):
        return claim.cluster.size if claim.cluster_id else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_already_checked(self, claim):
        """The repeat alert: the published fact-check this claim repeats, if still live."""
        checked = claim.repeat_of
        if checked is None or checked.status != Claim.Status.PUBLISHED or not checked.verdict_id:
            return None
        return {
            "claim": checked.pk,
            "rating": checked.verdict.rating,
            "published_at": checked.published_at,
            "url": pages.public_url(checked),
        }


class ClaimDetailSerializer(ClaimSerializer):
    verdict = VerdictSerializer(read_only=True)
    verdicts = VerdictSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    history = LogEntrySerializer(source="log", many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField()
    public_url = serializers.SerializerMethodField()
    claimreview = serializers.SerializerMethodField()
    links = SafeLinksField(read_only=True)

    class Meta(ClaimSerializer.Meta):
        fields = ClaimSerializer.Meta.fields + (
            "start",
            "end",
            "sentence_index",
            "numbers",
            "entities",
            "links",
            "research_notes",
            "dismiss_reason",
            "duplicate_of",
            "assigned_at",
            "verdict",
            "verdicts",
            "evidence",
            "history",
            "allowed_actions",
            "public_url",
            "claimreview",
            "first_published_at",
            "withdrawn_at",
            "withdrawal_reason",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, claim):
        user = self.context["request"].user
        return [a.name for a in workflow.allowed_actions(claim, user)]

    def _published(self, claim):
        return claim.status == Claim.Status.PUBLISHED and claim.verdict_id

    @extend_schema_field(OpenApiTypes.URI)
    def get_public_url(self, claim):
        # A withdrawn fact-check keeps its public page (with the withdrawal notice).
        public = self._published(claim) or (claim.is_withdrawn and claim.verdict_id)
        return pages.public_url(claim) if public else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_claimreview(self, claim):
        return pages.claimreview(claim) if self._published(claim) else None


class SimilarClaimSerializer(serializers.Serializer):
    score = serializers.FloatField()
    claim = ClaimSerializer()


ARTICLE_CLAIMS_SHOWN = 50


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its first claims; every claim, paginated, is at ``claims_url``.

    However many claims the article has, this is one page of them: a 20,000-claim
    article must not become one response (nor one request's memory).
    """

    claims = serializers.SerializerMethodField(
        help_text=f"The first {ARTICLE_CLAIMS_SHOWN} claims you can see, by position."
    )
    claims_url = serializers.SerializerMethodField(
        help_text="Every claim of this article you can see, paginated."
    )
    links = SafeLinksField(read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = ArticleSerializer.Meta.fields + ("text", "links", "claims", "claims_url")
        read_only_fields = fields

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, article):
        claims = list(
            self.context["visible_claims"]
            .filter(article=article)
            .select_related("assignee", "verdict")
            .defer("numbers", "entities", "links")
            .order_by("sentence_index")[:ARTICLE_CLAIMS_SHOWN]
        )
        for claim in claims:
            claim.article = article  # all share it: no join, no copy per row
        return ClaimSerializer(claims, many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_claims_url(self, article):
        url = f"{reverse('api:claim-list')}?article={article.pk}&ordering=sentence_index"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class SubmissionSerializer(ArticleDetailSerializer):
    duplicate = serializers.BooleanField(read_only=True)

    class Meta(ArticleDetailSerializer.Meta):
        fields = ArticleDetailSerializer.Meta.fields + ("duplicate",)
        read_only_fields = fields


class ClaimFilterSerializer(serializers.Serializer):
    """Query parameters of the claim list."""

    ORDERINGS = (
        "relevance",
        "-score",
        "score",
        "-created_at",
        "created_at",
        "-priority",
        "-status_changed_at",
        "status_changed_at",
        "sentence_index",
    )

    status = serializers.ChoiceField(choices=Claim.Status.choices, required=False)
    claim_type = serializers.ChoiceField(choices=Claim.Type.choices, required=False)
    assignee = serializers.RegexField(
        r"^(me|none|[0-9]{1,18})$",
        required=False,
        help_text='A user id, "me" or "none" (unassigned).',
        error_messages={"invalid": 'Give a user id, "me" or "none".'},
    )
    article = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    rating = serializers.ChoiceField(choices=Rating.choices, required=False)
    score_min = serializers.FloatField(required=False, min_value=0, max_value=1)
    score_max = serializers.FloatField(required=False, min_value=0, max_value=1)
    q = serializers.CharField(
        required=False, max_length=200, help_text="Words to find in the claim's text or speaker."
    )
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False)


# ---------------------------------------------------------------------------
# Research


class EvidenceCreateSerializer(serializers.Serializer):
    url = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, validators=[http_url]
    )
    document = serializers.FileField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The claim version you saw (optional).",
    )

    def validate_document(self, document):
        try:
            evidence_types.check_document(document)
        except evidence_types.RefusedDocument as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return document


class NotesSerializer(serializers.Serializer):
    notes = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=100_000)
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


# ---------------------------------------------------------------------------
# Workflow actions: one input serializer per action.


@extend_schema_field(OpenApiTypes.STR)
class UserField(serializers.Field):
    """A user given by username, or by numeric id."""

    default_error_messages = {
        "unknown": "No such user: {value}.",
        "invalid": "Give a username or a user id.",
    }

    def to_internal_value(self, data):
        User = get_user_model()
        if isinstance(data, bool) or not isinstance(data, (str, int)):
            self.fail("invalid")
        user = None
        if isinstance(data, str):
            user = User.objects.filter(username=data).first()
        if user is None and str(data).isdigit() and len(str(data)) <= 18:
            user = User.objects.filter(pk=int(data)).first()
        if user is None:
            self.fail("unknown", value=str(data)[:150])
        return user

    def to_representation(self, value):
        return value.get_username()


class ActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The claim version you saw; a newer one answers 409 (reload).",
    )


class CommentActionSerializer(ActionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class SplitOffActionSerializer(CommentActionSerializer):
    cluster_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The version of the claim's cluster you saw; a newer one answers 409.",
    )


class AssignActionSerializer(CommentActionSerializer):
    reviewer = UserField(help_text="Username or id of the reviewer.")


class ProposeActionSerializer(ActionSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    conclusion = serializers.CharField(max_length=300)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=50_000)
    sources = serializers.ListField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        max_length=100,
    )


class SendBackActionSerializer(ActionSerializer):
    comment = serializers.CharField(max_length=5000, help_text="What needs doing.")


class ReopenActionSerializer(ActionSerializer):
    reason = serializers.CharField(max_length=5000)


class DismissActionSerializer(CommentActionSerializer):
    reason = serializers.ChoiceField(
        choices=[r for r in Claim.DismissReason.values if r != Claim.DismissReason.DUPLICATE],
        default=Claim.DismissReason.NOT_CHECKWORTHY,
    )


class MarkDuplicateActionSerializer(CommentActionSerializer):
    duplicate_of = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id of the original claim."
    )

    def validate_duplicate_of(self, value):
        original = Claim.objects.filter(pk=value).first()
        if original is None:
            raise serializers.ValidationError(f"There is no claim {value}.")
        return original


class SetPriorityActionSerializer(ActionSerializer):
    priority = serializers.ChoiceField(choices=Claim.Priority.choices)


class ActionRequestSerializer(ActionSerializer):
    """Everything any action may take (documentation; each action checks its own)."""

    reviewer = serializers.CharField(required=False, help_text="assign: username or id.")
    rating = serializers.ChoiceField(choices=Rating.choices, required=False, help_text="propose")
    conclusion = serializers.CharField(required=False, help_text="propose")
    explanation = serializers.CharField(required=False, help_text="propose")
    sources = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="propose"
    )
    comment = serializers.CharField(
        required=False,
        help_text="send_back (required), assign, sign_off, "
        "publish, dismiss, mark_duplicate, requeue",
    )
    reason = serializers.CharField(
        required=False, help_text="reopen (required); dismiss: not_checkworthy or other"
    )
    duplicate_of = serializers.IntegerField(required=False, help_text="mark_duplicate")
    priority = serializers.ChoiceField(
        choices=Claim.Priority.choices, required=False, help_text="set_priority"
    )


# ---------------------------------------------------------------------------
# Webhooks


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.MultipleChoiceField(
        choices=Webhook.Event.choices, required=False, allow_empty=False
    )
    secret = serializers.CharField(
        required=False,
        write_only=True,
        min_length=16,
        max_length=128,
        help_text="Shared HMAC secret; generated if omitted and shown once on creation.",
    )
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Webhook
        fields = (
            "id",
            "url",
            "description",
            "events",
            "active",
            "secret",
            "created_by",
            "created_at",
        )
        read_only_fields = ("id", "created_by", "created_at")

    def validate_url(self, url):
        webhooks.validate_webhook_url(url)
        return url

    def validate_events(self, events):
        return sorted(events)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["events"] = sorted(instance.events or [])
        return data


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "webhook",
            "claim",
            "event",
            "status",
            "attempts",
            "attempt_log",
            "last_status_code",
            "last_error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "payload",
        )
        read_only_fields = fields


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(required=False)
