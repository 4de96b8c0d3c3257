"""Data shapes returned by ``claims.extraction`` (pure Python, no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field


class ExtractionError(ValueError):
    """The input cannot be read as an article; the message is fit for users."""


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
            "sentences": [s.to_json() for s in self.sentences],
        }
