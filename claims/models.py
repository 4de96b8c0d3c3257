"""Data: articles, claims, evidence, verdicts, notifications and the claim log.

A claim's ``status`` only changes through ``claims.review.workflow``; the ``version``
column is the optimistic lock every transition checks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .extraction.language import language_name
from .ratings import Rating


class Article(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        FETCHING = "fetching", _("Fetching")
        FETCHED = "fetched", _("Fetched")
        EXTRACTED = "extracted", _("Extracted")
        DUPLICATE = "duplicate", _("Duplicate")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        PASTE = "paste", _("Pasted HTML")
        UPLOAD = "upload", _("Uploaded file")
        URL = "url", _("URL")
        COMMAND = "command", _("Command line")
        API = "api", _("API")

    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    published_date = models.DateField(null=True, blank=True)
    authors = models.JSONField(default=list, blank=True)  # names from the page's metadata
    # ISO 639-1 code found in the text ("en", "fr"); "" until extracted.
    language = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.PASTE)
    # The monitored source whose poll submitted it (its triage rule and beat apply);
    # null for a manual submission.
    monitored_source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    raw_html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    links = models.JSONField(default=list, blank=True)
    # When ``text`` and ``links`` (and the metadata) were parsed from ``raw_html``
    # on submission: the worker analyses them and never parses the page again.
    # Null for a URL until the worker fetches it, and for rows stored before this
    # column existed.
    parsed_at = models.DateTimeField(null=True, blank=True)
    # sha256 of the normalised clean text: the same article is one article.
    content_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # sha256 of the submitted HTML itself (line ends made "\n", ends stripped), for a
    # page too large to parse in the request (PARSE_IN_REQUEST_MAX_BYTES): the same
    # page sent again finds this row before any worker has parsed it.
    raw_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    error = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sentence_count = models.PositiveIntegerField(default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_articles",
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # The lease (see ``claims.intake.lifecycle``): when the extraction task was last
    # enqueued, until when a worker holds it, and how many times a worker took it.
    # The sweep re-enqueues on these, never on ``submitted_at``.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Who holds the lease: a worker whose lease ran out and was taken over must
    # not release or postpone the new holder's.
    lease_token = models.CharField(max_length=32, blank=True)
    deliveries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "lease_until"])]

    def __str__(self):
        return self.title or self.url or f"Article {self.pk}"

    def get_absolute_url(self):
        return reverse("claims:article", args=[self.pk])

    @property
    def language_name(self) -> str:
        """ "French" for "fr" ("francés" on a Spanish desk), for the note that its
        claims were not scored."""
        desk_language = translation.get_language() or "en"
        if desk_language.startswith("en"):
            return language_name(self.language)
        try:
            name = str(translation.get_language_info(self.language)["name_translated"])
        except KeyError:  # a language Django has no name for
            return language_name(self.language)
        # Spanish writes language names in lower case mid-sentence ("en francés").
        return name.lower() if desk_language.startswith("es") else name


class Claim(models.Model):
    class Status(models.TextChoices):
        # Waiting for an editor to accept it for review or dismiss it
        # (``claims.review.triage``); a source's rule may queue it directly.
        TRIAGE = "triage", _("To triage")
        EXTRACTED = "extracted", _("Extracted")
        QUEUED = "queued", _("Queued")
        ASSIGNED = "assigned", _("Assigned")
        IN_REVIEW = "in_review", _("In review")
        PROPOSED = "proposed", _("Verdict proposed")
        APPROVED = "approved", _("Signed off")
        PUBLISHED = "published", _("Published")
        DISMISSED = "dismissed", _("Dismissed")

    OPEN_STATUSES = (
        Status.TRIAGE,
        Status.EXTRACTED,
        Status.QUEUED,
        Status.ASSIGNED,
        Status.IN_REVIEW,
        Status.PROPOSED,
        Status.APPROVED,
    )
    # States in which a reviewer is working, so an SLA clock runs.
    REVIEW_STATUSES = (Status.ASSIGNED, Status.IN_REVIEW)

    class Type(models.TextChoices):
        QUANTITY = "quantity", _("Quantity")
        PREDICTION = "prediction", _("Prediction")
        CAUSATION = "causation", _("Correlation or causation")
        LAW = "law", _("Laws, rules and official action")
        EXPERIENCE = "experience", _("Personal experience")
        QUOTE = "quote", _("Quote")
        ATTRIBUTION = "attribution", _("Attribution")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    class DismissReason(models.TextChoices):
        NOT_CHECKWORTHY = "not_checkworthy", _("Not check-worthy")
        OPINION = "opinion", _("Opinion, not a checkable fact")
        OUT_OF_SCOPE = "out_of_scope", _("Outside our beat")
        ALREADY_COVERED = "already_covered", _("Already covered elsewhere")
        DUPLICATE = "duplicate", _("Duplicate of another claim")
        OTHER = "other", _("Other")

    class ClaimantKind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organisation")
        PUBLISHER = "publisher", _("The publisher")

    class Priority(models.IntegerChoices):
        LOW = 0, _("Low")
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")
        URGENT = 3, _("Urgent")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence_index = models.PositiveIntegerField()
    score = models.FloatField(db_index=True)
    claim_type = models.CharField(
        max_length=16, choices=Type.choices, default=Type.OTHER, db_index=True
    )
    speaker = models.CharField(max_length=200, blank=True)
    # Who asserts the claim (the publisher when the reporter does) and the claim as
    # checked: what readers see. Both start as extraction's suggestion and change only
    # through review.workflow (set_claimant, edit_checked_text), each edit logged with
    # the old and new value, so every version stays in the append-only log.
    claimant = models.CharField(max_length=200, blank=True)
    claimant_kind = models.CharField(max_length=16, choices=ClaimantKind.choices, blank=True)
    checked_text = models.TextField(blank=True)
    numbers = models.JSONField(default=list, blank=True)
    entities = models.JSONField(default=list, blank=True)
    links = models.JSONField(default=list, blank=True)

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.EXTRACTED, db_index=True
    )
    version = models.PositiveIntegerField(default=1)
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_claims",
    )
    research_notes = models.TextField(blank=True)
    dismiss_reason = models.CharField(max_length=16, choices=DismissReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    verdict = models.ForeignKey(
        "Verdict", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # A published fact-check never silently disappears: once published it stays
    # public, as withdrawn (with its reason) while reopened, or as corrected.
    first_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    # Above MAX_QUEUED_CLAIMS_PER_ARTICLE an article's lower-scoring check-worthy
    # sentences are stored but held back from the reviewers' queue until an
    # editor queues them (``workflow.queue_held``).
    held = models.BooleanField(default=False)
    # Clusters (claims.review.clusters): the same fact across outlets, one review each.
    cluster = models.ForeignKey(
        "ClaimCluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    facts = models.JSONField(default=dict, blank=True)  # extraction.facts.Facts.to_json()
    # Covered by its cluster lead's review: never queued or assigned on its own.
    attached = models.BooleanField(default=False)
    # Arrived after the cluster's verdict was published: the repeat alert.
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    appearance_added_at = models.DateTimeField(null=True, blank=True)
    # Triage (``claims.review.triage``): the monitored source the article came from,
    # its beat, and the rank in the "To triage" inbox with the reasons for it
    # ("3 outlets in 2 h · minister · 0.91"). The rank is stored so the inbox is
    # one indexed query; it includes recency, so it needs no refresh as time passes.
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    beat = models.CharField(max_length=60, blank=True)
    triage_priority = models.FloatField(default=0.0)
    triage_reasons = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["article_id", "sentence_index"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "sentence_index"], name="one_claim_per_sentence"
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="claim_span_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["status", "assigned_at"]),  # the SLA sweep and desk
            models.Index(fields=["created_at"]),  # the clustering window
            # A reviewer's claims given today (the daily cap).
            models.Index(fields=["assignee", "assigned_at"], name="claim_assignee_day"),
            # The triage inbox, whole and filtered by source or beat: one index scan.
            models.Index(fields=["status", "-triage_priority", "id"], name="claim_triage_rank"),
            models.Index(
                fields=["status", "source", "-triage_priority"], name="claim_triage_source"
            ),
            models.Index(fields=["status", "beat", "-triage_priority"], name="claim_triage_beat"),
            # Its counts per source and beat: read from this index alone.
            models.Index(fields=["status", "source", "beat"], name="claim_triage_counts"),
        ]
        permissions = [
            ("triage_claim", "Can triage claims (accept, dismiss, merge, re-queue, prioritise)"),
            ("assign_claim", "Can assign claims to reviewers"),
            ("review_claim", "Can research assigned claims and propose verdicts"),
            ("signoff_claim", "Can sign off, send back and publish verdicts"),
        ]

    def __str__(self):
        return self.text if len(self.text) <= 80 else self.text[:77] + "…"

    def get_absolute_url(self):
        return reverse("claims:claim", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def as_checked(self) -> str:
        """The wording readers see: the claim as checked, else the sentence."""
        return self.checked_text or self.text

    @property
    def is_withdrawn(self):
        """Published once, not now: the public page shows a withdrawal notice."""
        return self.first_published_at is not None and self.status != self.Status.PUBLISHED

    @property
    def is_corrected(self):
        """Published again after a withdrawal."""
        return (
            self.status == self.Status.PUBLISHED
            and self.withdrawn_at is not None
            and self.published_at is not None
            and self.published_at >= self.withdrawn_at
        )


class ClaimCluster(models.Model):
    """Claims stating the same fact, across outlets (``claims.review.clusters``).

    The ``lead`` is the one claim reviewed; the others are attached to it, and once
    its verdict is published, it covers them all.
    """

    lead = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    size = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When an appearance was last added to the published fact-check (its dateModified).
    appearances_changed_at = models.DateTimeField(null=True, blank=True)
    # Counts editors' changes (lead, split, merge) for optimistic locking; a new
    # appearance does not move it, so a spreading cluster stays easy to act on.
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Cluster {self.pk} ({self.size} claims)"

    def get_absolute_url(self):
        return reverse("claims:cluster", args=[self.pk])


class Verdict(models.Model):
    """One proposed verdict. A claim's current one is ``Claim.verdict``.

    Proposals are kept when a verdict is sent back, so the history of what was
    proposed, by whom, and why it was returned survives.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Signed off")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.CharField(max_length=16, choices=Rating.choices)
    conclusion = models.CharField(max_length=300)
    explanation = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["proposed_at"])]

    def __str__(self):
        return f"{self.get_rating_display()}: {self.conclusion}"


def evidence_upload_to(instance, filename):
    return f"evidence/{instance.claim_id}/{filename}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        """Evidence not removed. Removed evidence stays, with its file, as history."""
        return self.filter(removed_at=None)


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    url = models.URLField(max_length=2000, blank=True)
    # Served only through ``claims:evidence_download``, never from MEDIA_URL.
    document = models.FileField(upload_to=evidence_upload_to, blank=True)
    # Detected from the file's bytes (``claims.review.evidence``); blank for a URL, or for
    # a document stored before types were checked (served as a plain download).
    content_type = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.url or (self.document_name if self.document else f"Evidence {self.pk}")

    def get_download_url(self):
        return reverse("claims:evidence_download", args=[self.claim_id, self.pk])

    @property
    def document_name(self):
        return self.document.name.rsplit("/", 1)[-1] if self.document else ""

    @property
    def is_removed(self):
        return self.removed_at is not None


class AppendOnlyQuerySet(models.QuerySet):
    """For the history tables (claim log, note revisions, audit log); the database
    refuses UPDATE and DELETE on them too (``claims.triggers.AppendOnly`` in the migrations)."""

    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name} is append-only.")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name} is append-only.")


ClaimLogQuerySet = AppendOnlyQuerySet


class AppendOnlyModel(models.Model):
    """A history row: written once, never changed or deleted through the ORM (the
    database refuses too, see ``claims.triggers.AppendOnly``). Its ``actor`` (a user
    FK with ``db_constraint=False``) outlives the user, as in Wagtail's audit log."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError(f"{self._meta.verbose_name} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name} is append-only.")

    @property
    def actor_name(self):
        if self.actor_id is None:
            return "system"
        try:
            return self.actor.get_username()
        except Exception:  # the user was deleted; the history stays
            return f"user #{self.actor_id}"


class TransitionLog(AppendOnlyModel):
    """The fields of a state-change log row, shared by the claim's and the article's
    histories: a namespaced ``action``, who did it, the move, and what it carried."""

    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class ClaimLog(TransitionLog):
    """Append-only history of a claim. Written in the same transaction as the change.

    The actor FK does not constrain or cascade, so history outlives users
    (Wagtail's audit log does the same).
    """

    # PROTECT: a claim (or article) with history cannot be deleted, so no log row is
    # ever orphaned; the database refuses UPDATE and DELETE on this table anyway
    # (``claims.triggers.AppendOnly``). No database constraint: a database may hold
    # log rows orphaned before PROTECT was in place, and they must not block a migration.
    claim = models.ForeignKey(
        Claim,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="log",
    )

    def __str__(self):
        return f"{self.action} on claim {self.claim_id}"


class ResearchNoteRevision(AppendOnlyModel):
    """Every saved version of a claim's research notes, append-only like the log.

    ``Claim.research_notes`` holds the latest; each save adds a row here in the
    same transaction, so nothing a reviewer wrote is ever lost.
    """

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, db_constraint=False, related_name="note_revisions"
    )
    text = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"notes on claim {self.claim_id} at {self.created_at:%Y-%m-%d %H:%M}"


class AuditLog(AppendOnlyModel):
    """Append-only record of changes that are not a claim's own transitions, such
    as webhook configuration. ``action`` is namespaced ("webhook.created"), ``data``
    says what changed; the actor FK outlives users (as in Wagtail's audit log).
    """

    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action} {self.object_type} {self.object_id}"


class Notification(models.Model):
    """An email owed, written in the same transaction as the event that owes it
    (a transactional outbox; see ``claims.review.notifications``). ``key`` (log entry +
    user) keeps each event to one row; the sender claims a row with a
    conditional UPDATE on ``claimed_until`` and stamps ``sent_at`` after sending.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    subject = models.CharField(max_length=300)
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    body = models.TextField(blank=True)
    # Not before this moment: a digest window collects a reviewer's messages.
    due_at = models.DateTimeField(default=timezone.now)
    # A sender holds the row until then; after an error it is the next retry.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "due_at"])]

    def __str__(self):
        return self.key


class ArticleLog(TransitionLog):
    """Append-only history of an article's lifecycle, written in the same
    transaction as each change (``claims.intake.lifecycle``)."""

    article = models.ForeignKey(
        Article, on_delete=models.DO_NOTHING, db_constraint=False, related_name="log"
    )

    def __str__(self):
        return f"{self.action} on article {self.article_id}"


class ClaimTerm(models.Model):
    """An inverted index of claim terms, for finding earlier similar claims.

    Lives in the database so every process (web, worker, API) sees the same
    index, on SQLite and PostgreSQL alike; see ``claims.review.matching``.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=48)

    class Meta:
        indexes = [models.Index(fields=["term", "claim"])]
        constraints = [
            models.UniqueConstraint(fields=["claim", "term"], name="one_row_per_claim_term")
        ]

    def __str__(self):
        return self.term


# ---------------------------------------------------------------------------
# Webhooks: published ClaimReviews pushed to partners (see ``claims.publishing.webhooks``).


def generate_webhook_secret():
    import secrets

    return secrets.token_urlsafe(32)


def default_webhook_events():
    return ["claim.published", "factcheck.withdrawn", "claim.repeated"]


class Webhook(models.Model):
    class Event(models.TextChoices):
        CLAIM_PUBLISHED = "claim.published", _("A claim was published")
        FACTCHECK_WITHDRAWN = "factcheck.withdrawn", _("A published fact-check was withdrawn")
        CLAIM_REPEATED = "claim.repeated", _("A checked claim appeared again")

    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=128, default=generate_webhook_secret)
    active = models.BooleanField(default=True)
    events = models.JSONField(default=default_webhook_events, blank=True)
    description = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event: str) -> bool:
        return self.active and event in (self.events or [])


class WebhookDelivery(models.Model):
    """One event sent to one webhook, with every attempt kept in ``attempt_log``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=64)
    # webhook id + the log entry that caused it: one delivery per event, however
    # often the enqueue runs.
    key = models.CharField(max_length=200, unique=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    attempt_log = models.JSONField(default=list, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.webhook} ({self.get_status_display()})"


class TermStat(models.Model):
    """How many claims contain a term (document frequency), kept at index time."""

    term = models.CharField(max_length=48, primary_key=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.term}: {self.df}"


# ---------------------------------------------------------------------------
# Monitored sources: feeds and sitemaps polled by beat (see ``claims.intake.sources``).


class SourceQuerySet(models.QuerySet):
    def with_counts(self):
        """Per-source item counts. An item submitted as new whose article later turned
        out to repeat another's text (or failed to fetch) counts as what it became."""
        new = models.Q(items__outcome=SourceItem.Outcome.NEW)
        art = "items__article__status"
        return self.annotate(
            new_count=models.Count(
                "items",
                filter=new
                & ~models.Q(**{f"{art}__in": [Article.Status.DUPLICATE, Article.Status.FAILED]}),
            ),
            duplicate_count=models.Count(
                "items",
                filter=models.Q(items__outcome=SourceItem.Outcome.DUPLICATE)
                | (new & models.Q(**{art: Article.Status.DUPLICATE})),
            ),
            failed_count=models.Count(
                "items",
                filter=models.Q(items__outcome=SourceItem.Outcome.FAILED)
                | (new & models.Q(**{art: Article.Status.FAILED})),
            ),
        ).order_by("name", "id")


class TriageRule(models.TextChoices):
    """Which of an article's check-worthy claims skip triage and go to the reviewers."""

    NONE = "none", _("Queue none: all to triage")
    TOP_N = "top_n", _("Queue the top N of each article")
    MIN_SCORE = "min_score", _("Queue those scoring at least X")
    ALL = "all", _("Queue all")


class TriageRuleFields(models.Model):
    """A triage rule and a beat, shared by each monitored source and by manual
    submissions (``ManualTriageRule``). See ``claims.review.triage``."""

    triage_rule = models.CharField(
        max_length=16, choices=TriageRule.choices, default=TriageRule.NONE
    )
    triage_top_n = models.PositiveSmallIntegerField(
        "N (top N per article)", default=5, validators=[MinValueValidator(1)]
    )
    triage_min_score = models.FloatField(
        "X (minimum score)",
        default=0.9,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    beat = models.CharField(max_length=60, blank=True, help_text="Politics, health, …")
    beat_weight = models.FloatField(
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(5.0)],
        help_text="Multiplies the triage priority of this beat's claims (1 = neutral).",
    )

    class Meta:
        abstract = True


class ManualTriageRule(TriageRuleFields):
    """The rule for articles submitted by hand (web form, admin, API, commands): one
    row, edited by editors. By default they are all queued, with the flood cap."""

    triage_rule = models.CharField(
        max_length=16, choices=TriageRule.choices, default=TriageRule.ALL
    )

    class Meta:
        verbose_name = "triage rule for manual submissions"
        verbose_name_plural = "triage rule for manual submissions"

    def __str__(self):
        return "Manual submissions"

    def save(self, *args, **kwargs):
        self.pk = 1  # one row
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ManualTriageRule:
        return cls.objects.get_or_create(pk=1)[0]


class ReviewerCapacity(models.Model):
    """A reviewer's daily cap, when it differs from ``REVIEWER_DAILY_CAP``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="review_capacity",
    )
    daily_cap = models.PositiveSmallIntegerField(
        help_text="The most claims assigned to this reviewer in a day, and on their desk at once."
    )

    class Meta:
        verbose_name_plural = "reviewer capacities"

    def __str__(self):
        return f"{self.user}: {self.daily_cap} a day"


class DeskPreference(models.Model):
    """A desk user's own settings; today the language the desk speaks to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="desk_preference",
    )
    # Blank: follow the browser's Accept-Language.
    language = models.CharField(max_length=8, blank=True, choices=settings.LANGUAGES)

    def __str__(self):
        return f"{self.user}: {self.language or 'browser language'}"

    @classmethod
    def language_of(cls, user_id) -> str:
        """The language ``user_id`` chose, or "" to follow their browser (and for
        e-mail, the desk's default)."""
        if user_id is None:
            return ""
        return cls.objects.filter(pk=user_id).values_list("language", flat=True).first() or ""

    @classmethod
    def languages_of(cls, user_ids) -> dict[int, str]:
        """{user id: chosen language} for those of ``user_ids`` who chose one."""
        return dict(
            cls.objects.filter(pk__in=set(user_ids))
            .exclude(language="")
            .values_list("user_id", "language")
        )


class Source(TriageRuleFields):
    """An RSS/Atom feed or a sitemap that beat polls every ``poll_interval_minutes``.

    ``next_poll_at`` is also the lease: a poller claims a source by moving it
    forward with a conditional UPDATE, so two pollers never poll one source at once.
    """

    class Kind(models.TextChoices):
        FEED = "feed", _("RSS or Atom feed")
        SITEMAP = "sitemap", _("Sitemap")

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FEED)
    poll_interval_minutes = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(default=True, db_index=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:source", args=[self.pk])


class SourceItem(models.Model):
    """One URL a source listed, and what became of it: one row per source and URL."""

    class Outcome(models.TextChoices):
        NEW = "new", _("New")
        DUPLICATE = "duplicate", _("Duplicate")
        FAILED = "failed", _("Failed")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(max_length=2000)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "url"], name="one_item_per_source_url")
        ]
        indexes = [models.Index(fields=["source", "seen_at"])]

    def __str__(self):
        return f"{self.url} ({self.get_outcome_display()})"

    @property
    def final_outcome(self) -> str:
        """What the item became once its article was processed."""
        if self.outcome == self.Outcome.NEW and self.article is not None:
            if self.article.status == Article.Status.DUPLICATE:
                return self.Outcome.DUPLICATE
            if self.article.status == Article.Status.FAILED:
                return self.Outcome.FAILED
        return self.outcome

    @property
    def final_outcome_label(self) -> str:
        return self.Outcome(self.final_outcome).label

    @property
    def final_reason(self) -> str:
        if self.reason or self.article is None:
            return self.reason
        if self.article.status == Article.Status.FAILED:
            return self.article.error
        if self.article.status == Article.Status.DUPLICATE:
            return "Same text as an article already on the desk."
        return ""
