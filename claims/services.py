"""Submitting articles and storing their extracted claims.

``submit_article`` is the one entry point for the web form, the admin, the API
and the ``ingest_article`` command. It never loses a submission: the article row
is saved first, and extraction (and fetching, for URLs) runs in a task.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import extraction, matching
from .fetching import (  # noqa: F401  (re-exported: callers use services.SubmissionError)
    HTML_TYPES,
    SubmissionError,
    TransientFetchError,
    fetch_url,
    validate_public_url,
)
from .models import Article, Claim, ClaimLog
from .safeurl import safe_http_url

log = logging.getLogger(__name__)


@dataclass
class Submission:
    article: Article
    created: bool

    @property
    def duplicate(self) -> bool:
        return not self.created


def content_hash(text: str) -> str:
    normalised = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _check_size(n: int) -> None:
    if n > settings.MAX_ARTICLE_BYTES:
        raise SubmissionError(extraction.too_large_message(n, settings.MAX_ARTICLE_BYTES))


def submit_article(
    *,
    actor,
    html: str | bytes | None = None,
    url: str = "",
    source: str = Article.Source.PASTE,
) -> Submission:
    """Store a submitted article (HTML or bytes, or a URL to fetch) and queue extraction.

    The same article submitted twice comes back as the existing one.
    """
    from . import tasks

    url = (url or "").strip()
    if html is None and not url:
        raise SubmissionError("Paste some HTML, upload a file, or give a URL.")
    if html is not None:
        if isinstance(html, bytes):
            _check_size(len(html))
            try:
                html = extraction.decode_html(html)
            except extraction.ExtractionError as exc:
                raise SubmissionError(str(exc)) from exc
        else:
            _check_size(len(html.encode("utf-8", "surrogatepass")))
        try:
            document = extraction.html_to_document(html)
        except extraction.ExtractionError as exc:
            raise SubmissionError(str(exc)) from exc
        digest = content_hash(document.text)
        existing = Article.objects.filter(content_hash=digest).first()
        if existing:
            return Submission(existing, False)
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
                    content_hash=digest,
                    submitted_by=actor,
                )
                tasks.enqueue_on_commit(tasks.extract_article_claims, article.pk)
        except IntegrityError:
            # Someone submitted the same text a moment ago.
            return Submission(Article.objects.get(content_hash=digest), False)
        return Submission(article, True)

    validate_public_url(url)
    existing = (
        Article.objects.filter(url=url)
        .exclude(status__in=[Article.Status.FAILED, Article.Status.DUPLICATE])
        .first()
    )
    if existing:
        return Submission(existing, False)
    with transaction.atomic():
        article = Article.objects.create(
            url=url, source=Article.Source.URL, submitted_by=actor
        )
        tasks.enqueue_on_commit(tasks.extract_article_claims, article.pk)
    return Submission(article, True)


def _parse_date(value: str):
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# Extraction and storage (runs in the worker)


def mark_failed(article: Article, message: str) -> list[int]:
    """Record why an article could not be processed; it keeps its raw input."""
    Article.objects.filter(pk=article.pk).update(status=Article.Status.FAILED, error=message)
    return []


def extract_and_store(article: Article) -> list[int]:
    """Create the article's claims once. Returns the ids of claims waiting for review."""
    if article.status in (Article.Status.FAILED, Article.Status.DUPLICATE):
        return []
    if article.status == Article.Status.EXTRACTED:
        # Already done; hand back claims still waiting, so a lost enqueue recovers.
        return list(
            article.claims.filter(
                status__in=[Claim.Status.EXTRACTED, Claim.Status.QUEUED], assignee=None
            ).values_list("id", flat=True)
        )
    if article.source == Article.Source.URL and not article.raw_html:
        Article.objects.filter(pk=article.pk).update(status=Article.Status.FETCHING)
        try:
            body, encoding = fetch_url(article.url)
            html = extraction.decode_html(body, encoding)
        except (SubmissionError, extraction.ExtractionError) as exc:
            return mark_failed(article, str(exc))
        article.raw_html = html
        Article.objects.filter(pk=article.pk).update(
            raw_html=html, status=Article.Status.FETCHED
        )
    try:
        result = extraction.extract(article.raw_html, max_bytes=settings.MAX_ARTICLE_BYTES)
    except extraction.ExtractionError as exc:
        return mark_failed(article, str(exc))
    except Exception as exc:  # a parser bug must not leave the article stuck
        log.exception("extraction failed for article %s", article.pk)
        return mark_failed(article, f"Extraction failed: {exc.__class__.__name__}")

    document = result.document
    digest = content_hash(document.text)
    now = timezone.now()
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status == Article.Status.EXTRACTED:
            return []
        original = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).first()
        if original is not None:
            Article.objects.filter(pk=article.pk).update(
                status=Article.Status.DUPLICATE, duplicate_of=original,
                text=document.text, title=document.title[:500] or original.title,
            )
            return []
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
                numbers=s.numbers,
                entities=s.entities,
                links=s.links,
                created_at=now,
                status_changed_at=now,
            )
            for s in result.sentences
            if s.checkworthy
        ]
        # SQLite and PostgreSQL both return the new primary keys from bulk_create.
        created = Claim.objects.bulk_create(claims)
        matching.index_claims(created)
        ClaimLog.objects.bulk_create(
            ClaimLog(
                claim_id=c.pk, action="claim.extracted", actor=None, to_status=c.status,
                data={"score": c.score, "claim_type": c.claim_type, "speaker": c.speaker},
                created_at=now,
            )
            for c in created
        )
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.EXTRACTED,
            text=document.text,
            title=(locked.title or document.title or _fallback_title(document.text))[:500],
            publisher=locked.publisher or document.publisher[:200],
            published_date=locked.published_date or _parse_date(document.published),
            authors=document.authors,
            language=document.language,
            links=[link.__dict__ for link in document.links],
            content_hash=digest,
            sentence_count=len(result.sentences),
            extracted_at=now,
            error="",
        )
    return [c.pk for c in created]


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
            Article.Status.EXTRACTED, Article.Status.DUPLICATE, Article.Status.FAILED
        )
        if done or time.monotonic() > deadline:
            return article
        time.sleep(0.2)
