import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import extraction


class Command(BaseCommand):
    help = (
        "Print the sentences of an HTML article (a file, or - for stdin) as JSON. Writes nothing."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("path", help="an HTML file, or - for stdin")

    def handle(self, path, **options):
        limit = settings.MAX_ARTICLE_BYTES
        try:
            if path == "-":
                # Read one byte past the limit: enough to know, without holding a huge input.
                data = sys.stdin.buffer.read(limit + 1)
            else:
                with open(path, "rb") as f:
                    extraction.check_size(f.seek(0, 2), limit)
                    f.seek(0)
                    data = f.read(limit + 1)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        except extraction.ArticleTooLarge as exc:
            raise CommandError(f"cannot extract {path}: {exc}") from exc
        try:
            result = extraction.extract(data, max_bytes=limit)
        except extraction.ExtractionError as exc:
            raise CommandError(f"cannot extract {path}: {exc}") from exc
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
