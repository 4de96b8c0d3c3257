import json
import sys

from django.core.management.base import BaseCommand, CommandError

from claims import extraction


class Command(BaseCommand):
    help = "Print the sentences of an HTML article (a file, or - for stdin) as JSON. Writes nothing."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="an HTML file, or - for stdin")

    def handle(self, path, **options):
        try:
            data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}")
        try:
            result = extraction.extract(data)
        except extraction.ExtractionError as exc:
            raise CommandError(f"cannot extract {path}: {exc}")
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
