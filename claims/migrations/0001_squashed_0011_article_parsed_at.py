"""The claims app's history up to 0011, squashed into one linear migration.

Replaces 0001_initial ... 0011_article_parsed_at (five sibling 0005 migrations and
the four merges that joined them). A new database runs this migration; a database
that has applied all of the old ones has it marked as applied; a database part-way
through the old ones goes on with the old files, which stay until every deployment
is past this point.

The schema is what the old migrations left, with each model's later fields folded
into its CreateModel. Of their data steps only the groups are kept: this migration
only ever runs on an empty database, where the webhook grants (now part of
``claims.roles``), the term reindex and the 0005_hist_history backfills have nothing
to do. The history tables are made append-only last, after every change to them
(on SQLite, altering a table rebuilds it without its triggers).
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import claims.models
from claims.triggers import AppendOnly


def create_groups(apps, schema_editor):
    """The Editors and Reviewers groups with their permissions (as 0002_groups)."""
    from claims.roles import ensure_groups

    ensure_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    replaces = [
        ("claims", "0001_initial"),
        ("claims", "0002_groups"),
        ("claims", "0003_claim_terms"),
        ("claims", "0004_webhooks"),
        ("claims", "0005_desk_indexes"),
        ("claims", "0005_sources_monitored"),
        ("claims", "0005_secevidence_evidence_history"),
        ("claims", "0005_hist_history"),
        ("claims", "0006_merge_history_evidence_sources"),
        ("claims", "0005_extbody_article_authors_language"),
        ("claims", "0007_merge_extbody"),
        ("claims", "0005_extmodel_reindex"),
        ("claims", "0008_merge_extmodel"),
        ("claims", "0005_pipe_lifecycle_outbox"),
        ("claims", "0009_merge_pipe"),
        ("claims", "0010_articlelog_append_only"),
        ("claims", "0011_article_parsed_at"),
    ]

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Article",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=2000)),
                ("title", models.CharField(blank=True, max_length=500)),
                ("publisher", models.CharField(blank=True, max_length=200)),
                ("published_date", models.DateField(blank=True, null=True)),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("paste", "Pasted HTML"),
                            ("upload", "Uploaded file"),
                            ("url", "URL"),
                            ("command", "Command line"),
                            ("api", "API"),
                        ],
                        default="paste",
                        max_length=16,
                    ),
                ),
                ("raw_html", models.TextField(blank=True)),
                ("text", models.TextField(blank=True)),
                ("links", models.JSONField(blank=True, default=list)),
                (
                    "content_hash",
                    models.CharField(blank=True, max_length=64, null=True, unique=True),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("received", "Received"),
                            ("fetching", "Fetching"),
                            ("fetched", "Fetched"),
                            ("extracted", "Extracted"),
                            ("duplicate", "Duplicate"),
                            ("failed", "Failed"),
                        ],
                        db_index=True,
                        default="received",
                        max_length=16,
                    ),
                ),
                ("error", models.TextField(blank=True)),
                ("sentence_count", models.PositiveIntegerField(default=0)),
                (
                    "submitted_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                ("extracted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "duplicate_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="claims.article",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="submitted_articles",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("authors", models.JSONField(blank=True, default=list)),
                ("language", models.CharField(blank=True, max_length=16)),
                ("deliveries", models.PositiveSmallIntegerField(default=0)),
                ("enqueued_at", models.DateTimeField(blank=True, null=True)),
                ("lease_until", models.DateTimeField(blank=True, null=True)),
                ("parsed_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-submitted_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["status", "lease_until"], name="claims_arti_status_0b7d9d_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Claim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField()),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("sentence_index", models.PositiveIntegerField()),
                ("score", models.FloatField(db_index=True)),
                (
                    "claim_type",
                    models.CharField(
                        choices=[
                            ("quantity", "Quantity"),
                            ("prediction", "Prediction"),
                            ("causation", "Correlation or causation"),
                            ("law", "Laws, rules and official action"),
                            ("experience", "Personal experience"),
                            ("quote", "Quote"),
                            ("attribution", "Attribution"),
                            ("event", "Event"),
                            ("other", "Other"),
                        ],
                        db_index=True,
                        default="other",
                        max_length=16,
                    ),
                ),
                ("speaker", models.CharField(blank=True, max_length=200)),
                ("numbers", models.JSONField(blank=True, default=list)),
                ("entities", models.JSONField(blank=True, default=list)),
                ("links", models.JSONField(blank=True, default=list)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("extracted", "Extracted"),
                            ("queued", "Queued"),
                            ("assigned", "Assigned"),
                            ("in_review", "In review"),
                            ("proposed", "Verdict proposed"),
                            ("approved", "Signed off"),
                            ("published", "Published"),
                            ("dismissed", "Dismissed"),
                        ],
                        db_index=True,
                        default="extracted",
                        max_length=16,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "priority",
                    models.SmallIntegerField(
                        choices=[(0, "Low"), (1, "Normal"), (2, "High"), (3, "Urgent")], default=1
                    ),
                ),
                ("research_notes", models.TextField(blank=True)),
                (
                    "dismiss_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("not_checkworthy", "Not check-worthy"),
                            ("duplicate", "Duplicate of another claim"),
                            ("other", "Other"),
                        ],
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("status_changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("assigned_at", models.DateTimeField(blank=True, null=True)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claims",
                        to="claims.article",
                    ),
                ),
                (
                    "assignee",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_claims",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "duplicate_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="duplicates",
                        to="claims.claim",
                    ),
                ),
                ("first_published_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("withdrawal_reason", models.TextField(blank=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("held", models.BooleanField(default=False)),
            ],
            options={
                "ordering": ["article_id", "sentence_index"],
                "permissions": [
                    ("triage_claim", "Can triage claims (dismiss, merge, re-queue, prioritise)"),
                    ("assign_claim", "Can assign claims to reviewers"),
                    ("review_claim", "Can research assigned claims and propose verdicts"),
                    ("signoff_claim", "Can sign off, send back and publish verdicts"),
                ],
                "indexes": [
                    models.Index(
                        fields=["assignee", "status"], name="claims_clai_assigne_02ec37_idx"
                    ),
                    models.Index(
                        fields=["status", "status_changed_at"], name="claims_clai_status_0b4b38_idx"
                    ),
                    models.Index(
                        fields=["status", "assigned_at"], name="claims_clai_status_5ba87e_idx"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "sentence_index"), name="one_claim_per_sentence"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("start__lte", models.F("end"))),
                        name="claim_span_ordered",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ClaimLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(db_index=True, max_length=64)),
                ("from_status", models.CharField(blank=True, max_length=16)),
                ("to_status", models.CharField(blank=True, max_length=16)),
                ("comment", models.TextField(blank=True)),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="log",
                        to="claims.claim",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Evidence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=2000)),
                (
                    "document",
                    models.FileField(blank=True, upload_to=claims.models.evidence_upload_to),
                ),
                ("note", models.TextField(blank=True)),
                ("added_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "added_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="evidence",
                        to="claims.claim",
                    ),
                ),
                ("content_type", models.CharField(blank=True, max_length=100)),
                ("removed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "evidence",
                "ordering": ["added_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("recipient", models.EmailField(max_length=254)),
                ("subject", models.CharField(max_length=300)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="claims.claim",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("body", models.TextField(blank=True)),
                ("claim_token", models.CharField(blank=True, db_index=True, max_length=32)),
                ("claimed_until", models.DateTimeField(blank=True, null=True)),
                ("due_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_error", models.TextField(blank=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(
                        fields=["sent_at", "due_at"], name="claims_noti_sent_at_566880_idx"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Verdict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rating",
                    models.CharField(
                        choices=[
                            ("true", "True"),
                            ("mostly_true", "Mostly true"),
                            ("half_true", "Half true"),
                            ("mostly_false", "Mostly false"),
                            ("false", "False"),
                            ("misleading", "Misleading"),
                            ("unverifiable", "Unverifiable"),
                        ],
                        max_length=16,
                    ),
                ),
                ("conclusion", models.CharField(max_length=300)),
                ("explanation", models.TextField(blank=True)),
                ("sources", models.JSONField(blank=True, default=list)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("sent_back", "Sent back"),
                            ("approved", "Signed off"),
                            ("published", "Published"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="proposed",
                        max_length=16,
                    ),
                ),
                ("proposed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("comment", models.TextField(blank=True)),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verdicts",
                        to="claims.claim",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-proposed_at", "-id"],
                "indexes": [
                    models.Index(fields=["proposed_at"], name="claims_verd_propose_abfebb_idx")
                ],
            },
        ),
        # Claim and Verdict point at each other: the claim's side comes second.
        migrations.AddField(
            model_name="claim",
            name="verdict",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="claims.verdict",
            ),
        ),
        migrations.CreateModel(
            name="ClaimTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=48)),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="terms",
                        to="claims.claim",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["term", "claim"], name="claims_clai_term_cf34c3_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("claim", "term"), name="one_row_per_claim_term")
                ],
            },
        ),
        migrations.CreateModel(
            name="TermStat",
            fields=[
                ("term", models.CharField(max_length=48, primary_key=True, serialize=False)),
                ("df", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="Webhook",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=2000)),
                (
                    "secret",
                    models.CharField(default=claims.models.generate_webhook_secret, max_length=128),
                ),
                ("active", models.BooleanField(default=True)),
                (
                    "events",
                    models.JSONField(blank=True, default=claims.models.default_webhook_events),
                ),
                ("description", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event", models.CharField(max_length=64)),
                ("key", models.CharField(max_length=200, unique=True)),
                ("payload", models.JSONField(default=dict)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("succeeded", "Succeeded"),
                            ("failed", "Failed"),
                        ],
                        db_index=True,
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("attempt_log", models.JSONField(blank=True, default=list)),
                ("last_status_code", models.PositiveIntegerField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="claims.claim",
                    ),
                ),
                (
                    "webhook",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="claims.webhook",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200)),
                ("url", models.URLField(max_length=2000, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[("feed", "RSS or Atom feed"), ("sitemap", "Sitemap")],
                        default="feed",
                        max_length=16,
                    ),
                ),
                (
                    "poll_interval_minutes",
                    models.PositiveIntegerField(
                        default=30, validators=[django.core.validators.MinValueValidator(1)]
                    ),
                ),
                ("active", models.BooleanField(db_index=True, default=True)),
                ("next_poll_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("last_polled_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "id"],
            },
        ),
        migrations.CreateModel(
            name="SourceItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("url", models.URLField(max_length=2000)),
                (
                    "outcome",
                    models.CharField(
                        choices=[("new", "New"), ("duplicate", "Duplicate"), ("failed", "Failed")],
                        max_length=16,
                    ),
                ),
                ("reason", models.TextField(blank=True)),
                ("seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="claims.article",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="claims.source",
                    ),
                ),
            ],
            options={
                "ordering": ["-seen_at", "-id"],
                "indexes": [
                    models.Index(
                        fields=["source", "seen_at"], name="claims_sour_source__61bfd9_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "url"), name="one_item_per_source_url"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AuditLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(db_index=True, max_length=64)),
                ("object_type", models.CharField(blank=True, max_length=64)),
                ("object_id", models.CharField(blank=True, db_index=True, max_length=64)),
                ("object_repr", models.CharField(blank=True, max_length=300)),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ResearchNoteRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(blank=True)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="note_revisions",
                        to="claims.claim",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ArticleLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("action", models.CharField(db_index=True, max_length=64)),
                ("from_status", models.CharField(blank=True, max_length=16)),
                ("to_status", models.CharField(blank=True, max_length=16)),
                ("comment", models.TextField(blank=True)),
                ("data", models.JSONField(blank=True, default=dict)),
                (
                    "created_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "article",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="log",
                        to="claims.article",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.RunPython(create_groups, remove_groups),
        # The history: the database refuses UPDATE and DELETE on these tables.
        AppendOnly("claimlog"),
        AppendOnly("researchnoterevision"),
        AppendOnly("auditlog"),
        AppendOnly("articlelog"),
    ]
