"""Submit many article URLs at once, with a progress bar and a summary.

Exit status, for scripts:
  0  every URL was accepted (new, or already on the desk);
  1  some URLs failed (each is listed with its reason);
  2  usage error, or nothing was processed (unreadable file, empty list, unreadable feed).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.intake import sources
from claims.models import Article
from factcheck.localredis import LocalRedisError, ensure_configured_redis

OK, SOME_FAILED, NOTHING_DONE = 0, 1, 2
FINAL = (Article.Status.EXTRACTED, Article.Status.DUPLICATE, Article.Status.FAILED)


class IngestCommand(BaseCommand):
    """What ``ingest_urls`` and ``ingest_feed`` share: the actor, progress, summary, exit."""

    def add_common_arguments(self, parser):
        parser.add_argument("--user", help="username to record as the submitter")
        parser.add_argument(
            "--wait",
            type=float,
            default=0.0,
            help="seconds to wait for the worker to fetch and extract the new articles, "
            "so pages that cannot be fetched count as failed (default: don't wait)",
        )
        parser.add_argument(
            "--progress",
            choices=["auto", "always", "never"],
            default="auto",
            help="progress bar on stderr (auto: only when stderr is a terminal)",
        )

    def actor(self, username):
        if not username:
            return None
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"no such user: {username}", returncode=NOTHING_DONE)
        return actor

    def ingest(self, urls: Iterable[str], *, actor, total=None, progress="auto", wait=0.0) -> None:
        try:
            ensure_configured_redis()
        except LocalRedisError as exc:
            raise CommandError(str(exc), returncode=NOTHING_DONE)
        tally = sources.Tally()
        new_ids = []
        bar = tqdm(
            urls,
            total=total,
            unit="url",
            file=sys.stderr,
            dynamic_ncols=True,
            disable={"auto": None, "always": False, "never": True}[progress],
        )
        for url in bar:
            outcome = sources.submit_url(url, actor=actor)
            tally.add(outcome)
            if outcome.outcome == "new":
                new_ids.append(outcome.article_id)
            bar.set_postfix(
                new=tally.new, duplicate=tally.duplicate, failed=tally.failed, refresh=False
            )
        bar.close()
        pending = self.wait_for(new_ids, tally, wait) if wait and new_ids else 0
        self.summarise(tally, pending)
        if not tally.processed:
            raise CommandError("No URLs were given.", returncode=NOTHING_DONE)
        if tally.failed:
            raise CommandError(
                f"{tally.failed} of {tally.processed} URLs failed.", returncode=SOME_FAILED
            )

    def wait_for(self, ids: list[int], tally: sources.Tally, timeout: float) -> int:
        """Wait for the worker, then move fetch failures and repeated texts from
        "new" to what they became. Returns how many are still being processed."""
        deadline = time.monotonic() + timeout
        waiting = set(ids)
        while waiting:
            for start in range(0, len(ids), 500):
                chunk = [i for i in ids[start : start + 500] if i in waiting]
                rows = Article.objects.filter(pk__in=chunk, status__in=FINAL).values_list(
                    "pk", "status", "url", "error"
                )
                for pk, status, url, error in rows:
                    waiting.discard(pk)
                    if status == Article.Status.FAILED:
                        tally.new -= 1
                        tally.failures.append(sources.Outcome(url, "failed", error, pk))
                    elif status == Article.Status.DUPLICATE:
                        tally.new -= 1
                        tally.duplicate += 1
            if not waiting or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        return len(waiting)

    def summarise(self, tally: sources.Tally, pending: int) -> None:
        line = f"new: {tally.new}, duplicate: {tally.duplicate}, failed: {tally.failed}"
        if pending:
            line += f" ({pending} new still being processed)"
        self.stdout.write(line)
        for failure in tally.failures:
            self.stdout.write(f"failed: {failure.url}: {failure.reason}")


class Command(IngestCommand):
    help = (
        "Submit article URLs from a file (or - for stdin), one a line; blank lines "
        "and # comments are skipped. Exit status: 0 all accepted, 1 some failed, "
        "2 usage error or nothing processed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file of URLs, one a line, or - for stdin")
        self.add_common_arguments(parser)

    def handle(self, file, user=None, wait=0.0, progress="auto", **options):
        actor = self.actor(user)
        if file == "-":
            self.ingest(
                sources.read_url_lines(sys.stdin), actor=actor, progress=progress, wait=wait
            )
            return
        try:
            with open(file, encoding="utf-8") as fh:
                total = sum(1 for _ in sources.read_url_lines(fh))
                fh.seek(0)
                self.ingest(
                    sources.read_url_lines(fh),
                    actor=actor,
                    total=total,
                    progress=progress,
                    wait=wait,
                )
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}",
                returncode=NOTHING_DONE,
            ) from exc
