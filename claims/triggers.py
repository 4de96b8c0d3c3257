"""``AppendOnly``: a migration operation that makes a history table append-only in
the database itself.

The claim log, the article log, the audit log and the research-note revisions are
the desk's history. The models refuse to update or delete their rows, but that only
binds code that goes through the ORM; a trigger binds everyone who connects (a
``dbshell``, a raw cursor, another program). So for each such table the database
refuses UPDATE and DELETE with an "<table> is append-only" error, and INSERT stays
allowed. (TRUNCATE and DROP, which only a database owner resetting everything would
run, are not row changes and are not refused.)

Written as an operation rather than as ``RunPython`` so a migration says what it does
where it does it, ``AppendOnly("claimlog")``, and so the SQL lives in one place. The
statements and trigger names are the ones migrations 0005_hist_history and
0010_articlelog_append_only used, so a database migrated by those has the same
trigger objects as one migrated through the squashed migration:

- SQLite: ``<table>_no_update`` and ``<table>_no_delete``, each ``RAISE(ABORT, ...)``.
- PostgreSQL: ``<table>_append_only``, a row trigger calling the shared function
  ``claims_refuse_history_change()`` (SQLSTATE 23001, restrict_violation, which
  Django raises as ``IntegrityError``).

Only Django is imported here: migrations import this module, and must keep working
whatever happens to the rest of the app.
"""

from django.db.migrations.operations.base import Operation

FUNCTION = "claims_refuse_history_change"

POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only',
            ERRCODE = 'restrict_violation';
    END
    $$"""

# Dropped with the last trigger that uses it (the function is shared by every table).
POSTGRES_DROP_UNUSED_FUNCTION = f"""DO $$
    BEGIN
        IF to_regprocedure('{FUNCTION}()') IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM pg_trigger WHERE tgfoid = to_regprocedure('{FUNCTION}()')
        ) THEN
            DROP FUNCTION {FUNCTION}();
        END IF;
    END
    $$"""


def sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
    ]


def sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


def postgres_create(table: str) -> list[str]:
    return [
        POSTGRES_FUNCTION,
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    ]


def postgres_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        POSTGRES_DROP_UNUSED_FUNCTION,
    ]


SQL = {
    "sqlite": (sqlite_create, sqlite_drop),
    "postgresql": (postgres_create, postgres_drop),
}


def statements(vendor: str, table: str, *, create: bool) -> list[str]:
    """The SQL that adds (``create=True``) or removes the triggers on ``table``."""
    if vendor not in SQL:
        raise RuntimeError(f"No append-only triggers written for {vendor}.")
    make, drop = SQL[vendor]
    return make(table) if create else drop(table)


class AppendOnly(Operation):
    """The database refuses UPDATE and DELETE on ``model_name``'s table.

    Changes no model state: it only adds triggers (and removes them when unapplied).
    Put it after every operation that changes the table: on SQLite, altering a column
    rebuilds the table, and the rebuilt table has no triggers.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name):
        self.model_name = model_name

    @property
    def model_name_lower(self):
        return self.model_name.lower()

    def deconstruct(self):
        # An operation gives its class name; the migration writer prefixes the module,
        # so a written migration says ``claims.triggers.AppendOnly(model_name=...)``.
        return (self.__class__.__name__, [], {"model_name": self.model_name})

    def state_forwards(self, app_label, state):
        pass

    def _apply(self, app_label, schema_editor, state, *, create):
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        vendor = schema_editor.connection.vendor
        for sql in statements(vendor, model._meta.db_table, create=create):
            schema_editor.execute(sql)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._apply(app_label, schema_editor, to_state, create=True)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._apply(app_label, schema_editor, from_state, create=False)

    def describe(self):
        return f"Make {self.model_name} append-only (the database refuses UPDATE and DELETE)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name_lower}_append_only"
