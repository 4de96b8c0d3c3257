"""Claim understanding: type, speaker, numbers and entities for each sentence.

``understand(sentences, full_text)`` walks the sentences in order so that
pronouns ("he wrote", "It said") and bare surnames ("Mr Starmer") resolve
against people and groups named earlier in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .entities import (
    classify_runs,
    entity_runs,
    find_dates,
    merge_entities,
    strip_honorific,
)
from .gazetteer import HONORIFICS, ORGS
from .lexicon import GENERIC_SOURCE_NOUNS, LEGAL_WORDS, REPORTING_VERBS
from .quantities import find_numbers

__all__ = ["CLAIM_TYPES", "Understanding", "understand", "claim_type", "word_runs"]

CLAIM_TYPES = (
    "quantity",
    "prediction",
    "causation",
    "law",
    "experience",
    "quote",
    "attribution",
    "event",
    "other",
)


@dataclass
class Understanding:
    claim_type: str = "other"
    speaker: str = ""
    numbers: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Claim type
# ---------------------------------------------------------------------------

_LAW = re.compile(r"\b(?:" + "|".join(sorted(LEGAL_WORDS, key=len, reverse=True)) + r")\b")
_PREDICTION = re.compile(
    r"\b(?:will|won't|won\u2019t|would|shall|going to|expects?|expected|forecasts?|"
    r"predicts?|predicted|predictions?|likely to|unlikely to|set to|on course to|"
    r"on track to|projected|projections?|is due to|are due to|plans? to|intends? to)\b",
    re.IGNORECASE,
)
_CAUSATION = re.compile(
    r"\b(?:because|caused|causes?|causing|led to|leads to|leading to|due to|as a result|"
    r"resulted in|results in|result of|thanks to|blamed|blames|responsible for|"
    r"contributed to|driven by|owing to|therefore|consequently|linked to|fuelled by|"
    r"fueled by)\b",
    re.IGNORECASE,
)
_EXPERIENCE = re.compile(
    r"\b(?:I|we|We)(?:'ve|\u2019ve|'d|\u2019d| have| had)?\s+(?:\w+ly\s+)?(?:spent|saw|seen|met|"
    r"visited|went|been|worked|lived|heard|watched|experienced|knew|talked|spoke|grew|"
    r"travelled|traveled|witnessed|stayed|attended|served|taught|ran|built|lost|found)\b"
)
_EVENT = re.compile(
    r"\b(?:attended|attends|met|meets|visited|visits|held|hosted|took place|arrived|"
    r"launched|signed|opened|won|lost|elected|resigned|died|killed|arrested|married|"
    r"travelled|traveled|spoke|campaigned|landed|departed|toured|joined|appointed|"
    r"took office|sworn in|announced|unveiled|released|published|voted|approved|"
    r"passed|rejected|withdrew|invaded|attacked|struck|began|started|ended|"
    r"deleted|posted)\b"
)
_REPORTING_VERBS = "|".join(sorted(REPORTING_VERBS, key=len, reverse=True))
_REPORTING = re.compile(rf"\b(?:{_REPORTING_VERBS})\b")
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?")
_ADVERBS = frozenset(
    """also later recently previously repeatedly once then has have had earlier
    separately today yesterday publicly privately on in a statement reportedly
    subsequently quickly again too wrongly falsely""".split()
)
_PRONOUNS = {"he": "m", "she": "f", "they": None, "it": None, "we": None, "i": None}
_GROUP_NOUNS = GENERIC_SOURCE_NOUNS
_QUOTE_OPEN = "\u201c\"'\u2018"
_QUOTE_MARK = re.compile('[\u201c\u201d"]')


def _quote_ratio(text: str) -> float:
    """Share of characters inside quotation marks (curly or straight double)."""
    # Walk the quotation marks only: the text between two marks is inside or not.
    inside = 0
    depth = False
    last = 0
    for m in _QUOTE_MARK.finditer(text):
        pos = m.start()
        if depth:
            inside += pos - last
        ch = text[pos]
        if ch == "\u201c":
            depth = True
        elif ch == "\u201d":
            depth = False
        else:
            depth = not depth
        last = pos + 1
    if depth:
        inside += len(text) - last
    return inside / max(1, len(text))


# Keyword alternations, faster. ``\b(?:w1|w2|...)\b`` where every alternative is word
# characters only matches exactly when one of the text's maximal ``\w+`` runs is one of
# them (a ``\b`` on each side of a word-character alternative is the edge of a run), so
# those become set lookups on the sentence's runs, found once (``_WORD_RUN``). The
# phrases left ("took place", "won't") are searched only when their first word is there.
#
# _PREDICTION and _CAUSATION are case-insensitive: Python's engine is several times
# slower with re.IGNORECASE, so they run case-sensitively on the lower-cased sentence.
# That finds a match exactly when the case-insensitive search does: str.lower() keeps
# every character's length and word / space class, and maps a character to an ASCII
# letter exactly when IGNORECASE would match it to that letter, except for three
# characters, for which the original case-insensitive search is used.
_ODD_FOLDING = re.compile("[\u0130\u0131\u017f]")
_WORD_RUN = re.compile(r"\w+")


def word_runs(text: str) -> set[str]:
    r"""The set of ``text``'s maximal ``\w+`` runs, for the keyword lookups."""
    return set(_WORD_RUN.findall(text))


_ONE_RUN = re.compile(r"^\w+$")


class _Keywords:
    """``regex.search(text)`` as set lookups on the text's word runs (see above)."""

    def __init__(self, regex: re.Pattern, words: list[str]):
        assert regex.pattern.startswith(r"\b(?:") and regex.pattern.endswith(r")\b")
        self.regex = regex
        self.words = frozenset(w for w in words if _ONE_RUN.match(w))
        phrases = [w for w in words if not _ONE_RUN.match(w)]
        self.phrase_texts = tuple(phrases)
        # A phrase's first run is one of the text's runs whenever the phrase matches.
        self.firsts = frozenset(_WORD_RUN.match(p).group(0) for p in phrases)
        alternation = "|".join(map(re.escape, phrases))
        self.phrases = re.compile(rf"\b(?:{alternation})\b") if phrases else None

    def found(self, runs: set[str], text: str) -> bool:
        if not self.words.isdisjoint(runs):
            return True
        return (
            self.phrases is not None
            and not self.firsts.isdisjoint(runs)
            and self.phrases.search(text) is not None
        )


def _expand(pattern: str) -> list[str]:
    r"""The alternatives of ``\b(?:a|bs?|c d)\b`` as plain strings ("bs?" -> "b", "bs")."""
    inner = pattern[len(r"\b(?:") : -len(r")\b")]
    out = []
    for alternative in inner.split("|"):
        forms = [alternative.replace("\\u2019", "\u2019")]
        while any("?" in form for form in forms):
            forms = [
                variant
                for form in forms
                for variant in (
                    (
                        form[: form.index("?") - 1] + form[form.index("?") + 1 :],
                        form.replace("?", "", 1),
                    )
                    if "?" in form
                    else (form,)
                )
            ]
        out += forms
    assert all("\\" not in a and "(" not in a and "[" not in a for a in out), out
    return out


_LAW_WORDS = _Keywords(_LAW, sorted(LEGAL_WORDS))
_EVENT_WORDS = _Keywords(_EVENT, _expand(_EVENT.pattern))
_REPORTING_WORDS = _Keywords(_REPORTING, sorted(REPORTING_VERBS))
_PREDICTION_WORDS = _Keywords(_PREDICTION, _expand(_PREDICTION.pattern))
_CAUSATION_WORDS = _Keywords(_CAUSATION, _expand(_CAUSATION.pattern))
# _EXPERIENCE starts "\b(?:I|we|We)" then an apostrophe or whitespace: one of those
# three is a whole run of the text whenever it matches.
_EXPERIENCE_SUBJECTS = frozenset(("I", "we", "We"))


def claim_type(
    text: str,
    numbers: list[dict],
    speaker: str,
    entities: list[dict],
    runs: set[str] | None = None,
) -> str:
    r"""Most fact-check-specific type that fits (see CLAIM_TYPES).

    ``runs``: the set of ``text``'s ``\w+`` runs, when the caller has it.
    """
    if runs is None:
        runs = word_runs(text)
    if _LAW_WORDS.found(runs, text):
        return "law"
    if numbers:
        return "quantity"
    if not _EXPERIENCE_SUBJECTS.isdisjoint(runs) and _EXPERIENCE.search(text):
        return "experience"
    ratio = _quote_ratio(text)
    if ratio >= 0.65 or (ratio >= 0.5 and text[:1] in _QUOTE_OPEN):
        return "quote"
    if _ODD_FOLDING.search(text):
        prediction = _PREDICTION.search(text)
        causation = prediction or _CAUSATION.search(text)
    else:
        low = text.lower()
        # The runs of the lower-cased text are the lower-cased runs: lower() keeps each
        # character's length and word class but for U+0130, which _ODD_FOLDING catches.
        low_runs = {run.lower() for run in runs}
        prediction = _PREDICTION_WORDS.found(low_runs, low)
        causation = prediction or _CAUSATION_WORDS.found(low_runs, low)
    if prediction:
        return "prediction"
    if causation:
        return "causation"
    if speaker and _REPORTING_WORDS.found(runs, text):
        return "attribution"
    if _EVENT_WORDS.found(runs, text) or any(e["label"] == "DATE" for e in entities):
        return "event"
    return "other"


# ---------------------------------------------------------------------------
# Speaker
# ---------------------------------------------------------------------------


class _Context:
    """What earlier sentences established: people named, the last speaker."""

    def __init__(self, known_people: dict[str, str]):
        self.known_people = known_people  # surname / first name -> fullest name
        self.mentions: list[tuple[str, str | None]] = []  # recent (resolved name, gender)
        self.genders: dict[str, str] = {}
        self.last_speaker: tuple[str, str | None] | None = None
        # The person each earlier sentence was about (its speaker, or the first person
        # named in it), most recent last: "he"/"she" refer to the nearest that fits.
        self.subjects: list[str] = []
        self.last_group = ""
        self.prev_quoted_speaker = ""
        self.quote_open = False

    def resolve(self, name: str) -> tuple[str, str | None]:
        bare, gender = strip_honorific(name)
        parts = bare.split()
        if len(parts) == 1:
            full = self.known_people.get(parts[0])
            if full:
                return full, gender
            return name, gender
        full = self.known_people.get(parts[-1])
        if full and full.endswith(bare) and len(full) > len(bare):
            return full, gender
        return bare, gender

    def gender_of(self, name: str) -> str | None:
        return self.genders.get(name)

    def mention(self, name: str, gender: str | None) -> None:
        if gender:
            self.genders[name] = gender
        self.mentions.append((name, gender))
        if len(self.mentions) > 64:
            del self.mentions[:32]

    def pronoun(self, gender: str | None) -> str:
        for name in reversed(self.subjects):
            g = self.gender_of(name)
            if gender is None or g is None or g == gender:
                return name
        for name, g in reversed(self.mentions):
            g = g or self.gender_of(name)
            if gender is None or g is None or g == gender:
                return name
        return ""

    def add_subject(self, name: str) -> None:
        self.subjects.append(name)
        if len(self.subjects) > 16:
            del self.subjects[:8]


def _entity_ending_at(entities: list[dict], pos: int) -> dict | None:
    for e in entities:
        if e["label"] != "DATE" and e["end"] == pos:
            return e
    return None


def _entity_starting_at(entities: list[dict], pos: int) -> dict | None:
    for e in entities:
        if e["label"] != "DATE" and e["start"] == pos:
            return e
    return None


_WORD_BEFORE = re.compile(r"([A-Za-z][\w\-]*)(['\u2019]s)?[\s,]*$")
_NOUN_PHRASE_BEFORE = re.compile(r"((?:[A-Z][\w\-]*(?:['\u2019]s)?\s+){0,3})([a-z][\w\-]*)\s*$")


def _last_word_start(segment: str) -> int:
    """Where the last word of ``segment`` begins (after trailing whitespace and commas).

    A ``_WORD_BEFORE`` match is one word, maybe ``'s``, then whitespace and commas to
    the end, so it cannot start earlier: searching from here finds the same match
    without trying every earlier position.
    """
    i = len(segment)
    while i and (segment[i - 1].isspace() or segment[i - 1] == ","):
        i -= 1
    while i and not (segment[i - 1].isspace() or segment[i - 1] == ","):
        i -= 1
    return i


def _subject_before(text: str, pos: int, entities: list[dict], ctx: _Context) -> str | None:
    """Speaker named right before a reporting verb at ``pos``, skipping adverbs.

    ``""`` when the subject is there but names no one ("officials said"), ``None``
    when there is no subject (the speaker may follow: "..., said Ms Reeves")."""
    end = pos
    while True:
        segment = text[:end].rstrip(" ,")
        m = _WORD_BEFORE.search(segment, _last_word_start(segment))
        if not m:
            return None
        word = m.group(1)
        if word.lower() in _ADVERBS and word[0].islower():
            end = m.start()
            continue
        break
    stop = len(segment)
    ent = _entity_ending_at(entities, stop)
    if ent is None and segment.endswith(("\u2019s", "'s")):
        ent = _entity_ending_at(entities, stop - 2)
    if ent is not None:
        return _entity_speaker(ent, ctx)
    low = word.lower()
    if low in _PRONOUNS and m.start() == len(segment) - len(word):
        if low in ("he", "she"):
            return ctx.pronoun(_PRONOUNS[low]) or None
        if low in ("it", "they"):
            return ctx.last_group or None
        return None
    if low in _GROUP_NOUNS:
        # "Trump team said", "Labour officials said": named by their proper-noun prefix.
        # A bare "officials said", "the department said", "reports said" names no one.
        np = _NOUN_PHRASE_BEFORE.search(segment)
        prefix = np.group(1).strip() if np else ""
        words = [w for w in prefix.split() if w not in HONORIFICS and w not in ("The", "A", "An")]
        if words:
            return f"{' '.join(words)} {low}".replace("\u2019s ", " ").replace("'s ", " ")
        return ""
    # "the owner said", "a neighbour told": unnamed, so not a speaker either.
    if word[0].islower() and word.isalpha() and len(word) > 2:
        before = text[: m.start()].rstrip().rsplit(" ", 1)[-1]
        if before in ("the", "a", "an", "The", "A", "An"):
            return ""
    return None


def _entity_speaker(ent: dict, ctx: _Context) -> str:
    if ent["label"] == "PERSON":
        name, _ = ctx.resolve(ent["text"])
        return name
    return ent["text"]


_SOURCE_PHRASE = re.compile(
    r"((?:[\w\-\u2019']+\s?){1,5}?)(?=\s(?:published|released|issued|seen|obtained|that|"
    r"which|who|on|in|from|by|at|for|of)\b|[,.;:\u201d\"]|$)"
)


def _according_to(text: str, entities: list[dict], ctx: _Context) -> str:
    m = _ACCORDING_TO.search(text) if "ccording to" in text else None
    if not m:
        return ""
    ent = _entity_starting_at(entities, m.end())
    if ent:
        return _entity_speaker(ent, ctx)
    phrase = _SOURCE_PHRASE.match(text, m.end())
    if not phrase:
        return ""
    source = phrase.group(1).strip()
    # "according to local news reports": a kind of source, not a named one.
    return source if any(w[:1].isupper() for w in source.split()) else ""


def _find_speaker(
    text: str, entities: list[dict], ctx: _Context, runs: set[str] | None = None
) -> str:
    reporting = runs is None or _REPORTING_WORDS.found(runs, text)
    for m in _REPORTING.finditer(text) if reporting else ():
        subject = _subject_before(text, m.start(), entities, ctx)
        if subject:
            return subject
        if subject == "":
            continue  # "Reports said Labour ...": an unnamed subject; Labour is not speaking
        # Inverted: "..., said Mr Starmer.", "“...,” said Ms Reeves."
        if not text[: m.start()].rstrip().endswith((",", "”", '"', "'", "’")):
            continue
        after = m.end()
        while after < len(text) and text[after] == " ":
            after += 1
        ent = _entity_starting_at(entities, after)
        if ent and ent["label"] in ("PERSON", "ORG"):
            return _entity_speaker(ent, ctx)
    return _according_to(text, entities, ctx)


_GROUP_SUBJECT = re.compile(
    r"^(?:The\s+)?((?:[A-Z][\w\-]*\s+){1,3}(?:team|campaign|government|ministry|party|"
    r"department|committee|commission|company|court|council|administration|police))\b"
)


_LEADING_PRONOUN = re.compile(r"^\W*(He|She)\b")


def _sentence_subject(
    text: str, speaker: str, people: list[tuple[str, str | None]], ctx: _Context
) -> str:
    """Who a sentence is about, for later pronouns: its speaker when that is a person,
    else the person a leading "He"/"She" stands for, else the first person named."""
    names = [name for name, _ in people]
    if speaker and (speaker in names or any(speaker == m[0] for m in ctx.mentions[-8:])):
        return speaker
    lead = _LEADING_PRONOUN.match(text)
    if lead:
        return ctx.pronoun(_PRONOUNS[lead.group(1).lower()])
    return names[0] if names else ""


def _known_people(sentences_entities: list[list[dict]]) -> dict[str, str]:
    known: dict[str, str] = {}
    for entities in sentences_entities:
        for e in entities:
            if e["label"] != "PERSON":
                continue
            bare, _ = strip_honorific(e["text"])
            parts = bare.split()
            if len(parts) < 2:
                continue
            for key in (parts[-1], parts[0]):
                known.setdefault(key, bare)
            known.setdefault(bare, bare)
    return known


def understand(
    sentences: list[str], full_text: str = "", *, words: list[set[str]] | None = None
) -> list[Understanding]:
    """Type, speaker, numbers and entities for each sentence, in article order.

    ``full_text`` is accepted for callers that have it; the sentences already carry
    everything this needs (names are gathered from all sentences first). ``words``:
    each sentence's ``word_runs``, when the caller has them.
    """
    if words is None:
        words = [word_runs(s) for s in sentences]
    dates = [find_dates(s) for s in sentences]
    runs = [entity_runs(s, d) for s, d in zip(sentences, dates)]
    # First pass: entities without known people (as find_entities(s, None, ...)).
    classified = [classify_runs(s, r, None) for s, r in zip(sentences, runs)]
    first_pass = [merge_entities(d, c) for d, c in zip(dates, classified)]
    known = _known_people(first_pass)
    ctx = _Context(known)
    out: list[Understanding] = []
    for text, sentence_dates, sentence_runs, sentence_classified, runs_of_words in zip(
        sentences, dates, runs, classified, words
    ):
        # As find_entities(text, known, ...): a run's classification can only change
        # when one of its words is a known person, so only those runs are redone.
        if known and not known.keys().isdisjoint([t.text for run in sentence_runs for t in run]):
            sentence_classified = [
                found
                if known.keys().isdisjoint([t.text for t in run])
                else classify_runs(text, [run], known)[0]
                for run, found in zip(sentence_runs, sentence_classified)
            ]
        entities = merge_entities(sentence_dates, sentence_classified)
        numbers = find_numbers(text, sentence_dates)
        speaker = _find_speaker(text, entities, ctx, runs_of_words)
        starts_with_quote = text[:1] in _QUOTE_OPEN
        if not speaker and (starts_with_quote or ctx.quote_open) and ctx.prev_quoted_speaker:
            speaker = ctx.prev_quoted_speaker  # a quotation running on from the last one
        ctype = claim_type(text, numbers, speaker, entities, runs_of_words)
        out.append(Understanding(ctype, speaker, numbers, entities))

        # Update context for the sentences that follow.
        people = [ctx.resolve(e["text"]) for e in entities if e["label"] == "PERSON"]
        for name, gender in people:
            ctx.mention(name, gender)
        subject = _sentence_subject(text, speaker, people, ctx)
        if subject:
            ctx.add_subject(subject)
        if speaker:
            person = any(speaker == m[0] for m in ctx.mentions[-8:])
            ctx.last_speaker = (speaker, ctx.gender_of(speaker)) if person else ctx.last_speaker
        group = _GROUP_SUBJECT.match(text)
        if group:
            ctx.last_group = group.group(1).strip()
        elif speaker and speaker in ORGS:
            ctx.last_group = speaker
        has_quote = "\u201c" in text or "\u201d" in text or text.count('"') >= 2
        ctx.prev_quoted_speaker = speaker if has_quote else ""
        # A quotation still open at the end runs into the next sentence.
        ctx.quote_open = text.rfind("\u201c") > text.rfind("\u201d")
    return out
