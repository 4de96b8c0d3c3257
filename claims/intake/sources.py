"""Monitored sources and bulk ingest: turning feeds, sitemaps and URL lists into articles.

Every URL goes through ``submission.submit_article``, which deduplicates by URL
(and, once extracted, by the text's hash). Each source remembers every URL it
listed (a ``SourceItem``), so a poll submits only what it has not seen before,
and the desk can show what became of each item and why one failed.

Polling is claimed lease-style: ``claim_due_source`` moves a due source's
``next_poll_at`` forward with a conditional UPDATE, so two beats or workers
never poll one source at once, and a source whose poll crashes waits for its
next turn instead of crash-looping the worker.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import feedparser
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from lxml import etree

from .. import telemetry
from ..models import Source, SourceItem
from . import submission

log = logging.getLogger(__name__)

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "text/plain",
    "",
    "text/html",  # misconfigured servers; the parser then says what it is
)
SITEMAP_TYPES = (
    "application/xml",
    "text/xml",
    "application/x-gzip",
    "application/gzip",
    "application/octet-stream",
    "text/plain",
    "",
    "text/html",
)
# One poll submits at most this many new URLs; the rest wait for the next poll.
MAX_ITEMS_PER_POLL = 200
# A sitemap index is followed into at most this many child sitemaps (newest first).
MAX_CHILD_SITEMAPS = 5


class SourceError(Exception):
    """A source could not be read; the message is fit to show on the desk."""


@dataclass
class Outcome:
    url: str
    outcome: str  # SourceItem.Outcome
    reason: str = ""
    article_id: int | None = None


@dataclass
class Tally:
    """What a poll or a bulk ingest did: counts, and each failure with its reason."""

    new: int = 0
    duplicate: int = 0
    failures: list[Outcome] = field(default_factory=list)
    error: str = ""  # the source itself could not be read

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def processed(self) -> int:
        return self.new + self.duplicate + self.failed

    def add(self, outcome: Outcome) -> None:
        if outcome.outcome == SourceItem.Outcome.NEW:
            self.new += 1
        elif outcome.outcome == SourceItem.Outcome.DUPLICATE:
            self.duplicate += 1
        else:
            self.failures.append(outcome)


# ---------------------------------------------------------------------------
# Submitting URLs


def submit_url(url: str, *, actor, source: Source | None = None) -> Outcome:
    """Submit one URL; a refusal is an outcome with its reason, never an exception.
    ``source``: the monitored source that listed it (its triage rule applies)."""
    url = url.strip()
    try:
        submitted = submission.submit_article(url=url, actor=actor, monitored_source=source)
    except submission.SubmissionError as exc:
        return Outcome(url, SourceItem.Outcome.FAILED, str(exc))
    new = submitted.created or submitted.retried  # a failed one tried again is followed as new
    outcome = SourceItem.Outcome.NEW if new else SourceItem.Outcome.DUPLICATE
    return Outcome(url, outcome, "", submitted.article.pk)


def submit_urls(urls: Iterable[str], *, actor) -> Iterator[Outcome]:
    """Submit URLs one by one (lazily, so a caller can show progress)."""
    for url in urls:
        yield submit_url(url, actor=actor)


def read_url_lines(lines: Iterable[str]) -> Iterator[str]:
    """URLs from a text stream: one a line; blank lines and ``#`` comments are skipped."""
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


# ---------------------------------------------------------------------------
# Reading feeds and sitemaps


def feed_entry_urls(body: bytes) -> list[str]:
    """The item links of an RSS or Atom feed, in the feed's order."""
    parsed = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")()
        raise SourceError("Not an RSS or Atom feed" + (f" ({reason})." if reason else "."))
    urls = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            link = next(
                (
                    x.get("href", "")
                    for x in entry.get("links", [])
                    if x.get("rel", "alternate") == "alternate"
                ),
                "",
            )
        if link:
            urls.append(link.strip())
    return urls


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True
)


def _gunzip(body: bytes) -> bytes:
    """Sitemaps are often gzipped; inflate them no larger than an article may be."""
    if body[:2] != b"\x1f\x8b":
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(body, settings.MAX_ARTICLE_BYTES + 1)
    if len(out) > settings.MAX_ARTICLE_BYTES or inflater.unconsumed_tail:
        raise SourceError("The sitemap is too large once uncompressed.")
    return out


def parse_sitemap(body: bytes) -> tuple[list[str], list[str]]:
    """Page URLs and child sitemap URLs (newest first) of a sitemap or sitemap index.

    Namespaces are ignored, so news and image sitemaps read like plain ones."""
    try:
        root = etree.fromstring(_gunzip(body), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SourceError(f"Not a sitemap: {exc}") from exc
    kind = etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise SourceError(f"Not a sitemap (its root element is <{kind}>).")
    entries = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        values = {
            etree.QName(child).localname: (child.text or "").strip()
            for child in element
            if isinstance(child.tag, str)
        }
        if values.get("loc"):
            entries.append((values.get("lastmod", ""), values["loc"]))
    if kind == "urlset":
        return [loc for _, loc in entries], []
    entries.sort(key=lambda e: e[0], reverse=True)
    return [], [loc for _, loc in entries]


def list_source_urls(url: str, kind: str) -> list[str]:
    """Fetch a feed or sitemap through the safe fetcher and list the pages it names."""
    try:
        if kind == Source.Kind.SITEMAP:
            body, _ = submission.fetch_url(url, content_types=SITEMAP_TYPES)
            pages, children = parse_sitemap(body)
            for child in children[:MAX_CHILD_SITEMAPS]:
                body, _ = submission.fetch_url(child, content_types=SITEMAP_TYPES)
                pages.extend(parse_sitemap(body)[0])
            return pages
        body, _ = submission.fetch_url(url, content_types=FEED_TYPES)
    except (submission.SubmissionError, submission.TransientFetchError) as exc:
        raise SourceError(str(exc)) from exc
    return feed_entry_urls(body)


# ---------------------------------------------------------------------------
# Polling


def due_sources(now=None):
    """Active sources whose turn has come, longest-waiting first (a read, no lease)."""
    now = now or timezone.now()
    return (
        Source.objects.filter(active=True)
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by("next_poll_at", "id")
        .only("id", "next_poll_at", "poll_interval_minutes")
    )


def lease_source(source: Source, now=None) -> bool:
    """Take the lease on a source read by ``due_sources``: move ``next_poll_at`` on by
    its interval, only if it still holds the value read. Of two pollers that read
    the same source, exactly one wins it."""
    now = now or timezone.now()
    lease_until = now + timedelta(minutes=source.poll_interval_minutes)
    if source.next_poll_at is None:
        unchanged = Source.objects.filter(pk=source.pk, next_poll_at__isnull=True)
    else:
        unchanged = Source.objects.filter(pk=source.pk, next_poll_at=source.next_poll_at)
    return bool(unchanged.update(next_poll_at=lease_until))


def claim_due_source(now=None) -> Source | None:
    """Lease one due source and return it, or None if none is due (or all were taken)."""
    for source in due_sources(now)[:20]:
        if lease_source(source, now):
            return Source.objects.get(pk=source.pk)
    return None


def poll_source(source: Source, *, actor=None) -> Tally:
    """Read a source and submit the URLs it lists that it has not listed before."""
    tally = Tally()
    now = timezone.now()
    try:
        urls = list_source_urls(source.url, source.kind)
    except SourceError as exc:
        tally.error = str(exc)
        Source.objects.filter(pk=source.pk).update(last_polled_at=now, last_error=tally.error)
        telemetry.SOURCE_POLLS.labels("failed").inc()
        return tally
    seen = set()
    fresh = []
    for url in urls:
        if url not in seen:
            seen.add(url)
            fresh.append(url)
    known = set()
    for start in range(0, len(fresh), 500):  # bounded IN lists
        known.update(
            SourceItem.objects.filter(
                source=source, url__in=fresh[start : start + 500]
            ).values_list("url", flat=True)
        )
    fresh = [u for u in fresh if u not in known][:MAX_ITEMS_PER_POLL]
    for url in fresh:
        outcome = submit_url(url, actor=actor, source=source)
        try:
            with transaction.atomic():
                SourceItem.objects.create(
                    source=source,
                    url=url[:2000],
                    article_id=outcome.article_id,
                    outcome=outcome.outcome,
                    reason=outcome.reason,
                )
        except IntegrityError:  # a "poll now" raced this poll for the same URL
            continue
        tally.add(outcome)
    Source.objects.filter(pk=source.pk).update(last_polled_at=timezone.now(), last_error="")
    telemetry.SOURCE_POLLS.labels("ok").inc()
    return tally


def poll_due_sources(*, budget_seconds: float = 50.0, now=None) -> int:
    """Poll every due source once, one lease at a time; stop when the budget is spent
    (the next beat tick, on any worker, takes the rest). Returns how many were polled."""
    started = timezone.now()
    polled = 0
    while (timezone.now() - started).total_seconds() < budget_seconds:
        source = claim_due_source(now)
        if source is None:
            break
        try:
            poll_source(source)
        except Exception as exc:
            # The lease already moved next_poll_at on: this source waits its turn
            # rather than being retried in a loop.
            log.exception("polling source %s failed", source.pk)
            telemetry.SOURCE_POLLS.labels("failed").inc()
            Source.objects.filter(pk=source.pk).update(
                last_polled_at=timezone.now(),
                last_error=f"Internal error while polling ({exc.__class__.__name__}).",
            )
        polled += 1
    return polled


def request_poll(source: Source) -> None:
    """Make a source due now ("poll now"); the next poller run takes it."""
    Source.objects.filter(pk=source.pk).update(next_poll_at=timezone.now())


def validate_source_url(url: str) -> None:
    """The same rule as any fetched URL (raises ``submission.SubmissionError``)."""
    submission.validate_public_url(url)
