"""Article extraction: HTML to clean text, sentences, scores and claim understanding.

Pure Python (BeautifulSoup + lxml); nothing here imports Django. The Django side
calls ``extract(html)`` and stores what comes back.
"""

from __future__ import annotations

from .document import Document, Extraction, ExtractionError, Link, Sentence
from .html import decode_html, html_to_document
from .sentences import split_sentences

__all__ = [
    "Document",
    "Extraction",
    "ExtractionError",
    "Link",
    "Sentence",
    "decode_html",
    "extract",
    "html_to_document",
    "split_sentences",
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


def extract(html: str | bytes) -> Extraction:
    """Parse ``html`` and return every body sentence in order, scored and typed."""
    from .checkworthiness import is_checkworthy, score_sentences
    from .understanding import understand

    document = html_to_document(html)
    text = document.text
    spans = split_sentences(text)
    if not spans:
        raise ExtractionError("no article text found")
    texts = [text[start:end] for start, end in spans]
    scores = score_sentences(texts)
    understood = understand(texts, text)
    sentence_links = _links_by_sentence(document.links, spans)
    sentences = []
    for index, ((start, end), sentence_text, score, info, links) in enumerate(
        zip(spans, texts, scores, understood, sentence_links)
    ):
        score = float(score)
        sentences.append(
            Sentence(
                index=index,
                text=sentence_text,
                start=start,
                end=end,
                score=round(score, 4),
                checkworthy=is_checkworthy(score),
                claim_type=info.claim_type,
                speaker=info.speaker,
                numbers=info.numbers,
                entities=info.entities,
                links=links,
            )
        )
    return Extraction(document=document, sentences=sentences)
