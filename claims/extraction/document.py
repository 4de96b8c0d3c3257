"""Data shapes returned by ``claims.extraction`` (pure Python, no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field


class ExtractionError(ValueError):
    """The input cannot be read as an article; the message is fit for users."""


class ArticleTooLarge(ExtractionError):
    """The input is over the size limit (``MAX_ARTICLE_BYTES``)."""


def too_large_message(size: int, limit: int) -> str:
    """The one message every door (form, upload, API, commands, fetch) shows."""
    return f"The article is too large ({size:,} bytes; the limit is {limit:,})."


def check_size(data, limit: int) -> None:
    """Raise ``ArticleTooLarge`` if ``data`` (bytes, text or a byte count) is over ``limit``.

    Text counts as its UTF-8 encoding; the count stops early once it is clearly over.
    """
    if isinstance(data, int):
        size = data
    elif isinstance(data, str):
        # A character is at most 4 UTF-8 bytes and at least 1: decide cheaply first.
        if len(data) * 4 <= limit:
            return
        size = len(data) if len(data) > limit else len(data.encode("utf-8", "surrogatepass"))
    else:
        size = len(data)
    if size > limit:
        raise ArticleTooLarge(too_large_message(size, limit))


@dataclass
class Link:
    href: str
    text: str
    start: int  # span in Document.text
    end: int

    def to_json(self) -> dict:
        return {"href": self.href, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class Document:
    title: str
    text: str
    links: list[Link] = field(default_factory=list)
    publisher: str = ""
    authors: list[str] = field(default_factory=list)
    language: str = ""  # ISO 639-1 code ("en", "fr") or "" when unknown
    published: str = ""  # ISO date "YYYY-MM-DD" or ""
    url: str = ""  # canonical / og:url or ""


@dataclass
class Sentence:
    index: int
    text: str
    start: int
    end: int
    score: float
    checkworthy: bool
    claim_type: str = "other"
    speaker: str = ""
    numbers: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # offsets relative to Document.text
    claimant: str = ""  # who asserts it; the publisher when the reporter does
    claimant_kind: str = ""  # "person", "organization" or "publisher"
    checked_text: str = ""  # the suggested claim as checked (claimant.checked_form)

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "checkworthy": self.checkworthy,
            "claim_type": self.claim_type,
            "speaker": self.speaker,
            "numbers": [dict(n) for n in self.numbers],
            "entities": [dict(e) for e in self.entities],
            "links": [dict(link) for link in self.links],
            "claimant": self.claimant,
            "claimant_kind": self.claimant_kind,
            "checked_text": self.checked_text,
        }


@dataclass
class Extraction:
    document: Document
    sentences: list[Sentence]

    def to_json(self) -> dict:
        doc = self.document
        return {
            "title": doc.title,
            "publisher": doc.publisher,
            "published": doc.published,
            "url": doc.url,
            "authors": list(doc.authors),
            "language": doc.language,
            "sentences": [s.to_json() for s in self.sentences],
        }
