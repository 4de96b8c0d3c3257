"""Sentence splitting for news text: rule-based, returns spans into the text.

A sentence ends at ``.``, ``!``, ``?`` or an ellipsis (plus any closing quotes or
brackets) followed by whitespace and something that can start a sentence, and
always at a line break. Abbreviations, honorifics, initials and dotted acronyms do
not end a sentence unless the next word is a typical sentence opener.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

_PARAGRAPH = re.compile(r"[^\n]+")
# terminator(s), optional closing quotes/brackets, then whitespace
_BOUNDARY = re.compile(r"([.!?\u2026]+)([\"'\u201d\u2019\u00bb)\]]*)(\s+)")
_HAS_ALNUM = re.compile(r"\w")

_OPENERS = frozenset("\"'\u201c\u2018\u00ab([")
_STRIP_CHARS = " \t\r\f\v\u00a0"

# Never end a sentence after these (with a full stop).
_TITLES = frozenset(
    """mr mrs ms mx dr prof rev revd sen sens rep reps gov govs gen lt col maj capt
    cmdr adm brig sgt cpl pvt hon pres supt det insp cllr messrs mme mlle fr msgr
    e.g i.e cf vs v viz approx incl esp""".split()
)
# Only before a number: "No. 10", "Jan. 5", "p. 12".
_BEFORE_DIGIT = frozenset(
    """no nos vol vols p pp art arts sec ch fig figs para op
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Ambiguous: "Jr.", "St.", "a.m." end a sentence only before a typical opener.
_AMBIGUOUS = frozenset("jr sr st mt ft a.m p.m".split())
_STARTERS = frozenset(
    """The A An He She It They We I You This That These Those There Here His Her
    Their Its Our My Your But And Or So Yet In On At For As If When While After
    Before Since Although Though However Meanwhile Then Now Last Earlier Later Mr
    Mrs Ms Dr Some Many Most One Two Both All Each No Not What Who Why How Where
    Asked According During Under Over Despite Instead Still Also Only Even
    Officials Police""".split()
)
_WORD_AFTER = re.compile(r"[\"'\u201c\u2018(\[]*([A-Za-z]+)")


def _previous_token(text: str, start: int, end: int) -> str:
    """The token just before a full stop at ``end`` (e.g. ``U.S``, ``Mr``, ``3``)."""
    i = end
    while i > start and not text[i - 1].isspace():
        i -= 1
    return text[i:end].lstrip("\"'\u201c\u2018([")


def _is_boundary(text: str, m: re.Match, para_start: int, para_end: int) -> bool:
    nxt_pos = m.end(3)
    if nxt_pos >= para_end:
        return True
    nxt = text[nxt_pos]
    if nxt.islower():
        return False
    punct, closers = m.group(1), m.group(2)
    if closers or punct != ".":
        return True
    prev = _previous_token(text, para_start, m.start(1))
    if not prev:
        return True
    low = prev.lower()
    if low in _TITLES:
        return False
    if nxt.isdigit() and low in _BEFORE_DIGIT:
        return False
    is_initial = len(prev) == 1 and prev.isalpha() and prev.isupper()
    is_acronym = (
        "." in prev
        and all(len(p) <= 2 for p in prev.split(".") if p)
        and any(c.isalpha() for c in prev)
    )
    if is_initial or is_acronym or low in _AMBIGUOUS:
        word = _WORD_AFTER.match(text, nxt_pos)
        return bool(word and word.group(1) in _STARTERS)
    # "1. First item" at the start of a line is a list marker, not a sentence.
    if prev.isdigit() and m.start(1) - len(prev) == para_start:
        return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences in ``text``, in order.

    Spans exclude surrounding whitespace; line breaks always end a sentence.
    """
    spans: list[tuple[int, int]] = []

    def emit(start: int, end: int) -> None:
        while start < end and text[start] in _STRIP_CHARS:
            start += 1
        while end > start and text[end - 1] in _STRIP_CHARS:
            end -= 1
        if end > start and _HAS_ALNUM.search(text, start, end):
            spans.append((start, end))

    for para in _PARAGRAPH.finditer(text):
        p_start, p_end = para.span()
        start = p_start
        for m in _BOUNDARY.finditer(text, p_start, p_end):
            if _is_boundary(text, m, p_start, p_end):
                emit(start, m.end(2))
                start = m.end(3)
        emit(start, p_end)
    return spans
