"""Article extraction: HTML to clean text, sentences, scores and claim understanding.

Pure Python (trafilatura, BeautifulSoup, lxml, pycld2); nothing here imports Django.
The Django side calls ``extract(html, max_bytes=...)`` and stores what comes back.

    content.py    the main content (trafilatura) as simplified HTML
    metadata.py   headline, publisher, authors, date, canonical URL (http(s) only)
    html.py       decoding, the text builder (offsets, link spans), the fallback rules
    language.py   the text's language (the scores are for English only)
    sentences.py  sentence spans
"""

from __future__ import annotations

from .claimant import checked_form, claimants
from .document import (
    ArticleTooLarge,
    Document,
    Extraction,
    ExtractionError,
    Link,
    Sentence,
    check_size,
    too_large_message,
)
from .html import decode_html, html_to_document
from .language import ENGLISH, detect_language, language_name
from .sentences import split_sentences

__all__ = [
    "ArticleTooLarge",
    "Document",
    "analyse",
    "Extraction",
    "ExtractionError",
    "Link",
    "Sentence",
    "check_size",
    "decode_html",
    "detect_language",
    "extract",
    "html_to_document",
    "language_name",
    "split_sentences",
    "too_large_message",
]


def _links_by_sentence(links: list[Link], spans: list[tuple[int, int]]) -> list[list[dict]]:
    """Links overlapping each span; both lists are in text order, so one sweep."""
    out: list[list[dict]] = [[] for _ in spans]
    first = 0
    for link in links:
        while first < len(spans) and spans[first][1] <= link.start:
            first += 1
        i = first
        while i < len(spans) and spans[i][0] < link.end:
            if spans[i][1] > link.start:
                out[i].append(link.to_json())
            i += 1
    return out


def extract(html: str | bytes, *, max_bytes: int | None = None) -> Extraction:
    """Parse ``html`` and return every body sentence in order, scored and typed.

    Input over ``max_bytes`` is refused with ``ArticleTooLarge`` before parsing.
    The check-worthiness model reads English only: sentences of an article in
    another language (``document.language``) get score 0 and are not check-worthy.
    """
    return analyse(html_to_document(html, max_bytes=max_bytes))


def analyse(document: Document) -> Extraction:
    """Everything ``extract`` does after parsing: sentences, scores, understanding.

    For a document parsed earlier (the web side parses a pasted page once, for
    its content hash, and stores the text and links): the worker need not parse
    the page again. ``extract(html)`` is ``analyse(html_to_document(html))``.
    """
    from .checkworthiness import is_checkworthy, score_sentences
    from .understanding import understand, word_runs

    text = document.text
    document.language = detect_language(text)
    spans = split_sentences(text)
    if not spans:
        raise ExtractionError("no article text found")
    texts = [text[start:end] for start, end in spans]
    if document.language == ENGLISH:
        scores = score_sentences(texts)
    else:
        scores = [0.0] * len(texts)
    words = [word_runs(t) for t in texts]  # found once, read by each keyword rule
    understood = understand(texts, text, words=words)
    claimed = claimants(texts, understood, document.publisher)
    sentence_links = _links_by_sentence(document.links, spans)
    sentences = []
    for index, ((start, end), sentence_text, score, info, links, claimant) in enumerate(
        zip(spans, texts, scores, understood, sentence_links, claimed)
    ):
        score = float(score)
        sentences.append(
            Sentence(
                index=index,
                text=sentence_text,
                start=start,
                end=end,
                score=round(score, 4),
                checkworthy=document.language == ENGLISH and is_checkworthy(score),
                claim_type=info.claim_type,
                speaker=info.speaker,
                numbers=info.numbers,
                entities=info.entities,
                links=links,
                claimant=claimant.name,
                claimant_kind=claimant.kind,
                checked_text=checked_form(sentence_text, claimant),
            )
        )
    return Extraction(document=document, sentences=sentences)
