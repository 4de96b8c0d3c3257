"""A full export of the desk to one .tar.gz, and its import into an empty database.

The archive holds ``manifest.json``, one JSON Lines file per model (Django's
``jsonl`` serializer, in dependency order) and the media files under ``media/``.
Both directions stream: rows are read with ``.iterator()`` and written one a
line, files are copied in blocks, and the import inserts rows in batches read
line by line, so memory is bounded by a batch of rows, not by the desk's size.

The import only ever INSERTs (a raw save forced to insert): the claim log is append-only,
and the database may enforce that with a trigger that refuses UPDATE.
Rows keep their primary keys, so every reference, including the log's
unconstrained ``actor`` and ``claim`` ids, means what it meant.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, reset_queries, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = 1
# Rebuilt by ``migrate`` (content types, permissions, the desk's groups are matched
# by natural key instead), or not worth restoring (sessions, lockout logs, beat's
# change marker): users sign in again after a restore.
SKIPPED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_celery_beat.periodictasks",
}
# Matched by natural key in the target, where ``migrate`` may already have made them.
NATURAL_PRIMARY = {"auth.group"}
# References to content types, permissions and groups go by natural key, since
# their ids differ between databases.
NATURAL_FOREIGN = {"auth.group", "auth.user", "admin.logentry"}
# Rows fetched at once: few for models with text columns (an article carries up to
# MAX_ARTICLE_BYTES of HTML and its text), many for the narrow ones (index terms).
ROWS_PER_CHUNK_WIDE = 4
ROWS_PER_CHUNK_NARROW = 2000


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restore must give back the
    very rows it was given, so times keep their microseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


def _chunk_size(model) -> int:
    wide = any(f.get_internal_type() == "TextField" for f in model._meta.concrete_fields)
    return ROWS_PER_CHUNK_WIDE if wide else ROWS_PER_CHUNK_NARROW


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why."""


def exported_models() -> list:
    """Every concrete model, ordered so a model comes after those it refers to."""
    app_list = {config: None for config in apps.get_app_configs()}
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [
        m
        for m in ordered
        if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed
    ]


def _migration_state() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest.setdefault(app, [])
        latest[app].append(name)
    return {app: sorted(names) for app, names in latest.items()}


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(path, "rb") as fh:
        tar.addfile(info, fh)


def export_desk(out, *, progress=None) -> dict[str, int]:
    """Write the archive to ``out`` (a path or a binary stream). Returns rows per model."""
    counts: dict[str, int] = {}
    media_root = Path(settings.MEDIA_ROOT)
    opener = (
        tarfile.open(fileobj=out, mode="w|gz")
        if hasattr(out, "write")
        else tarfile.open(out, mode="w:gz")
    )
    with opener as tar, tempfile.TemporaryDirectory(prefix="desk-export-") as tmp:
        manifest = {"format": FORMAT, "migrations": _migration_state(), "models": []}
        for i, model in enumerate(exported_models()):
            label = model._meta.label_lower
            path = Path(tmp) / f"{i:03d}-{label}.jsonl"
            queryset = model._base_manager.order_by("pk")
            with open(path, "w", encoding="utf-8") as fh:
                serializers.serialize(
                    "jsonl",
                    queryset.iterator(chunk_size=_chunk_size(model)),
                    stream=fh,
                    use_natural_foreign_keys=label in NATURAL_FOREIGN,
                    use_natural_primary_keys=label in NATURAL_PRIMARY,
                    cls=ExactJSONEncoder,
                )
            with open(path, "rb") as fh:
                counts[label] = sum(1 for _ in fh)
            manifest["models"].append(
                {"model": label, "file": f"data/{path.name}", "rows": counts[label]}
            )
            if progress:
                progress(label, counts[label])
        body = json.dumps(manifest, indent=1).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
        for entry in manifest["models"]:
            _add_file(tar, entry["file"], Path(tmp) / Path(entry["file"]).name)
        if media_root.is_dir():
            for dirpath, _dirs, files in os.walk(media_root):
                for name in sorted(files):
                    full = Path(dirpath) / name
                    _add_file(tar, "media/" + full.relative_to(media_root).as_posix(), full)
    return counts


# ---------------------------------------------------------------------------
# Import


def _refuse_unless_empty(models) -> None:
    for model in models:
        if model._meta.label_lower in NATURAL_PRIMARY:
            continue
        if model._base_manager.exists():
            raise BackupError(
                f"The database already holds {model._meta.verbose_name_plural}; import "
                "only into an empty one (a fresh database after manage.py migrate)."
            )


def _check_migrations(manifest: dict) -> None:
    here = _migration_state()
    missing = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if name not in here.get(app, [])
    ]
    if missing:
        raise BackupError(
            "The archive comes from a newer schema; run manage.py migrate with the code "
            f"that wrote it first (missing: {', '.join(missing[:5])})."
        )


def _insert(d) -> None:
    """INSERT one deserialized row with its many-to-many links.

    A raw save, as loaddata makes it (auto_now fields keep their values, signal
    handlers see ``raw=True``), forced to INSERT so nothing is ever updated; only a
    group that ``migrate`` already made is matched by name and gets its links."""
    if d.object._meta.label_lower in NATURAL_PRIMARY and d.object.pk is not None:
        d.save()
    else:
        d.save(force_insert=True)


def import_desk(source) -> dict[str, int]:
    """Restore an archive (a path or a binary stream) into an empty database.

    All or nothing: the rows go in one transaction (foreign keys are checked at
    commit, so the claim/verdict cycle restores in any order); media files are
    written only once the rows are in."""
    counts: dict[str, int] = {}
    media_root = Path(settings.MEDIA_ROOT)
    try:
        opener = (
            tarfile.open(fileobj=source, mode="r|gz")
            if hasattr(source, "read")
            else tarfile.open(source, mode="r|gz")
        )
        with opener as tar, tempfile.TemporaryDirectory(prefix="desk-import-") as tmp:
            staged = Path(tmp) / "media"
            manifest = None
            touched = []
            with transaction.atomic():
                for member in tar:
                    if member.name == "manifest.json":
                        manifest = json.load(tar.extractfile(member))
                        if manifest.get("format") != FORMAT:
                            raise BackupError(_("Not a desk archive this version can read."))
                        _check_migrations(manifest)
                        _refuse_unless_empty(exported_models())
                    elif member.name.startswith("data/") and member.isfile():
                        if manifest is None:
                            raise BackupError(_("The archive has no manifest first."))
                        # Line by line (a streamed tar cannot seek, so no TextIOWrapper).
                        lines = (line.decode("utf-8") for line in tar.extractfile(member))
                        objects = serializers.deserialize(
                            "jsonl", lines, handle_forward_references=False
                        )
                        for d in objects:  # one row in memory at a time
                            _insert(d)
                            reset_queries()  # under DEBUG, the query log keeps every row
                            label = d.object._meta.label_lower
                            if label not in counts:
                                touched.append(type(d.object))
                            counts[label] = counts.get(label, 0) + 1
                    elif member.name.startswith("media/") and member.isfile():
                        tar.extract(member, path=tmp, filter="data")
                if manifest is None:
                    raise BackupError(_("Not a desk archive (no manifest.json)."))
                _reset_sequences(touched)
            if staged.is_dir():
                for dirpath, _dirs, files in os.walk(staged):
                    for name in files:
                        src = Path(dirpath) / name
                        dest = media_root / src.relative_to(staged)
                        dest.parent.mkdir(parents=True, exist_ok=True)
                        _copy(src, dest)
    except (
        tarfile.TarError,
        EOFError,
        OSError,
        ValueError,
        serializers.base.DeserializationError,
    ) as exc:
        raise BackupError(f"Cannot read the archive: {exc}") from exc
    return counts


def _copy(src: Path, dest: Path) -> None:
    with open(src, "rb") as r, open(dest, "wb") as w:
        while block := r.read(1 << 20):
            w.write(block)


def _reset_sequences(models) -> None:
    """Rows came with their ids; move PostgreSQL's sequences past them (as loaddata does)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
