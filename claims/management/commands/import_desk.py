"""Restore an export_desk archive into an empty, migrated database."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from claims.backoffice import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_desk (- for stdin) into an empty "
        "database (run manage.py migrate on a fresh one first). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz to read, or - for stdin")

    def handle(self, archive, **options):
        try:
            if archive == "-":
                counts = backup.import_desk(sys.stdin.buffer)
            else:
                counts = backup.import_desk(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"imported {sum(counts.values())} rows of {len(counts)} models")
