"""Write the whole desk (every model's rows and the media files) to one .tar.gz."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from claims.backoffice import backup


class Command(BaseCommand):
    help = (
        "Export every row (JSON Lines per model, in dependency order) and the media "
        "files to OUT.tar.gz (- for stdout). Restore with import_desk."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="the archive to write, or - for stdout")

    def handle(self, out, **options):
        def report(label, rows):
            if options["verbosity"] > 1:
                self.stderr.write(f"{label}: {rows} rows")

        try:
            if out == "-":
                counts = backup.export_desk(sys.stdout.buffer, progress=report)
            else:
                counts = backup.export_desk(out, progress=report)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from exc
        total = sum(counts.values())
        self.stderr.write(f"exported {total} rows of {len(counts)} models")
