"""Sentence splitting for news text: rule-based, returns spans into the text.

A sentence ends at ``.``, ``!``, ``?`` or an ellipsis (plus any closing quotes or
brackets) followed by whitespace and something that can start a sentence, and
always at a line break. Abbreviations, honorifics, initials and dotted acronyms do
not end a sentence unless the next word is a typical sentence opener.

A "sentence" longer than ``MAX_SENTENCE`` characters is a split failure (a full stop
with no space after it, a list run into one line) or too long for a reviewer to
check as one claim: it is cut, best first, at a missed full stop, a semicolon, a
colon, a dash, a comma before a clause, a comma, then a space, each as near the
middle as possible and never inside a number, until every piece fits.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SENTENCE", "split_sentences"]

MAX_SENTENCE = 400

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


# Where a long sentence may be cut, best first; each group's end is the cut.
_CUTS = (
    re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"),  # "social capital.In a situation"
    re.compile(r";(?=\s)"),
    re.compile(r"(?<!\d):(?=\s)"),
    re.compile(r"\s[\u2014\u2013-]{1,2}(?=\s)|(?<=[a-z])\u2014(?=[a-z])"),
    re.compile(
        r",(?=\s+(?:and|but|or|while|which|who|whom|whose|where|when|although|though"
        r"|because|since|whereas|yet|so|as|if|after|before|until|unless)\b)"
    ),
    re.compile(r"(?<!\d),(?=\s)|(?<=\d),(?=\s+\D)"),
    re.compile(r"(?<=[^\d\s])\s+(?=[^\d\s])"),
)
_MIN_PIECE = 40


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` cut into pieces of at most ``MAX_SENTENCE`` characters."""
    if end - start <= MAX_SENTENCE:
        return [(start, end)]
    middle = (start + end) // 2
    for pattern in _CUTS:
        best = None
        for m in pattern.finditer(text, start + _MIN_PIECE, end - _MIN_PIECE):
            if best is None or abs(m.end() - middle) < abs(best - middle):
                best = m.end()
        if best is not None:
            break
    else:
        return [(start, end)]  # one unbroken token: nothing to cut at
    cut = best
    left_end = cut
    while left_end > start and text[left_end - 1].isspace():
        left_end -= 1
    right_start = cut
    while right_start < end and text[right_start].isspace():
        right_start += 1
    return _cut_long(text, start, left_end) + _cut_long(text, right_start, end)


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
            if end - start > MAX_SENTENCE:
                spans.extend(_cut_long(text, start, end))
            else:
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
