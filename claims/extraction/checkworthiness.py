"""Check-worthiness scoring: one entry point, ``score_sentences``.

Pure Python: no Django imports. Every caller (extraction, the
``score_sentences`` command, benchmarks) goes through ``score_sentences`` so
the scorer can be swapped without touching them.

A score is a float in [0, 1]. A sentence is check-worthy when its score is
at or above ``THRESHOLD``.
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 0.38  # chosen by nested leave-one-article-out on news; see model/MODEL.md


def score_sentences(texts: Sequence[str]) -> list[float]:
    """Score each sentence for check-worthiness.

    Give an article's sentences in page order: a sentence's score reads the one before it
    (a pronoun subject, "It was …", takes its subject from there). The first sentence, or
    a sentence scored alone, is scored without context.
    """
    from .model import get_model

    return get_model().score(list(texts))


def score_sentence(text: str) -> float:
    return score_sentences([text])[0]


def is_checkworthy(score: float) -> bool:
    return score >= THRESHOLD
