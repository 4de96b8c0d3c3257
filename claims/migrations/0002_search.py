"""Claim search on PostgreSQL: a stored full-text vector of each claim's text with a
GIN index, and a trigram index on the speaker (``claims.review.matching.search_claims``).

PostgreSQL only: on SQLite these steps do nothing and search keeps using the
``ClaimTerm`` index. The vector is a generated column that PostgreSQL keeps in step
with ``text`` by itself, so no code path writes it and a search never recomputes
``to_tsvector`` row by row; the model does not declare it (SQLite has no such type).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARDS = [
    "ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_search ON claims_claim USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS claims_claim_speaker_trgm ON claims_claim "
    "USING gin (speaker gin_trgm_ops)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS claims_claim_speaker_trgm",
    "DROP INDEX IF EXISTS claims_claim_text_search",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_vector",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_squashed_0011_article_parsed_at")]

    operations = [
        TrigramExtension(),  # pg_trgm; a no-op on other databases
        migrations.RunPython(forwards, backwards),
    ]
