"""Rebuild the similar-claim index (ClaimTerm, TermStat) with the current term rules.

Run after a change to ``claims.review.matching.terms`` (a data migration can run the same
code, ``matching.reindex_claims``). Reads claims in chunks, so memory does not grow with the
number of claims.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from claims.models import Claim, ClaimTerm, TermStat
from claims.review import matching


class Command(BaseCommand):
    help = "Recompute every claim's index terms (stemmed) and the term document frequencies."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk", type=int, default=matching.REINDEX_CHUNK, help="claims per batch"
        )

    def handle(self, chunk, **options):
        if chunk < 1:
            self.stderr.write("--chunk must be at least 1")
            raise SystemExit(2)
        n = matching.reindex_claims(Claim, ClaimTerm, TermStat, chunk=chunk)
        self.stdout.write(self.style.SUCCESS(f"Reindexed {n} claims."))
