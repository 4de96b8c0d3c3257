"""Rule-based named entities (PERSON, ORG, GPE, DATE) for one sentence.

Capitalised runs are classified with honorifics, job titles, organisation
keywords and small gazetteers. Single capitalised words are only labelled when
they are known: a gazetteer entry, or the surname / first name of a person named
in full elsewhere in the article (``known_people``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import (
    DEMONYMS,
    EVENT_WORDS,
    GPE,
    HONORIFICS,
    ORG_KEYWORDS,
    ORGS,
    STOP_CAPS,
    TITLES,
)
from .lexicon import COMPASS_WORDS, ENTITY_DISPLAY, NON_NAME_WORDS, PLACE_WORDS

__all__ = [
    "ENTITY_DISPLAY",
    "classify_runs",
    "display_label",
    "entity_runs",
    "find_dates",
    "find_entities",
    "merge_entities",
    "person_key",
    "strip_honorific",
]

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE = re.compile(
    rf"""
    # Every alternative starts with a digit, a weekday or a month initial: checking
    # that first lets the scan skip other positions cheaply (same matches).
    (?=[\dJFMASONDTW])
    (?:
    (?:{_WEEKDAY},?\s+)?
    (?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTH}
        (?:\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d,]\d))?(?:,?\s+(?:1[89]|20)\d\d\b)?
    | {_WEEKDAY}\b
    | \b\d{{4}}-\d{{2}}-\d{{2}}\b
    | \b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b
    | (?<![\d,.$\u00a3\u20ac\-])\b(?:1[89]|20)\d\d(?:s|\u2019s|'s)?\b(?![,.]\d|\s?%|\s?per\s?cent)
    )
    """,
    re.VERBOSE,
)
_MAY_CONTEXT = re.compile(
    r"\b(?:in|on|since|by|until|till|last|next|early|late|mid|of|from|this|through|"
    r"during|before|after)\s+$",
    re.IGNORECASE,
)

_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f0-9][\w\u00c0-\u024f'\u2019.&\-]*")
_ACRONYM_DOTTED = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_CONNECTORS = frozenset("of for de du da del della van von der den la le al bin el".split())
_ABBREVIATED_HONORIFICS = frozenset(h for h in HONORIFICS if h.endswith("."))


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    possessive: bool = False
    stop_after: bool = False  # punctuation or sentence end follows


# Stretches of text that may hold a capitalised run: only these are tokenised.
_CANDIDATE = re.compile(
    r"[A-Z\u00c0-\u00de]\S*(?:\s+(?:(?:of|for|de|du|da|del|della|van|von|der|den|la|le|al|"
    r"bin|el)\s+)*[A-Z\u00c0-\u00de]\S*)*"
)


def _tokens(sentence: str, pos: int = 0, endpos: int | None = None) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(sentence, pos, len(sentence) if endpos is None else endpos):
        text, start, end = m.group(0), m.start(), m.end()
        possessive = False
        stop_after = False
        if text.endswith(("'s", "\u2019s")) and len(text) > 2:
            text, end, possessive = text[:-2], end - 2, True
        elif text.endswith(("'", "\u2019")):
            text, end, possessive = text[:-1], end - 1, True
        if text.endswith(".") and not _ACRONYM_DOTTED.match(text):
            if text in _ABBREVIATED_HONORIFICS:
                pass
            else:
                stripped = text.rstrip(".")
                end -= len(text) - len(stripped)
                text = stripped
                stop_after = True
        text2 = text.rstrip("-&")
        end -= len(text) - len(text2)
        text = text2
        if not text:
            continue
        toks.append(_Tok(text, start, end, possessive, stop_after))
    return toks


_DATE_HINT = re.compile(r"\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|day\b")


def find_dates(sentence: str) -> list[dict]:
    out: list[dict] = []
    if not _DATE_HINT.search(sentence):
        return out
    for m in _DATE.finditer(sentence):
        text = m.group(0).rstrip(" ,")
        if not text:
            continue
        if text in ("May", "March") and not _MAY_CONTEXT.search(sentence, 0, m.start()):
            continue  # the verb "may", the word "march", a name like Theresa May
        out.append(
            {"text": text, "label": "DATE", "start": m.start(), "end": m.start() + len(text)}
        )
    return out


def strip_honorific(name: str) -> tuple[str, str | None]:
    """("Mr Starmer") -> ("Starmer", "m"); gender is None when unknown."""
    parts = name.split()
    if len(parts) > 1 and parts[0] in HONORIFICS:
        return " ".join(parts[1:]), HONORIFICS[parts[0]]
    return name, None


def display_label(code: str) -> str:
    """What people see for an entity code: "GPE" -> "place"."""
    code = str(code or "")
    return ENTITY_DISPLAY.get(code.upper(), code.replace("_", " ").lower())


def person_key(name: str) -> str:
    return strip_honorific(name)[0]


def _is_name_word(tok: _Tok) -> bool:
    t = tok.text
    known = _name_words.get(t)
    if known is None:
        known = (
            t[0].isupper()
            and t not in STOP_CAPS
            and t not in ORG_KEYWORDS
            and t not in TITLES
            and not any(c.isdigit() for c in t)
            and not (t.isupper() and len(t) > 1)
        )
        if len(_name_words) < 50_000:  # names recur across sentences and articles
            _name_words[t] = known
    return known


_name_words: dict[str, bool] = {}


def _span(toks: list[_Tok], label: str, sentence: str) -> dict:
    start, end = toks[0].start, toks[-1].end
    return {"text": sentence[start:end], "label": label, "start": start, "end": end}


def _classify(toks: list[_Tok], sentence: str, known_people: dict[str, str]) -> list[dict]:
    # Gazetteer names may start with a grammar word ("New York", "The Hague").
    texts = [t.text for t in toks]
    for n in range(min(len(toks), 4), 0, -1):
        head = " ".join(texts[:n])
        if head in GPE or head in ORGS:
            if n == len(toks) or toks[0].text in STOP_CAPS:
                label = "GPE" if head in GPE else "ORG"
                rest = _classify(toks[n:], sentence, known_people) if n < len(toks) else []
                return [_span(toks[:n], label, sentence), *rest]
            break
    # Trim grammar words and connectors at the edges.
    while toks and (toks[0].text in STOP_CAPS or toks[0].text in _CONNECTORS):
        toks = toks[1:]
    while toks and toks[-1].text in _CONNECTORS:
        toks = toks[:-1]
    if not toks:
        return []
    words = [t.text for t in toks]
    joined = " ".join(words)

    if joined in ORGS:
        return [_span(toks, "ORG", sentence)]
    if joined in GPE:
        return [_span(toks, "GPE", sentence)]

    # Honorific: "Mr Starmer", "Ms Harris", "Sir Keir Starmer".
    for i, w in enumerate(words):
        if w in HONORIFICS and i + 1 < len(toks):
            rest = toks[i + 1 :]
            name_len = 0
            for t in rest:
                if not _is_name_word(t):
                    break
                name_len += 1
            if name_len:
                out = _classify(toks[:i], sentence, known_people) if i else []
                out.append(_span(toks[i : i + 1 + name_len], "PERSON", sentence))
                if i + 1 + name_len < len(toks):
                    out += _classify(toks[i + 1 + name_len :], sentence, known_people)
                return out

    # Organisation keyword last: "Federal Election Commission", "Labour Party".
    if len(toks) > 1 and (words[-1] in ORG_KEYWORDS or "for" in words[1:-1] or words[-1] in ORGS):
        if len(toks) > 2 and words[0] in GPE and words[1] not in _CONNECTORS:
            return [_span(toks[:1], "GPE", sentence), _span(toks[1:], "ORG", sentence)]
        return [_span(toks, "ORG", sentence)]

    # Job title before a name: "Prime Minister Keir Starmer", "Ukrainian President X".
    last_title = max((i for i, w in enumerate(words[:-1]) if w in TITLES), default=-1)
    if last_title >= 0:
        head = toks[:last_title]
        out = []
        if head and not any(t.text in TITLES for t in head):
            head_joined = " ".join([t.text for t in head])
            if head_joined in ORGS or head_joined in GPE:
                out += _classify(head, sentence, known_people)
        rest = toks[last_title + 1 :]
        if all(_is_name_word(t) for t in rest):
            out.append(_span(rest, "PERSON", sentence))
        else:
            out += _classify(rest, sentence, known_people)
        return out

    if any(w in EVENT_WORDS for w in words):
        return []
    if words[0] in DEMONYMS:
        return _classify(toks[1:], sentence, known_people) if len(toks) > 1 else []

    if len(toks) == 1:
        w = words[0]
        if w in ORGS:
            return [_span(toks, "ORG", sentence)]
        if w in GPE:
            return [_span(toks, "GPE", sentence)]
        if w in known_people:
            return [_span(toks, "PERSON", sentence)]
        if (w.isupper() or _ACRONYM_DOTTED.match(w)) and 2 <= len(w.replace(".", "")) <= 6:
            return [_span(toks, "ORG", sentence)]
        return []

    # A leading place or organisation followed by more words: "Labour strategist ..."
    if words[0] in GPE or words[0] in ORGS:
        first = _classify(toks[:1], sentence, known_people)
        return first + _classify(toks[1:], sentence, known_people)
    # "West Texas", "Southeast Asia": a compass word before a known place.
    if words[0] in COMPASS_WORDS and len(toks) > 1 and " ".join(words[1:]) in GPE:
        return [_span(toks, "GPE", sentence)]
    # "Broward County", "Hart Island", "Hurlingham Park": named places.
    if words[-1] in PLACE_WORDS and len(toks) > 1:
        return [_span(toks, "GPE", sentence)]
    # "National Insurance", "Dow Jones Industrial Average": programmes, indices, products.
    if any(w in NON_NAME_WORDS for w in words):
        return []
    if 2 <= len(toks) <= 4 and all(_is_name_word(t) for t in toks):
        return [_span(toks, "PERSON", sentence)]
    return []


def _runs(toks: list[_Tok], sentence: str, blocked: list[tuple[int, int]]) -> list[list[_Tok]]:
    def is_blocked(t: _Tok) -> bool:
        return any(s <= t.start < e for s, e in blocked)

    runs: list[list[_Tok]] = []
    current: list[_Tok] = []
    n = len(toks)
    for i, tok in enumerate(toks):
        cap = tok.text[0].isupper() and not is_blocked(tok)
        if current:
            prev = current[-1]
            gap = sentence[prev.end : tok.start]
            joined_ok = not prev.possessive and not prev.stop_after and gap.strip() == ""
        else:
            joined_ok = False
        if cap:
            if current and joined_ok:
                current.append(tok)
            else:
                if current:
                    runs.append(current)
                current = [tok]
            continue
        # A connector may sit inside a run when a capitalised word follows it.
        if (
            current
            and joined_ok
            and tok.text in _CONNECTORS
            and i + 1 < n
            and toks[i + 1].text[0].isupper()
            and sentence[tok.end : toks[i + 1].start].strip() == ""
        ):
            current.append(tok)
            continue
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def entity_runs(sentence: str, dates: list[dict]) -> list[list[_Tok]]:
    """Capitalised runs (outside dates) that may name people, organisations, places."""
    blocked = [(d["start"], d["end"]) for d in dates]
    runs: list[list[_Tok]] = []
    for m in _CANDIDATE.finditer(sentence):
        runs.extend(_runs(_tokens(sentence, m.start(), m.end()), sentence, blocked))
    return runs


def classify_runs(
    sentence: str, runs: list[list[_Tok]], known_people: dict[str, str] | None = None
) -> list[list[dict]]:
    """The entities found in each run (see ``entity_runs``), run by run."""
    known_people = known_people or {}
    return [_classify(run, sentence, known_people) for run in runs]


def _entity_order(e: dict) -> tuple[int, int]:
    return (e["start"], -e["end"])


def merge_entities(dates: list[dict], classified: list[list[dict]]) -> list[dict]:
    """Dates and per-run entities in one list, sorted by start."""
    entities = list(dates)
    for found in classified:
        entities.extend(found)
    entities.sort(key=_entity_order)
    return entities


def find_entities(
    sentence: str,
    known_people: dict[str, str] | None = None,
    dates: list[dict] | None = None,
    runs: list[list[_Tok]] | None = None,
) -> list[dict]:
    """Entities in one sentence, sorted by start; offsets relative to the sentence."""
    if dates is None:
        dates = find_dates(sentence)
    if runs is None:
        runs = entity_runs(sentence, dates)
    return merge_entities(dates, classify_runs(sentence, runs, known_people))
