"""Numbers in a sentence: value, unit, hedge ("almost 100 staff" -> 100, upper_bound).

Years and the day numbers of dates are not quantities; pass the sentence's DATE
spans so they are skipped.
"""

from __future__ import annotations

import re

from .lexicon import FRACTIONS, MULTIPLIERS, SMALL_NUMBERS, VAGUE_PLURALS

__all__ = ["find_numbers"]

# The number words, multipliers, vague plurals and fractions are tables in ``lexicon``:
# a new word is a new table entry, not a new branch of code.
_SMALL = SMALL_NUMBERS
_MULTIPLIERS = MULTIPLIERS
_PLURAL_VAGUE = VAGUE_PLURALS
_FRACTION_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "nine": 9}
_CURRENCIES = {
    "$": "USD",
    "US$": "USD",
    "\u00a3": "GBP",
    "\u20ac": "EUR",
    "\u00a5": "JPY",
    "A$": "AUD",
    "C$": "CAD",
    "\u20b9": "INR",
}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "pounds": "GBP",
    "pound": "GBP",
    "euros": "EUR",
    "euro": "EUR",
    "sterling": "GBP",
    "yen": "JPY",
}


def _trie(words) -> str:
    """Alternation matching the longest of ``words`` that prefixes the text, as a trie.

    Same matches as ``"|".join(sorted(words, key=len, reverse=True))`` (no trailing
    boundary either way), but tries a handful of letters per position, not every word.
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    alternatives = []
    for first, rests in groups.items():
        longer = [r for r in rests if r]
        if not longer:
            alternatives.append(re.escape(first))
        else:
            optional = "?" if len(longer) < len(rests) else ""
            alternatives.append(f"{re.escape(first)}(?:{_trie(longer)}){optional}")
    return "|".join(alternatives)


_SPELLED_WORD = _trie(_SMALL)
_VAGUE_WORD = "|".join(sorted(_PLURAL_VAGUE, key=len, reverse=True))
_LARGE_VAGUE = "thousands|millions|billions"
_FRACTION_WORD = "|".join(
    sorted((f for f in FRACTIONS if f not in ("half", "halves")), key=len, reverse=True)
)
_INITIALS = "".join(sorted({w[0] for w in (*_SMALL, *_PLURAL_VAGUE, *_FRACTION_COUNT, "half")}))


def _number_pattern(words: bool) -> re.Pattern:
    """The quantity regex. ``words=False``: the spelled-number branches never match.

    A match starts with a currency, or an optional space then a digit (or a word with
    a spelled-number initial): that is checked first, so other positions are skipped
    cheaply. Neither the check nor the word-less variant changes what matches: the
    variant is only used on text where no spelled-number word can start.
    """
    if words:
        start = rf"\s?(?:\d|\b[{_INITIALS}])"
        word = rf"\b(?:{_SPELLED_WORD})\b(?:-(?:one|two|three|four|five|six|seven|eight|nine)\b)?"
        # "tens of thousands of", "hundreds of", "dozens of"
        vague = rf"\b(?:{_VAGUE_WORD})\s+of\b(?:\s+(?:{_LARGE_VAGUE})\s+of\b)?"
        # "a third", "two-thirds", "three quarters", "half of"
        # (followed by "of": "a third time", "the second half" are not shares)
        frac = rf"\b(?:(?:{'|'.join(_FRACTION_COUNT)})[\s-](?:{_FRACTION_WORD})|half)(?=\s+of\b)"
    else:
        start = r"\s?\d"
        word = vague = frac = "(?!)"
    return re.compile(
        rf"""
        (?=US\$|A\$|C\$|[$\u00a3\u20ac\u00a5\u20b9]|{start})
        (?P<cur>US\$|A\$|C\$|[$\u00a3\u20ac\u00a5\u20b9])?\s?
        (?:
            (?P<num>(?<![\w.,\-/:])\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<![\w.,\-/:])\d+(?:\.\d+)?)
            (?![\w]*:\d)(?!(?:st|nd|rd|th)\b)(?![.,]\d)
          | (?P<frac>{frac})
          | (?P<word>{word})
          | (?P<vague>{vague})
        )
        (?:[\s-]?(?P<mult>hundred|thousand|million|billion|trillion|bn|tn|m|k)\b)?
        (?:(?P<pp>\s?(?:%|percentage)\s?points?\b)|(?P<pct>\s?%|\s(?:per\s?cent|percent)\b))?
        """,
        re.VERBOSE | re.IGNORECASE,
    )


_NUMBER = _number_pattern(words=True)
_NUMBER_DIGITS = _number_pattern(words=False)
# Where the word branches of _NUMBER could start; absent, _NUMBER_DIGITS is the same.
_SPELLED_START = re.compile(
    rf"\b(?:{_SPELLED_WORD}|{_VAGUE_WORD}|{_FRACTION_WORD}|half)", re.IGNORECASE
)
_HEDGES = [
    (
        "upper_bound",
        r"almost|nearly|up to|fewer than|less than|under|no more than|at most|"
        r"just under|below|not more than|as many as|a maximum of|close to|"
        r"just shy of|shy of",
    ),
    (
        "lower_bound",
        r"more than|over|at least|upwards of|in excess of|above|no fewer than|"
        r"no less than|exceeding|a minimum of|just over|well over|as much as",
    ),
    (
        "approximate",
        r"about|around|some|roughly|approximately|approx\.?|an estimated|"
        r"estimated|circa|c\.|or so|an average of|on average",
    ),
]
_HEDGE_RE = [
    (name, re.compile(rf"(?:^|\W)(?:{pattern})\s+(?:US)?[$\u00a3\u20ac]?$", re.IGNORECASE))
    for name, pattern in _HEDGES
]
_WORD_AFTER = re.compile(r"\s*([A-Za-z][A-Za-z\-]*)")
# Words skipped when looking for the unit noun after a number.
_SKIP_WORDS = frozenset(
    """current former new more other additional extra young old registered senior junior
    local foreign british american european full-time part-time and or of the their its
    his her our such different separate individual potential eligible active retired
    unpaid paid illegal legal total further key major minor small large big top leading
    so-called alleged suspected confirmed reported known recorded estimated average
    per cent percent""".split()
)
# A unit is a noun; these words mean the number stands alone ("rose to 100 in 2020").
_STOP_WORDS = frozenset(
    """a an the in on at to from by with for since per were was are is be been being
    have has had will would can could should may might must that which who whom this
    these those than as if but not no it they he she we you i them him us out up
    down into over under about after before during between against among through
    times""".split()
)
_ADJECTIVE_SUFFIXES = (
    "al",
    "ic",
    "ive",
    "ous",
    "ful",
    "less",
    "ish",
    "ian",
    "ese",
    "ed",
    "ing",
    "ly",
    "ary",
    "ern",
)
_NOT_QUANTITY_BEFORE = re.compile(
    r"\b(?:no|any|every|each|the|this|that|which|someone|"
    r"anyone|at)\s+$",
    re.IGNORECASE,
)


def _key(word: str) -> str:
    # IGNORECASE patterns also match the long s and the dotless i ("ſix", "fıve"),
    # which lower() leaves as they are; fold them so the lookups below can't miss.
    return word.lower().replace("\u017f", "s").replace("\u0131", "i")


def _parse_value(match: re.Match) -> float | None:
    if match.group("num"):
        value = float(match.group("num").replace(",", ""))
    elif match.group("word"):
        word = _key(match.group("word"))
        if "-" in word:
            tens, unit = word.split("-", 1)
            value = float(_SMALL.get(tens, 0) + _SMALL.get(unit, 0))
        else:
            value = float(_SMALL.get(word, 0))
    elif match.group("vague"):
        words = _key(match.group("vague")).split()
        value = float(_PLURAL_VAGUE.get(words[0], 0))
        if len(words) > 2:  # "tens of thousands of"
            value *= _PLURAL_VAGUE.get(words[2], 1)
    elif match.group("frac"):
        words = _key(match.group("frac")).replace("-", " ").split()
        if words == ["half"]:
            return 50.0
        return round(_FRACTION_COUNT.get(words[0], 1) * FRACTIONS[words[1]], 1)
    else:
        return None
    mult = match.group("mult")
    if mult:
        value *= _MULTIPLIERS.get(_key(mult), 1)
    return value


def _unit_after(sentence: str, pos: int) -> str:
    # "six-page complaint": the hyphenated noun is the unit.
    if pos < len(sentence) and sentence[pos] == "-":
        m = _WORD_AFTER.match(sentence, pos + 1)
        if m:
            return m.group(1).split("-")[0].lower()
    for _ in range(5):
        m = _WORD_AFTER.match(sentence, pos)
        if not m:
            return ""
        word = m.group(1)
        low = word.lower()
        gap = sentence[pos : m.start(1)]
        if gap.strip():  # punctuation between number and word
            return ""
        if low in _CURRENCY_WORDS:
            return _CURRENCY_WORDS[low]
        if low in _STOP_WORDS:
            return ""
        plural_noun = low.endswith("s") and not low.endswith("ous") and not low.endswith("ss")
        if (
            low in _SKIP_WORDS
            or (not plural_noun and len(low) > 4 and low.endswith(_ADJECTIVE_SUFFIXES))
            or (word[0].isupper() and not plural_noun)
        ):
            pos = m.end(1)
            continue
        return low
    return ""


def _hedge(sentence: str, start: int) -> str:
    before = sentence[max(0, start - 30) : start]
    for name, pattern in _HEDGE_RE:
        if pattern.search(before):
            return name
    return "exact"


_ANY_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[a-z]+")
_NUMBER_WORDS = frozenset(_SMALL) | frozenset(_PLURAL_VAGUE) | frozenset(FRACTIONS)


def _may_hold_number(sentence: str) -> bool:
    if _ANY_DIGIT.search(sentence):
        return True
    return not _NUMBER_WORDS.isdisjoint(_LETTERS.findall(sentence.lower()))


def find_numbers(sentence: str, dates: list[dict] | None = None) -> list[dict]:
    """Quantities in ``sentence``; offsets relative to it. Dates/years excluded."""
    if not _may_hold_number(sentence):
        return []
    date_spans = [(d["start"], d["end"]) for d in (dates or [])]
    out: list[dict] = []
    pattern = _NUMBER if _SPELLED_START.search(sentence) else _NUMBER_DIGITS
    for m in pattern.finditer(sentence):
        start, end = m.start(), m.end()
        text = m.group(0)
        # The regex may have eaten leading whitespace before a bare number.
        lead = len(text) - len(text.lstrip())
        start += lead
        text = text.strip()
        if not text:
            continue
        if any(s <= start < e or s < end <= e for s, e in date_spans):
            continue
        word = m.group("word")
        if word and word.lower() == "one":
            # "one of", "no one", "the one who": not a quantity unless compounded.
            if not (m.group("mult") or sentence[end : end + 1] == "-"):
                continue
        if word and _NOT_QUANTITY_BEFORE.search(sentence, 0, start) and not m.group("mult"):
            if word.lower() in ("one", "two") and sentence[end : end + 1] != "-":
                continue
        value = _parse_value(m)
        if value is None:
            continue
        cur = m.group("cur")
        if m.group("pp"):
            unit = "percentage points"
        elif m.group("pct") or m.group("frac"):
            unit = "percent"
        elif cur:
            unit = _CURRENCIES.get(cur.upper() if cur[0].isalpha() else cur, "")
        else:
            unit = _unit_after(sentence, end)
        hedge = "lower_bound" if m.group("vague") else _hedge(sentence, start)
        if value == int(value):
            value = int(value)
        out.append(
            {
                "text": text,
                "value": value,
                "unit": unit,
                "hedge": hedge,
                "start": start,
                "end": start + len(text),
            }
        )
    return out
