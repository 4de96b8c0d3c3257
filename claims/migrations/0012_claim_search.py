"""Claim search on PostgreSQL: a stored full-text vector of each claim's text with a
GIN index, and trigram search over the names of speakers
(``claims.review.matching.search_claims``).

PostgreSQL only: on SQLite these steps do nothing and search keeps using the
``ClaimTerm`` index. The vector is a generated column that PostgreSQL keeps in step
with ``text`` by itself, so no code path writes it and a search never recomputes
``to_tsvector`` row by row; the model does not declare it (SQLite has no such type).

Speakers repeat: a desk holds a million claims from a few thousand people. A
trigram index on ``claims_claim.speaker`` would answer "Obma" by rechecking every
claim of every Obama-like name (seconds at a million claims), so the trigram index
is on ``claims_speaker_name``, one row per distinct speaker, which a trigger fills
as claims are written; the claims of the matching names are then found through a
plain B-tree index on ``speaker``.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FORWARDS = [
    "ALTER TABLE claims_claim ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS claims_claim_text_search ON claims_claim USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS claims_claim_speaker ON claims_claim (speaker)",
    "CREATE TABLE IF NOT EXISTS claims_speaker_name (name varchar(200) PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS claims_speaker_name_trgm ON claims_speaker_name "
    "USING gin (name gin_trgm_ops)",
    """CREATE OR REPLACE FUNCTION claims_note_speaker_name() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.speaker <> '' THEN
            INSERT INTO claims_speaker_name (name) VALUES (NEW.speaker) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NEW;
    END $$""",
    "DROP TRIGGER IF EXISTS claims_claim_speaker_name ON claims_claim",
    "CREATE TRIGGER claims_claim_speaker_name AFTER INSERT OR UPDATE OF speaker ON claims_claim "
    "FOR EACH ROW EXECUTE FUNCTION claims_note_speaker_name()",
    "INSERT INTO claims_speaker_name (name) SELECT DISTINCT speaker FROM claims_claim "
    "WHERE speaker <> '' ON CONFLICT DO NOTHING",
]
BACKWARDS = [
    "DROP TRIGGER IF EXISTS claims_claim_speaker_name ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_note_speaker_name()",
    "DROP TABLE IF EXISTS claims_speaker_name",
    "DROP INDEX IF EXISTS claims_claim_speaker",
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
