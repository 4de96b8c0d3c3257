"""The article log is history too: the database refuses UPDATE and DELETE on it,
as it does on the claim log since 0005_hist_history (whose PostgreSQL trigger
function this reuses)."""

from django.db import migrations

TABLE = "claims_articlelog"
SQLITE_CREATE = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]
POSTGRES_CREATE = [
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION claims_refuse_history_change()"
]
POSTGRES_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}"]
SQL = {"sqlite": (SQLITE_CREATE, SQLITE_DROP), "postgresql": (POSTGRES_CREATE, POSTGRES_DROP)}


def _run(which):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in SQL:
            raise RuntimeError(f"No append-only triggers written for {vendor}.")
        for sql in SQL[vendor][which]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_merge_pipe")]

    operations = [migrations.RunPython(_run(0), _run(1))]
