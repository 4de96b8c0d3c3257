import json
import sys

from django.core.management.base import BaseCommand

from claims.extraction.checkworthiness import is_checkworthy, score_sentences


class Command(BaseCommand):
    help = "Score one sentence a line from stdin; print one JSON object a line."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2048)

    def handle(self, batch, **options):
        stdin = (line.rstrip("\r\n") for line in sys.stdin)
        buf = []
        for line in stdin:
            buf.append(line)
            if len(buf) >= batch:
                self._emit(buf)
                buf = []
        if buf:
            self._emit(buf)

    def _emit(self, lines):
        scores = score_sentences(lines)
        out = self.stdout
        for text, score in zip(lines, scores):
            out.write(
                json.dumps(
                    {
                        "text": text,
                        "score": round(float(score), 4),
                        "checkworthy": is_checkworthy(score),
                    },
                    ensure_ascii=False,
                )
            )
