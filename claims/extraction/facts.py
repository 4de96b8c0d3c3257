"""Canonical facts of a claim, and whether two claims state the same fact.

Same fact, not same words: figures are compared as values with their currency or
percent sign ("£3.5bn" = "3.5 billion pounds"; "$4.7bn" ≠ "$7.4bn"), dates by year,
month and day, names by a canonical key (a person by surname, an organisation or
country by its acronym or alias: "IMF" = "International Monetary Fund"), and the
claim's polarity (a negation flips it). The rest of the sentence is compared as a
set of stemmed content words. Pure Python, like the rest of ``extraction``.

``same_fact`` answers ``SAME`` (join the cluster), ``RELATED`` (same topic, but a
figure, date, name or polarity differs: never joins) or ``None``.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer

from .entities import find_dates, find_entities
from .gazetteer import HONORIFICS, STOP_CAPS, TITLES
from .quantities import find_numbers

SAME = "same"
RELATED = "related"

# Chosen on the development half of bench/data/matching (by source article), never on
# the held-out half; see bench/bench_clusters.py.
SAME_THRESHOLD = 0.5
RELATED_THRESHOLD = 0.3

# Strict units: a differing currency or a percent against a count is another figure.
_STRICT_UNITS = frozenset(
    {"percent", "GBP", "USD", "EUR", "JPY", "CNY", "INR", "CAD", "AUD", "CHF", "RUB"}
)
_NEGATIONS = frozenset(
    "not no never none nobody nothing neither nor cannot n't deny denies denied".split()
)
_STOP = (
    frozenset(
        """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves said says say saying
    told tells also mr mrs ms dr according claimed claims claim stated states added adding
    noted warned insisted explained s t re ve ll d m per cent percent year years
    """.split()
    )
    - _NEGATIONS
)
# Names that mean one thing; an acronym of a multi-word name is derived, not listed.
ALIASES = {
    "u.s.": "us",
    "usa": "us",
    "u.s.a.": "us",
    "america": "us",
    "united states": "us",
    "united states of america": "us",
    "u.k.": "uk",
    "britain": "uk",
    "great britain": "uk",
    "united kingdom": "uk",
    "european union": "eu",
    "e.u.": "eu",
    "un": "un",
    "united nations": "un",
    "nhs": "nhs",
    "national health service": "nhs",
    "fed": "fed",
    "federal reserve": "fed",
}
_CONNECTORS = frozenset("of for the and de du la le del von van & on".split())
_HONORIFICS = frozenset(h.lower().rstrip(".") for h in HONORIFICS)
# Titles and words capitalised for their place in a sentence are not names.
_NOT_NAMES = frozenset(w.lower().rstrip(".") for w in (*HONORIFICS, *TITLES, *STOP_CAPS))
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|n['’]t", re.UNICODE)
_CAPITAL = re.compile(r"\b[A-Z][\w'.\-]*\w")
_MONTHS = {
    m[:3]: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_WEEKDAYS = frozenset("mon tue wed thu fri sat sun".split())
_STEMMERS = threading.local()


@functools.lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@dataclass
class Facts:
    numbers: frozenset[str] = frozenset()  # "3.5e+09 GBP", "12 percent", "750"
    dates: dict[str, frozenset] = field(default_factory=dict)  # year / month / day
    names: frozenset[str] = frozenset()  # canonical keys of people, places, bodies
    negated: bool = False
    words: frozenset[str] = frozenset()  # stemmed content words, names and figures

    def to_json(self) -> dict:
        return {
            "n": sorted(self.numbers),
            "d": {k: sorted(v) for k, v in self.dates.items()},
            "e": sorted(self.names),
            "neg": self.negated,
            "w": sorted(self.words),
        }

    @classmethod
    def from_json(cls, data: dict) -> Facts:
        return cls(
            numbers=frozenset(data.get("n", ())),
            dates={k: frozenset(v) for k, v in data.get("d", {}).items()},
            names=frozenset(data.get("e", ())),
            negated=bool(data.get("neg")),
            words=frozenset(data.get("w", ())),
        )


_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
_NUM_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
# "two hundred and two", "a hundred", "ninety-nine", "fifty thousand": one spelled number.
_SPELLED = re.compile(
    rf"\b(?:an?\s+(?=(?:hundred|thousand|million|billion)\b))?(?:{_NUM_WORD})"
    rf"(?:(?:\s+and\s+|[\s\-]+)(?:{_NUM_WORD}))*\b",
    re.IGNORECASE,
)
_ORDINAL = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.IGNORECASE)
_ABBREVIATED_SCALE = re.compile(r"(\d)([BM])\b")  # "$5.5B", "$470M"
_HYPHENED_SCALE = re.compile(r"(\d)-(million|billion|thousand|trillion)\b")  # "$23-million"


def _spelled_value(words: list[str]) -> int | None:
    total = current = 0
    for word in words:
        if word in ("a", "an"):
            current = 1
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current


def _spell_to_digits(match: re.Match) -> str:
    words = [w for w in re.split(r"[\s\-]+", match.group().lower()) if w != "and"]
    if len(words) == 1 and words[0] in ("one", "zero"):  # "one of", "no one": a pronoun
        return match.group()
    if words[0] in _SCALES:  # "$4.3 million": the scale of a figure in digits
        return match.group()
    value = _spelled_value(words)
    return match.group() if value is None else str(value)


def normalise_numbers(text: str) -> str:
    """Spelled numbers and ordinals as digits: "two hundred and two" → "202",
    "sixteenth" → "16th", "$5.5B" → "$5.5bn"."""
    text = _ABBREVIATED_SCALE.sub(lambda m: m.group(1) + ("bn" if m.group(2) == "B" else "m"), text)
    text = _HYPHENED_SCALE.sub(r"\1 \2", text)
    text = _ORDINAL.sub(lambda m: f"{_ORDINALS[m.group().lower()]}th", text)
    return _SPELLED.sub(_spell_to_digits, text)


def _number_key(n: dict) -> str:
    value = float(n["value"])
    unit = n.get("unit") or ""
    key = f"{value:.4g}"
    return f"{key} {unit}" if unit in _STRICT_UNITS else key


def _date_parts(dates: list[dict]) -> dict[str, frozenset]:
    parts: dict[str, set] = {"year": set(), "month": set(), "day": set(), "weekday": set()}
    for d in dates:
        text = _fold(d["text"])
        parts["year"].update(re.findall(r"\b(1[89]\d\d|20\d\d)\b", text))
        for word in re.findall(r"[a-z]+", text):
            if word[:3] in _MONTHS and (len(word) >= 3 and word != "mar" or word == "march"):
                parts["month"].add(str(_MONTHS[word[:3]]))
        parts["weekday"].update(
            w[:3] for w in re.findall(r"\b(\w+)day\b", text) if w[:3] in _WEEKDAYS
        )
        parts["day"].update(
            str(int(x)) for x in re.findall(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b", text)
        )
    return {k: frozenset(v) for k, v in parts.items() if v}


def name_key(name: str, label: str = "") -> str:
    """One key per person, place or body: a person by surname, a multi-word body or
    place by its alias or acronym ("International Monetary Fund" → "imf")."""
    folded = _fold(name.replace("’", "'")).strip(" ,'")
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]?\.?", folded):  # "U.S." → "us"
        folded = folded.replace(".", "")
    folded = folded.strip(".")
    if folded in ALIASES:
        return ALIASES[folded]
    words = [w for w in re.findall(r"[a-z0-9][a-z0-9.'’\-]*", folded) if w not in _HONORIFICS]
    if not words:
        return folded
    if label == "PERSON":
        return words[-1].rstrip(".").removesuffix("'s").removesuffix("’s")
    if len(words) == 1:
        return words[0].rstrip(".").removesuffix("'s").removesuffix("’s")
    return "".join(w[0] for w in words if w not in _CONNECTORS)


def _spans(text: str) -> tuple[list[dict], list[dict], list[dict]]:
    dates = find_dates(text)
    numbers = [n for n in find_numbers(text, dates) if n.get("value") is not None]
    entities = [e for e in find_entities(text, dates=dates) if e["label"] != "DATE"]
    return dates, numbers, entities


def canonical_facts(text: str, speaker: str = "") -> Facts:
    """The facts a sentence states, in canonical form (see the module docstring)."""
    text = normalise_numbers(text.replace("’", "'"))
    dates, numbers, entities = _spans(text)
    taken: list[tuple[int, int]] = []
    words: set[str] = set()
    names: set[str] = set()
    number_keys = set()
    for n in numbers:
        key = _number_key(n)
        number_keys.add(key)
        words.add("#" + key)
        taken.append((n["start"], n["end"]))
    for d in dates:
        taken.append((d["start"], d["end"]))
    date_parts = _date_parts(dates)
    for part, values in date_parts.items():
        words.update(f"@{part}{v}" for v in values)
    for e in entities:
        key = name_key(e["text"], e["label"])
        names.add(key)
        words.add("$" + key)
        taken.append((e["start"], e["end"]))
    # Capitalised words the entity finder left (a surname alone, "Independent System
    # Operator"), except the first word of the sentence or of a quote, capitalised anyway;
    # adjacent ones make one name.
    run: list[re.Match] = []
    for m in [*_CAPITAL.finditer(text), None]:
        if m is not None:
            before = text[: m.start()].rstrip()
            word = _fold(m.group()).rstrip(".").removesuffix("'s")
            sentence_start = not before or (
                before[-1] in "\"“‘'(:.!?—–-" and not re.search(r"\b[A-Z]\.$", before)
            )
            keep = (
                not any(s <= m.start() < e for s, e in taken)
                and not sentence_start
                and word not in _NOT_NAMES
                and word not in _STOP
                and len(word) > 1
            )
            if (
                keep
                and run
                and re.fullmatch(r"\s+(?:(?:of|and|for)\s+)?", text[run[-1].end() : m.start()])
            ):
                run.append(m)
                continue
        if run:
            key = name_key(text[run[0].start() : run[-1].end()])
            names.add(key)
            words.add("$" + key)
            taken.append((run[0].start(), run[-1].end()))
            run = []
        if m is not None and keep:
            run = [m]
    if speaker:
        words.add("$" + name_key(speaker, "PERSON"))
    taken.sort()
    rest, pos = [], 0
    for s, e in taken:
        if s >= pos:
            rest.append(text[pos:s])
            pos = e
        pos = max(pos, e)
    rest.append(text[pos:])
    negations = 0
    for word in _WORD.findall(_fold(" ".join(rest))):
        word = word.replace("’", "'")
        if word in _NEGATIONS or word.endswith("n't"):
            negations += 1
            continue
        if word in _STOP or len(word) < 2 or word.isdigit():
            continue
        words.add(_stem(word.replace("'", "")))
    return Facts(
        numbers=frozenset(number_keys),
        dates=date_parts,
        names=frozenset(names),
        negated=negations % 2 == 1,
        words=frozenset(words),
    )


def conflicts(a: Facts, b: Facts) -> list[str]:
    """What makes two claims state different facts, however alike their words."""
    out = []
    # A figure one side leaves out is not a conflict; a figure that differs is.
    if (a.numbers - b.numbers and b.numbers - a.numbers) or (
        (a.numbers or b.numbers) and not a.numbers & b.numbers
    ):
        out.append("figure")
    for part in ("year", "month", "day", "weekday"):
        x, y = a.dates.get(part, frozenset()), b.dates.get(part, frozenset())
        if x and y and ((x - y and y - x) or not x & y):
            out.append("date")
            break
    # A substitution (each side names someone or somewhere the other does not) is
    # another fact; a name one side leaves out (reported speech) is not.
    if a.names - b.names and b.names - a.names:
        out.append("name")
    if a.negated != b.negated:
        out.append("negation")
    return out


def similarity(a: Facts, b: Facts) -> float:
    """Overlap of content words, figures and names: |A ∩ B| / min(|A|, |B|)."""
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / min(len(a.words), len(b.words))


def same_fact(a: Facts, b: Facts) -> str | None:
    sim = similarity(a, b)
    if sim < RELATED_THRESHOLD:
        return None
    if sim >= SAME_THRESHOLD and not conflicts(a, b):
        return SAME
    return RELATED
