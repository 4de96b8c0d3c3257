"""Write claims as CSV or JSON Lines, one row per claim (``claims.review.export``).

    manage.py export_claims --format csv|jsonl [--since YYYY-MM-DD] [--status S] [-o FILE]

Streamed: rows are read a thousand at a time and written as they come, so memory
does not grow with the number of claims.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.models import Claim
from claims.review import export


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since wants a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = "Write claims as CSV or JSON Lines (one row per claim), streamed."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
        parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="only claims extracted on or after this day"
        )
        parser.add_argument("--status", choices=Claim.Status.values, help="only this status")
        parser.add_argument("-o", "--output", help="a file to write (default: stdout)")

    def handle(self, *args, **options):
        qs = Claim.objects.all()
        if options["since"]:
            start = datetime.combine(_day(options["since"]), time.min)
            qs = qs.filter(created_at__gte=timezone.make_aware(start))
        if options["status"]:
            qs = qs.filter(status=options["status"])
        lines = (export.csv_lines if options["format"] == "csv" else export.jsonl_lines)(
            export.rows(qs)
        )
        out = (
            open(options["output"], "w", newline="", encoding="utf-8")
            if options["output"]
            else sys.stdout
        )  # noqa: SIM115
        try:
            for line in lines:
                out.write(line)
        finally:
            if out is not sys.stdout:
                out.close()
