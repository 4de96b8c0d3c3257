"""Submit every article an RSS/Atom feed (or, with --sitemap, a sitemap) lists.

Exit status as for ``ingest_urls``: 0 all accepted, 1 some failed, 2 usage error
or nothing processed (the feed could not be read, or listed nothing).
"""

from __future__ import annotations

from django.core.management.base import CommandError

from claims.intake import sources
from claims.models import Source

from .ingest_urls import NOTHING_DONE, IngestCommand


class Command(IngestCommand):
    help = (
        "Submit the articles a feed or sitemap lists. Exit status: 0 all accepted, "
        "1 some failed, 2 usage error or nothing processed."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="the feed's (or sitemap's) http(s) address")
        parser.add_argument(
            "--sitemap",
            action="store_true",
            help="the address is a sitemap or sitemap index, not a feed",
        )
        self.add_common_arguments(parser)

    def handle(self, url, sitemap=False, user=None, wait=0.0, progress="auto", **options):
        actor = self.actor(user)
        kind = Source.Kind.SITEMAP if sitemap else Source.Kind.FEED
        try:
            urls = sources.list_source_urls(url, kind)
        except sources.SourceError as exc:
            raise CommandError(f"cannot read {url}: {exc}", returncode=NOTHING_DONE) from exc
        self.ingest(urls, actor=actor, total=len(urls), progress=progress, wait=wait)
