"""Submitting articles and storing their extracted claims.

``submit_article`` is the one entry point for the web form, the admin, the API
and the ``ingest_article`` command. It never loses a submission: the article row
is saved first, and extraction (and fetching, for URLs) runs in a task.
Every change of the article's state goes through ``claims.intake.lifecycle``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import requests
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import extraction, outbox, telemetry
from ..bulk import PreparedInsert
from ..extraction import facts
from ..models import Article, Claim, ClaimLog
from ..net.fetching import (
    SubmissionError,
    TransientFetchError,
    fetch_url,
    validate_public_url,
)
from ..net.safeurl import safe_http_url
from ..review import clusters, matching, triage, workflow
from . import lifecycle

log = logging.getLogger(__name__)


def request_too_large_message() -> str:
    """What a request body over the upload limit is told, at every door."""
    limit_mb = settings.MAX_ARTICLE_BYTES / (1024 * 1024)
    return _(
        "What you sent is too large. An article may be at most %(mb)s MB "
        "(%(bytes)s bytes); send its URL instead, or trim it."
    ) % {"mb": f"{limit_mb:.0f}", "bytes": f"{settings.MAX_ARTICLE_BYTES:,}"}


def upload_too_large_message(size: int) -> str:
    """What an uploaded file of ``size`` bytes over ``MAX_ARTICLE_BYTES`` is told."""
    return extraction.too_large_message(size, settings.MAX_ARTICLE_BYTES)


@dataclass
class Submission:
    article: Article
    created: bool
    # A failed article submitted again: the same row, reset and queued again.
    retried: bool = False

    @property
    def duplicate(self) -> bool:
        return not self.created and not self.retried


def content_hash(text: str) -> str:
    normalised = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# Pages are hashed and measured a slice at a time: a whole ``.encode()`` would
# copy up to MAX_ARTICLE_BYTES again (four times that for a str of emoji).
_CHUNK_CHARS = 1 << 20
_NON_SPACE = re.compile(r"\S")


def raw_hash(html: str) -> str:
    """sha256 of the page as submitted, with its line ends made ``\n`` and its
    ends stripped: the desk's form strips the paste, and a browser sends a
    textarea's lines ends as ``\r\n``, so a page pasted and the same file
    uploaded hash alike."""
    end = len(html)
    while end and html[end - 1].isspace():
        end -= 1
    first = _NON_SPACE.search(html)
    i = first.start() if first else end
    digest = hashlib.sha256()
    while i < end:
        j = min(i + _CHUNK_CHARS, end)
        if html[j - 1] == "\r" and j < end and html[j] == "\n":
            j += 1  # keep a \r\n in one slice
        piece = html[i:j].replace("\r\n", "\n").replace("\r", "\n")
        digest.update(piece.encode("utf-8", "surrogatepass"))
        i = j
    return digest.hexdigest()


def utf8_size(text: str) -> int:
    """``len(text.encode())``, without making the copy."""
    if text.isascii():
        return len(text)
    return sum(
        len(text[i : i + _CHUNK_CHARS].encode("utf-8", "surrogatepass"))
        for i in range(0, len(text), _CHUNK_CHARS)
    )


def _check_size(n: int) -> None:
    if n > settings.MAX_ARTICLE_BYTES:
        raise SubmissionError(extraction.too_large_message(n, settings.MAX_ARTICLE_BYTES))


def _page(html) -> tuple[str, int]:
    """The submitted page as text, and its size in bytes, refused if over the limit.

    ``html`` is text, bytes, or an uploaded file: a file's size is checked
    before it is read, and its bytes live only until they are decoded.
    """
    if hasattr(html, "read"):
        size = getattr(html, "size", None)
        if size is not None:
            _check_size(size)
        html = html.read(settings.MAX_ARTICLE_BYTES + 1)
    if isinstance(html, bytes):
        size = len(html)
        _check_size(size)
        try:
            return extraction.decode_html(html), size
        except extraction.ExtractionError as exc:
            raise SubmissionError(str(exc)) from exc
    size = utf8_size(html)
    _check_size(size)
    return html, size


# What a look-up for an existing article loads: not the page (up to
# MAX_ARTICLE_BYTES) nor its text.
_LIGHT = ("raw_html", "text", "links")


def submit_article(
    *,
    actor,
    html: str | bytes | File | None = None,
    url: str = "",
    source: str = Article.Source.PASTE,
    monitored_source=None,
) -> Submission:
    """Store a submitted article (HTML as text or bytes, an uploaded file, or a
    URL to fetch) and queue extraction.

    A page up to ``PARSE_IN_REQUEST_MAX_BYTES`` is parsed here, once; a larger
    one is stored as it came and the worker parses it, so that no request
    costs more memory than a small page's parse. The same article submitted
    twice comes back as the existing one (and keeps the triage rule it came in
    under); one that failed is reset and queued again (``retried``), never
    stored twice. ``monitored_source``: the ``Source`` whose poll found it,
    whose triage rule and beat its claims get.
    """
    url = (url or "").strip()
    if html is None and not url:
        raise SubmissionError(_("Paste some HTML, upload a file, or give a URL."))
    if html is not None:
        html, size = _page(html)
        if size > settings.PARSE_IN_REQUEST_MAX_BYTES:
            return _submit_unparsed(html, url=url, source=source, actor=actor)
        try:
            document = extraction.html_to_document(html)
        except extraction.ExtractionError as exc:
            raise SubmissionError(str(exc)) from exc
        digest = content_hash(document.text)
        existing = Article.objects.defer(*_LIGHT).filter(content_hash=digest).first()
        if existing:
            return _existing(existing, actor)
        if url:
            validate_public_url(url, resolve=False)
        try:
            with transaction.atomic():
                article = Article.objects.create(
                    url=url or safe_http_url(document.url),
                    title=(document.title or "")[:500],
                    publisher=(document.publisher or "")[:200],
                    published_date=_parse_date(document.published),
                    authors=document.authors,
                    source=source,
                    raw_html=html,
                    text=document.text,
                    links=[link.to_json() for link in document.links],
                    parsed_at=timezone.now(),
                    content_hash=digest,
                    submitted_by=actor,
                    monitored_source=monitored_source,
                )
                lifecycle.submitted(article, actor=actor)
        except IntegrityError:
            # Someone submitted the same text a moment ago.
            return Submission(Article.objects.defer(*_LIGHT).get(content_hash=digest), False)
        return Submission(article, True)

    validate_public_url(url)
    # One row per address: a live or finished one comes back as it is, a failed
    # one is tried again. (Rows from before this rule may repeat: the newest wins.)
    existing = (
        Article.objects.filter(url=url).exclude(status=Article.Status.DUPLICATE).order_by("-id")
    )
    existing = existing.exclude(status=Article.Status.FAILED).first() or existing.first()
    if existing:
        return _existing(existing, actor)
    with transaction.atomic():
        article = Article.objects.create(
            url=url,
            source=Article.Source.URL,
            submitted_by=actor,
            monitored_source=monitored_source,
        )
        lifecycle.submitted(article, actor=actor)
    return Submission(article, True)


def _submit_unparsed(html: str, *, url: str, source: str, actor) -> Submission:
    """A page too large to parse in the request: store it as it came, with the
    hash of its HTML, and let the worker parse it (as a row with no parse
    stored; a copy of an article already there is found then, by its text)."""
    digest = raw_hash(html)
    existing = Article.objects.defer(*_LIGHT).filter(raw_hash=digest).first()
    if existing:
        if existing.status == Article.Status.DUPLICATE and existing.duplicate_of_id:
            original = Article.objects.defer(*_LIGHT).filter(pk=existing.duplicate_of_id)
            existing = original.first() or existing
        return _existing(existing, actor)
    if url:
        validate_public_url(url, resolve=False)
    try:
        with transaction.atomic():
            article = Article.objects.create(
                url=url,
                source=source,
                raw_html=html,
                raw_hash=digest,
                submitted_by=actor,
            )
            lifecycle.submitted(article, actor=actor)
    except IntegrityError:
        # Someone submitted the same page a moment ago.
        return Submission(Article.objects.defer(*_LIGHT).get(raw_hash=digest), False)
    return Submission(article, True)


def _existing(article: Article, actor) -> Submission:
    if article.status == Article.Status.FAILED and lifecycle.resubmitted(article, actor=actor):
        article.refresh_from_db()
        return Submission(article, False, retried=True)
    return Submission(article, False)


def _parse_date(value: str):
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Extraction and storage (runs in the worker)


def _reason(what: str, exc: BaseException) -> str:
    detail = str(exc).strip()
    return f"{what} failed: {exc.__class__.__name__}" + (f": {detail}" if detail else "") + "."


def _fetch(article: Article) -> str | None:
    """Fetch a URL article's page. None when the article failed (reason recorded)."""
    lifecycle.begin_fetch(article.pk)
    try:
        body, encoding = fetch_url(article.url)
        return extraction.decode_html(body, encoding)
    except (SubmissionError, extraction.ExtractionError) as exc:
        lifecycle.fail(article.pk, str(exc))
    except TransientFetchError:
        raise
    except requests.RequestException as exc:
        # Broken gzip (ContentDecodingError), a connection cut mid-body
        # (ChunkedEncodingError)…: the server may do better next time.
        raise TransientFetchError(_reason(f"Fetching {article.url}", exc)) from exc
    except Exception as exc:  # anything else must not leave the article fetching
        log.exception("fetching article %s failed", article.pk)
        lifecycle.fail(article.pk, _reason(f"Fetching {article.url}", exc))
    return None


def extract_and_store(article: Article) -> list[int]:
    """Create the article's claims once and hand them to reviewers, in one
    transaction. Returns the ids of the claims queued for review.

    Raises ``TransientFetchError`` when a fetch is worth retrying; every other
    failure ends the article as failed with a reason. Safe to run twice, or
    twice at once: the move to ``extracted`` is conditional, and the claims are
    stored in the same transaction, so only one run stores them.
    """
    if article.status not in lifecycle.ACTIVE:
        return []
    telemetry.bind(article_id=article.pk)
    if article.source == Article.Source.URL and not article.raw_html:
        html = _fetch(article)
        if html is None or not lifecycle.store_fetched(article.pk, html):
            return []
        article.raw_html = html
    try:
        with telemetry.EXTRACTION_DURATION.time():
            if article.parsed_at and article.text:
                # Parsed once, on submission: analyse what was stored.
                result = extraction.analyse(_stored_document(article))
            else:
                result = extraction.extract(article.raw_html, max_bytes=settings.MAX_ARTICLE_BYTES)
    except extraction.ExtractionError as exc:
        lifecycle.fail(article.pk, str(exc))
        return []
    except Exception as exc:  # a parser bug (or the soft time limit) must not leave it stuck
        log.exception("extraction failed for article %s", article.pk)
        lifecycle.fail(article.pk, _reason("Extraction", exc))
        return []
    try:
        return _store(article, result)
    except IntegrityError:
        # Another article with the same text was stored a moment ago.
        original = Article.objects.filter(content_hash=content_hash(result.document.text))
        original = original.exclude(pk=article.pk).values_list("pk", flat=True).first()
        if original is None:
            raise
        lifecycle.mark_copy_of(article.pk, original)
        return []


def _stored_document(article: Article) -> extraction.Document:
    """The document ``submit_article`` parsed and stored, as ``html_to_document`` gave it."""
    return extraction.Document(
        title=article.title,
        text=article.text,
        links=[extraction.Link(**link) for link in article.links],
        publisher=article.publisher,
        authors=list(article.authors),
        published=article.published_date.isoformat() if article.published_date else "",
        url=article.url,
    )


def _store(article: Article, result) -> list[int]:
    """One write transaction per article: the move to extracted, the claims, their
    index terms and log rows, their assignment and the notification rows it owes.
    Everything that needs no lock (building rows, stemming) is done before it
    opens: on SQLite the write lock is the ceiling.
    """
    document = result.document
    digest = content_hash(document.text)
    now = timezone.now()
    checkworthy = [s for s in result.sentences if s.checkworthy]
    # The triage rule (the article's source's, or the one for manual submissions)
    # picks the sentences that skip the inbox; the flood cap keeps the highest-
    # scoring of those. Past the cap, a manual submission's claims are held back
    # (as before triage existed) and a source's go to the inbox.
    rule = triage.rule_for(article.monitored_source)
    picked = triage.queued_by_rule(rule, [(s.index, s.score) for s in checkworthy])
    cap = settings.MAX_QUEUED_CLAIMS_PER_ARTICLE
    by_score = sorted((s for s in checkworthy if s.index in picked), key=lambda s: -s.score)
    queued = {s.index for s in by_score[:cap]}
    held = {s.index for s in by_score[cap:]} if rule.manual else set()
    claims = [
        Claim(
            article_id=article.pk,
            text=s.text,
            start=s.start,
            end=s.end,
            sentence_index=s.index,
            score=round(float(s.score), 4),
            claim_type=s.claim_type if s.claim_type in Claim.Type.values else "other",
            speaker=(s.speaker or "")[:200],
            claimant=(s.claimant or article.publisher or "")[:200],
            claimant_kind=s.claimant_kind or Claim.ClaimantKind.PUBLISHER,
            checked_text=s.checked_text or s.text,
            numbers=s.numbers,
            entities=s.entities,
            links=s.links,
            held=s.index in held,
            status=Claim.Status.EXTRACTED if s.index in queued | held else Claim.Status.TRIAGE,
            source_id=rule.source_id,
            beat=rule.beat[:60],
            created_at=now,
            status_changed_at=now,
        )
        for s in checkworthy
    ]
    claim_facts = [facts.canonical_facts(c.text, c.speaker) for c in claims]
    for claim, found in zip(claims, claim_facts, strict=True):
        claim.facts = found.to_json()
    term_sets = [
        matching.terms(c.text) | clusters.fact_terms(f)
        for c, f in zip(claims, claim_facts, strict=True)
    ]
    # Which cluster each claim joins: read-only, so before the write lock.
    arrivals = clusters.plan_arrivals(claim_facts, term_sets, now=now)
    for claim in claims:  # one outlet each; a cluster's claims are re-ranked as it grows
        ranking = triage.priority(triage.signals_for(claim, (1, 0), rule.beat_weight))
        claim.triage_priority, claim.triage_reasons = ranking.value, ranking.reasons
    parsed = {}  # a page parsed on submission already has its text and links stored
    if not article.parsed_at:
        parsed = {
            "text": document.text,
            "links": [link.to_json() for link in document.links],
            "parsed_at": now,
        }
    held_comment = (
        f"Held back: more than {cap} check-worthy sentences in the article; an editor can queue it."
    )
    # Values adapted for the database now, before the write lock (claims.bulk).
    claim_rows = PreparedInsert(Claim, claims)
    log_rows = PreparedInsert(
        ClaimLog,
        [
            ClaimLog(
                action="claim.held" if c.held else "claim.extracted",
                actor=None,
                to_status=c.status,
                data={
                    "score": c.score,
                    "claim_type": c.claim_type,
                    "speaker": c.speaker,
                    "priority": c.triage_reasons,
                },
                comment=held_comment if c.held else "",
                created_at=now,
            )
            for c in claims
        ],
    )
    with transaction.atomic():
        original = (
            Article.objects.filter(content_hash=digest)
            .exclude(pk=article.pk)
            .values_list("pk", "title")
            .first()
        )
        if original is not None:
            lifecycle.mark_copy_of(
                article.pk,
                original[0],
                text=document.text,
                title=document.title[:500] or original[1],
            )
            return []
        # The conditional move comes first: a second run finds the article no
        # longer active and stores nothing (its inserts would hit IntegrityError).
        moved = lifecycle.mark_extracted(
            article.pk,
            claims=len(checkworthy),
            queued=len(queued),
            title=(article.title or document.title or _fallback_title(document.text))[:500],
            url=article.url or safe_http_url(document.url),
            publisher=article.publisher or document.publisher[:200],
            published_date=article.published_date or _parse_date(document.published),
            authors=document.authors,
            language=document.language,
            content_hash=digest,
            sentence_count=len(result.sentences),
            extracted_at=now,
            **parsed,
        )
        if not moved:
            return []
        new_clusters = clusters.store_arrivals(claims, arrivals, claim_rows, now=now)
        # A claim attached to a cluster is covered by its lead's review (or, for a
        # repeat, by its published verdict): it is not triage work of its own.
        statuses = [
            Claim.Status.EXTRACTED if c.attached and c.status == Claim.Status.TRIAGE else c.status
            for c in claims
        ]
        claim_rows.fill("status", statuses)
        log_rows.fill("to_status", statuses)
        ids = claim_rows.insert()  # sets each claim's pk
        matching.index_claims(claims, term_sets)
        clusters.link_arrivals(claims, new_clusters, now=now)
        # Clusters that grew rank higher in triage: re-rank their waiting claims.
        grown = {c.cluster_id for c in claims if c.attached}
        if grown:
            triage.refresh_priorities(
                list(
                    Claim.objects.filter(
                        cluster_id__in=grown, status=Claim.Status.TRIAGE
                    ).values_list("pk", flat=True)
                )
            )
        log_rows.fill("claim_id", ids)
        log_rows.insert()
        waiting = [
            c.pk
            for c in claims
            if c.status == Claim.Status.EXTRACTED and not c.held and not c.attached
        ]
        if waiting:
            try:
                workflow.assign_waiting_claims(article.pk)  # a savepoint inside this transaction
            except workflow.StaleClaim:
                outbox.send_on_commit(outbox.ASSIGN_ARTICLE, article.pk)
    return waiting


def _fallback_title(text: str) -> str:
    first = text.strip().split("\n", 1)[0]
    if len(first) <= 90:
        return first
    cut = first[:90].rsplit(" ", 1)[0]
    return cut + "…"


def wait_for_extraction(article_id: int, timeout: float = 30.0) -> Article:
    """Poll until a worker has finished with the article (for the command line)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        article = Article.objects.get(pk=article_id)
        done = article.status in (
            Article.Status.EXTRACTED,
            Article.Status.DUPLICATE,
            Article.Status.FAILED,
        )
        if done or time.monotonic() > deadline:
            return article
        time.sleep(0.2)
