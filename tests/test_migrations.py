"""The squashed history: one linear migration that replaces the old ones, and the
append-only triggers as a named operation (``claims.triggers.AppendOnly``).

That the database refuses UPDATE and DELETE on every history table is
tests/test_history.py; here, that the squash and the operation are what gives it.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.writer import OperationWriter
from django.utils import timezone

from claims.models import AppendOnlyModel, ClaimLog
from claims.triggers import AppendOnly, statements

SQUASHED = "0001_squashed_0011_article_parsed_at"
OLD = [
    "0001_initial",
    "0002_groups",
    "0003_claim_terms",
    "0004_webhooks",
    "0005_desk_indexes",
    "0005_sources_monitored",
    "0005_secevidence_evidence_history",
    "0005_hist_history",
    "0006_merge_history_evidence_sources",
    "0005_extbody_article_authors_language",
    "0007_merge_extbody",
    "0005_extmodel_reindex",
    "0008_merge_extmodel",
    "0005_pipe_lifecycle_outbox",
    "0009_merge_pipe",
    "0010_articlelog_append_only",
    "0011_article_parsed_at",
]


def squashed():
    return importlib.import_module(f"claims.migrations.{SQUASHED}").Migration


def test_the_squash_replaces_every_old_migration_and_starts_the_history():
    assert sorted(squashed().replaces) == sorted(("claims", name) for name in OLD)
    # On a new database (no connection: nothing applied) the history starts with the
    # squash, none of the files it replaces runs, and it runs in one line.
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan = [key for key in graph.forwards_plan(("claims", SQUASHED)) if key[0] == "claims"]
    assert plan == [("claims", SQUASHED)]
    # Later migrations build on the squash, never on an old file it replaced.
    for leaf in graph.leaf_nodes("claims"):
        history = [key[1] for key in graph.forwards_plan(leaf) if key[0] == "claims"]
        assert history[0] == SQUASHED and not set(history) & set(OLD), history


def test_every_history_model_is_made_append_only_by_the_squash():
    operations = squashed().operations
    append_only = [op for op in operations if isinstance(op, AppendOnly)]
    history = {
        model._meta.model_name
        for model in apps.get_app_config("claims").get_models()
        if issubclass(model, AppendOnlyModel)
    }
    assert {"claimlog", "articlelog", "auditlog", "researchnoterevision"} <= history
    assert sorted(op.model_name for op in append_only) == sorted(history)
    # After every other operation: on SQLite, altering a table rebuilds it without triggers.
    assert operations[-len(append_only) :] == append_only
    # As the migration writer would put it in a new migration.
    written, imports = OperationWriter(append_only[0], indentation=0).serialize()
    assert written == "claims.triggers.AppendOnly(\n    model_name='claimlog',\n),"
    assert imports == {"import claims.triggers"}


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_the_operation_writes_the_triggers_the_old_migrations_wrote(vendor):
    """So a database migrated through the old files has the same trigger objects."""
    hist = importlib.import_module("claims.migrations.0005_hist_history")
    article = importlib.import_module("claims.migrations.0010_articlelog_append_only")
    old_create = hist.SQL[vendor][0] + article.SQL[vendor][0]
    new_create = [
        sql
        for table in (*hist.APPEND_ONLY_TABLES, article.TABLE)
        for sql in statements(vendor, table, create=True)
    ]
    assert set(new_create) == set(old_create)
    old_drop = hist.SQL[vendor][1] + article.SQL[vendor][1]
    assert {sql for sql in old_drop if "TRIGGER" in sql} <= {
        sql
        for table in (*hist.APPEND_ONLY_TABLES, article.TABLE)
        for sql in statements(vendor, table, create=False)
    }


@pytest.mark.django_db
def test_unapplying_and_reapplying_the_operation_lifts_and_restores_the_refusal(make_claim):
    entry = ClaimLog.objects.create(claim=make_claim(), action="claim.test")
    state = MigrationLoader(connection).project_state(("claims", SQUASHED))
    op = AppendOnly("claimlog")
    # Not entered: SQLite's editor will not open inside the test's transaction, and
    # the operation only calls execute(). Both databases roll this DDL back.
    editor = connection.schema_editor(atomic=False)
    update = "UPDATE claims_claimlog SET comment = %s WHERE id = %s"

    op.database_backwards("claims", editor, state, state)
    with connection.cursor() as cursor:
        cursor.execute(update, ["lifted", entry.pk])
    assert ClaimLog.objects.get(pk=entry.pk).comment == "lifted"

    op.database_forwards("claims", editor, state, state)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(update, [str(timezone.now()), entry.pk])
    assert ClaimLog.objects.get(pk=entry.pk).comment == "lifted"
