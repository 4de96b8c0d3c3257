"""Write every published fact-check as a schema.org DataFeed of ClaimReviews.

Output (stdout) is one JSON object, the same shape as ``/factchecks/feed.json``
but unpaginated::

    {"@context": "https://schema.org", "@type": "DataFeed", ...,
     "dataFeedElement": [{"@type": "ClaimReview", ...}, ...]}

``--since YYYY-MM-DD`` keeps claims published on or after that day (in the
project's time zone). ``--list`` writes a bare JSON list of ClaimReviews instead.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from claims.publishing import pages


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since wants a date as YYYY-MM-DD, not {value!r}.") from exc


class Command(BaseCommand):
    help = "Write published fact-checks as ClaimReview JSON (a schema.org DataFeed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="only claims published on or after this day"
        )
        parser.add_argument(
            "--list",
            action="store_true",
            dest="as_list",
            help="write a bare JSON list of ClaimReviews, not a DataFeed",
        )

    def handle(self, *args, since=None, as_list=False, **options):
        claims = pages.published_claims().order_by("published_at", "id")
        if since:
            start = timezone.make_aware(datetime.combine(_day(since), time.min))
            claims = claims.filter(published_at__gte=start)
        if as_list:
            data = [pages.claimreview(c) for c in claims.iterator()]
        else:
            data = pages.datafeed(
                claims.iterator(),
                url=pages.absolute(reverse("public:feed_json")),
                date_modified=pages.public_set_state()[1],
            )
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
