"""Rule-based check-worthiness score: the fallback scorer (pure Python).

``rule_score(text)`` returns a float in [0, 1]; with ``checkworthiness.THRESHOLD``
at 0.5 a sentence needs roughly two independent signals of a checkable fact
(a quantity, a named actor, an attribution, an official or legal action, a date)
to pass. Short colour, opinion and questions score low.
"""

from __future__ import annotations

import re

__all__ = ["rule_score", "rule_signals"]

# Words with their case kept; numbers with currency, separators and percent signs.
_TOKEN = re.compile(r"[$\u00a3\u20ac]?\d[\d,]*(?:\.\d+)?%?|[A-Za-z\u00c0-\u024f][\w'\u2019\-]*")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_PHRASES = re.compile(
    r"\b(?:according to|more than|less than|fewer than|per ?cent|no one|as a result|"
    r"led to|due to)\b|[$\u00a3\u20ac]\s?\d|\d\s?%",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SPELLED = _words(
    """two three four five six seven eight nine ten eleven twelve fifteen twenty thirty
    forty fifty hundred hundreds thousand thousands million millions billion billions
    trillion dozen dozens half quarter twice double doubled tripled halved"""
)
_MONTHS = _words(
    """January February March April May June July August September October November
    December Monday Tuesday Wednesday Thursday Friday Saturday Sunday"""
)
_REPORTING = _words(
    """said says told tells wrote writes claimed claims accused accuses alleged alleges
    announced announces stated states insisted denied denies confirmed confirms revealed
    reported reports argued warned admitted estimated estimates found showed shows
    published objected"""
)
_OFFICIAL = _words(
    """complaint complaints lawsuit lawsuits sued sue suing court courts judge ruled
    ruling law laws legislation bill bills illegal illegally unlawful legal
    investigation investigations investigated investigating inquiry probe probed
    impeached impeachment charged charges indicted indictment convicted conviction
    sentenced prosecuted prosecutor prosecutors fined banned ban sanction sanctions
    regulator regulators regulation election elections vote voted votes referendum
    parliament congress senate commission treaty policy budget tax taxes contribution
    contributions funding funded paid spent cost costs donation donations donated
    official officials government minister ministers president elected appointed
    resigned signed passed approved rejected vetoed audit report"""
)
_CHANGE = _words(
    """increase increased increases decrease decreased decreases rose risen rise fell
    fallen fall falls doubled tripled halved grew grown decline declined dropped surged
    soared plunged record highest lowest largest biggest smallest most fewest majority
    minority average rate percent first only never always every all none"""
)
_OPINION = _words(
    """should must beautiful wonderful amazing terrible great fantastic awful sad thank
    thanks congratulations welcome please folks"""
)
_OPINION_AFTER_I = _words("think believe feel hope want wish love like guess suppose")
_COLOUR = _words(
    "smiled laughed sunny rain weather crowd cheered nodded looked felt seemed wore stood walked"
)
_COMMON_CAPS = _words(
    "I The A An He She It They We You This That But And Or In On At If When Mr Mrs Ms Dr"
)
_QUOTES = ("\u201c", "\u201d", '"')


def rule_signals(text: str) -> dict[str, float]:
    """The named signals behind ``rule_score`` (useful for debugging and tests)."""
    tokens = _TOKEN.findall(text)
    words = [t for t in tokens if not t[0].isdigit() and t[0] not in "$\u00a3\u20ac"]
    numbers = [t for t in tokens if t not in words]
    lower = [w.lower() for w in words]
    lower_set = set(lower)
    quantities = [n for n in numbers if not _YEAR.match(n)]
    years = len(numbers) - len(quantities)
    names = {
        w
        for i, w in enumerate(words)
        if i and w[0].isupper() and w not in _COMMON_CAPS and w not in _MONTHS
    }
    phrases = {p.lower() for p in _PHRASES.findall(text)}
    money_pct = any(p[-1].isdigit() or p.startswith("per") for p in phrases) or any(
        "%" in n or n[0] in "$\u00a3\u20ac" for n in numbers
    ) or "percent" in lower_set
    opinion = bool(lower_set & _OPINION) or any(
        a in ("i", "we") and b in _OPINION_AFTER_I for a, b in zip(lower, lower[1:])
    )
    stripped = text.rstrip().rstrip("\u201d\u2019\"')")
    return {
        "words": float(len(words) + len(numbers)),
        "quantity": float(bool(quantities) or bool(lower_set & _SPELLED)),
        "money_or_percent": float(money_pct),
        "date": float(bool(years) or any(w in _MONTHS for w in words)),
        "names": float(min(len(names), 4)),
        "reporting": float(bool(lower_set & _REPORTING) or "according to" in phrases),
        "official": float(min(sum(1 for w in lower if w in _OFFICIAL), 3)),
        "change": float(
            bool(lower_set & _CHANGE) or bool(phrases & {"more than", "less than", "fewer than", "no one"})
        ),
        "quoted": float(sum(text.count(q) for q in _QUOTES) >= 2),
        "question": float(stripped.endswith("?")),
        "opinion": float(opinion),
        "colour": float(bool(lower_set & _COLOUR)),
    }


def rule_score(text: str) -> float:
    """Check-worthiness of one sentence in [0, 1] from hand-written rules."""
    if not text or not text.strip():
        return 0.0
    s = rule_signals(text)
    score = 0.12
    score += 0.28 * s["quantity"] + 0.14 * s["money_or_percent"]
    score += 0.12 * s["date"]
    score += 0.07 * s["names"]
    score += 0.14 * s["reporting"]
    score += 0.10 * s["official"]
    score += 0.08 * s["change"]
    score += 0.04 * s["quoted"]
    score -= 0.35 * s["question"]
    score -= 0.2 * s["opinion"]
    score -= 0.08 * s["colour"]
    words = s["words"]
    if words < 5:
        score -= 0.3
    elif words < 9:
        score -= 0.12
    elif words > 60:
        score -= 0.05  # run-on text (menus, lists) rather than a claim
    return round(min(1.0, max(0.0, score)), 4)
