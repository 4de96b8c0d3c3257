"""Check-worthiness features, shared by training and inference (pure Python + numpy).

Word and char n-grams, hand features, the asserted content of a sentence (its reporting
clause and negation removed) and the news model's dense block (the general model's
margins, the previous sentence, hand features).
"""

from __future__ import annotations

import math
import re

import numpy as np

from ..lexicon import (
    CRIME_WORDS,
    DEMAND_WORDS,
    EVALUATIVE_WORDS,
    EVIDENCE_WORDS,
    FEELING_WORDS,
    HEDGE_WORDS,
    INTENSIFIERS,
    LEGAL_WORDS,
    MONTHS,
    NAMING_VERBS,
    NEGATIONS,
    PROCEDURAL_WORDS,
    PRONOUN_SUBJECTS,
    REPORTING_VERBS,
    RHETORIC_VERBS,
)

# ---------------------------------------------------------------------------
# Feature extraction (shared with training)
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[$£€]?\d+(?:[.,:]\d+)*%?|[a-z]+(?:'[a-z]+)?|[?!%$£€]")
_CAPWORD_RE = re.compile(r"\b[A-Z][A-Za-z'\-]*")
_FIRSTWORD_RE = re.compile(r"[^A-Za-z]*([A-Za-z]+)")
_DIGIT_RE = re.compile(r"\d")
_CURRENCY = "$£€"
_YEAR_RE = re.compile(r"^(1[6-9]|20)\d\d$")
_QUOTE_TRANS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

CHAR_NGRAM_RANGE = (2, 5)


def _num_class(tok: str) -> str:
    if tok[0] in _CURRENCY:
        return "<money>"
    if tok[-1] == "%":
        return "<pct>"
    if _YEAR_RE.match(tok):
        return "<year>"
    return "<num>"


def _low(text: str) -> str:
    return text.translate(_QUOTE_TRANS).lower()


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; numbers are replaced by a class token."""
    return _tokens_low(_low(text))


_NT_BASE = {"wo": "will", "ca": "can", "sha": "shall", "ai": "is"}


def _tokens_low(low: str) -> list[str]:
    toks = _TOKEN_RE.findall(low)
    if "n't" not in low:
        return [
            (_num_class(t) if t[0].isdigit() or (t[0] in _CURRENCY and len(t) > 1) else t)
            for t in toks
        ]
    out: list[str] = []
    for t in toks:
        if t[0].isdigit() or (t[0] in _CURRENCY and len(t) > 1):
            out.append(_num_class(t))
        elif t[-3:] == "n't" and len(t) > 3:
            # "didn't" -> "did", "not": the negation is one token whatever its spelling.
            base = t[:-3]
            out.append(_NT_BASE.get(base, base))
            out.append("not")
        else:
            out.append(t)
    return out


def _word_from_tokens(toks: list[str]) -> list[str]:
    seq = ["<s>", *toks, "</s>"]
    return toks + [a + " " + b for a, b in zip(seq, seq[1:])]


def word_features(text: str) -> list[str]:
    """Word unigrams and bigrams (with sentence boundary markers)."""
    return _word_from_tokens(tokens(text))


def char_words(text: str) -> list[str]:
    """Whitespace-separated, lower-cased words with digits folded to 0."""
    return _DIGIT_RE.sub("0", _low(text)).split()


def word_char_ngrams(w: str) -> list[str]:
    """Char n-grams of one word padded with spaces (like scikit-learn's char_wb)."""
    lo, hi = CHAR_NGRAM_RANGE
    p = " " + w + " "
    L = len(p)
    out: list[str] = []
    for n in range(lo, min(hi, L) + 1):
        out.extend([p[i : i + n] for i in range(L - n + 1)])
    return out


def char_features(text: str) -> list[str]:
    """Char n-grams within word boundaries; digits folded to 0."""
    out: list[str] = []
    for w in char_words(text):
        out.extend(word_char_ngrams(w))
    return out


_REPORTING = REPORTING_VERBS | EVIDENCE_WORDS
# Legal and regulatory vocabulary (allegations, findings, the law itself) and crime.
_LEGAL = LEGAL_WORDS | CRIME_WORDS
# Accusation and denial verbs: "X accused Y of ...", "Y denied ...".
_ACCUSE = frozenset(
    "accused accuses accusing alleged alleges alleging denied denies denying admitted "
    "admits blamed blames criticised criticized condemned".split()
)
_OPINION = frozenset(
    "think believe feel hope want wish great wonderful terrible good bad best worst "
    "should must ought".split()
)
_FIRST_SING = frozenset(["i", "me", "my", "i'm", "i've", "i'll", "i'd", "myself"])
_FIRST_PLUR = frozenset(["we", "our", "us", "we're", "we've", "we'll", "ourselves"])
_SECOND = frozenset(["you", "your", "you're", "you've", "yourself"])
_QUANT = frozenset(
    "hundred hundreds thousand thousands million millions billion billions trillion "
    "dozen dozens percent cent twice half almost nearly doubled tripled".split()
)
# Comparison and change: checkable when stated as fact ("rose 3%", "the highest since").
_COMPARE = frozenset(
    "more less fewer than higher lower highest lowest largest biggest smallest most least "
    "record rose fell increased decreased dropped declined grew jumped surged doubled "
    "halved increase decrease rise fall drop growth majority first only".split()
)
# Forecasts, hedges and demands: rarely checkable as stated.
_MODAL = frozenset("will would could might may can going gonna let let's need needs".split())
_DAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today "
    "tonight last earlier ago".split()
)
# Page furniture that survives extraction ("Sign up to our newsletter", "Photo: ...").
_BOILER = frozenset(
    "newsletter subscribe subscription click sign follow photo photograph image getty "
    "copyright rights reserved email advertisement read watch listen share cookies "
    "contributed comment".split()
)
# A legal status stated as fact: "it is unlawful", "was found liable", "ruled illegal".
_LEGAL_STATUS = frozenset(
    "illegal illegally unlawful unlawfully unconstitutional fraudulent criminal liable guilty "
    "invalid void banned prohibited lawful legal legally forbidden".split()
)
_COPULA = frozenset(
    "is are was were be been being isn't aren't wasn't weren't ruled found deemed declared "
    "held".split()
)
_MONEY = frozenset(["<money>", "dollars", "pounds", "euros", "$", "£", "€"])
_MONTHS = MONTHS

HAND_FEATURES = [
    "has_number",
    "n_numbers",
    "has_pct",
    "has_money",
    "has_year",
    "has_month",
    "cap_ratio",
    "n_caps",
    "reporting_verb",
    "legal_word",
    "first_person_sing",
    "second_person",
    "question",
    "opinion_word",
    "quantity_word",
    "quote",
    "log_len",
    "accuse_verb",
    "n_legal",
    "first_person_plur",
    "compare_word",
    "modal_word",
    "day_word",
    "boiler_word",
    "past_ed_ratio",
    "exclaim",
    "legal_status",
    "evaluative_word",
    "rhetoric_verb",
    "naming_it",
    "hedge_word",
    "demand_word",
    "procedural_word",
    "n_procedural",
    "negation",
    "feeling_word",
    "intensifier",
]


def hand_features(text: str) -> list[float]:
    """Dense, unscaled hand features (see HAND_FEATURES for names)."""
    low = _low(text)
    return _hand_from_tokens(text, low, _tokens_low(low))


# One set lookup per sentence instead of one per word list: every listed word maps to
# the bits of the lists it is in (same features as testing each list in turn).
_LISTS = (
    _MONEY,
    _REPORTING,
    _LEGAL,
    _FIRST_SING,
    _SECOND,
    _OPINION,
    _QUANT,
    _ACCUSE,
    _FIRST_PLUR,
    _COMPARE,
    _MODAL,
    _DAYS,
    _BOILER,
    _LEGAL_STATUS,
    _COPULA,
    EVALUATIVE_WORDS,
    RHETORIC_VERBS,
    HEDGE_WORDS,
    DEMAND_WORDS,
    PROCEDURAL_WORDS,
    NEGATIONS,
    FEELING_WORDS,
    INTENSIFIERS,
)
(
    _B_MONEY,
    _B_REPORTING,
    _B_LEGAL,
    _B_FIRST_SING,
    _B_SECOND,
    _B_OPINION,
    _B_QUANT,
    _B_ACCUSE,
    _B_FIRST_PLUR,
    _B_COMPARE,
    _B_MODAL,
    _B_DAYS,
    _B_BOILER,
    _B_STATUS,
    _B_COPULA,
    _B_EVAL,
    _B_RHETORIC,
    _B_HEDGE,
    _B_DEMAND,
    _B_PROC,
    _B_NEG,
    _B_FEEL,
    _B_INTENS,
) = (1 << i for i in range(len(_LISTS)))
# "called it a scandal", "branded him a liar", "described as": naming a view.
_NAMED_OBJECT = frozenset("it him her them this that as a an".split())
_WORD_BITS: dict[str, int] = {}
for _bit, _words in enumerate(_LISTS):
    for _w in _words:
        _WORD_BITS[_w] = _WORD_BITS.get(_w, 0) | (1 << _bit)
_LISTED = frozenset(_WORD_BITS)


def _hand_from_tokens(text: str, low: str, toks: list[str]) -> list[float]:
    ts = set(toks)
    n = len(toks) or 1
    nnum = toks.count("<num>") + toks.count("<pct>") + toks.count("<money>") + toks.count("<year>")
    # Capitalised words after the first word (named-entity-ish), ignoring "I".
    caps = _CAPWORD_RE.findall(text)
    ncaps = len(caps) - caps.count("I")
    first = _FIRSTWORD_RE.match(text)
    if first and first.group(1)[0].isupper() and first.group(1) != "I":
        ncaps -= 1
    bits = 0
    nlegal = 0
    nproc = 0
    for w in _LISTED.intersection(ts):
        b = _WORD_BITS[w]
        bits |= b
        if b & _B_LEGAL:
            nlegal += 1
        if b & _B_PROC:
            nproc += 1
    naming = 0.0
    if not NAMING_VERBS.isdisjoint(ts):
        for a, b in zip(toks, toks[1:]):
            if a in NAMING_VERBS and b in _NAMED_OBJECT:
                naming = 1.0
                break
    ned = len([t for t in ts if t[-2:] == "ed" and len(t) > 4])
    return [
        1.0 if nnum else 0.0,
        min(nnum, 4) / 4.0,
        1.0 if ("<pct>" in ts or "percent" in ts) else 0.0,
        1.0 if bits & _B_MONEY else 0.0,
        1.0 if "<year>" in ts else 0.0,
        0.0 if _MONTHS.isdisjoint(caps) else 1.0,
        ncaps / n,
        min(ncaps, 6) / 6.0,
        1.0 if bits & _B_REPORTING else 0.0,
        1.0 if nlegal else 0.0,
        1.0 if bits & _B_FIRST_SING else 0.0,
        1.0 if bits & _B_SECOND else 0.0,
        1.0 if "?" in ts else 0.0,
        1.0 if bits & _B_OPINION else 0.0,
        1.0 if bits & _B_QUANT else 0.0,
        1.0 if '"' in low else 0.0,
        math.log1p(n) / 4.0,
        1.0 if bits & _B_ACCUSE else 0.0,
        min(nlegal, 3) / 3.0,
        1.0 if bits & _B_FIRST_PLUR else 0.0,
        1.0 if bits & _B_COMPARE else 0.0,
        1.0 if bits & _B_MODAL else 0.0,
        1.0 if bits & _B_DAYS else 0.0,
        1.0 if bits & _B_BOILER else 0.0,
        min(ned / n * 5.0, 1.0),
        1.0 if "!" in ts else 0.0,
        1.0 if (bits & _B_STATUS and bits & _B_COPULA) else 0.0,
        1.0 if bits & _B_EVAL else 0.0,
        1.0 if bits & _B_RHETORIC else 0.0,
        naming,
        1.0 if bits & _B_HEDGE else 0.0,
        1.0 if bits & _B_DEMAND else 0.0,
        1.0 if nproc else 0.0,
        min(nproc, 3) / 3.0,
        1.0 if bits & _B_NEG else 0.0,
        1.0 if bits & _B_FEEL else 0.0,
        1.0 if bits & _B_INTENS else 0.0,
    ]


# ---------------------------------------------------------------------------
# The asserted content: the sentence without its "X said" wrapper
# ---------------------------------------------------------------------------

# Verbs that introduce reported speech or belief. Nouns that are spelt like verbs
# ("claims", "reports", "states") are left out of the leading pattern.
_SAY = (
    "said|says|say|told|tells|added|adds|claimed|argued|argues|insisted|insists|warned|warns|"
    "announced|noted|explained|explains|suggested|believes|believe|believed|thinks|think|"
    "thought|wrote|writes|admitted|admits|confirmed|confirms|declared|maintained|maintains|"
    "stressed|predicted|conceded|concedes|contended|contends|asserted|asserts|testified|"
    "tweeted|posted|alleged|alleges|acknowledged|revealed|replied|responded|complained|"
    "continued|recalled|estimated|estimates|reported|stated|states|claims|reports|notes"
)
_SAY_LEAD = (
    "said|says|added|claimed|argued|argues|insisted|insists|warned|warns|announced|"
    "noted|explained|suggested|believes|believe|believed|thinks|think|thought|wrote|"
    "admitted|admits|confirmed|declared|maintained|stressed|predicted|conceded|contended|"
    "asserted|testified|tweeted|alleged|alleges|acknowledged|revealed|recalled|estimated"
)
_SAY_FIND = re.compile(r"\b(?:" + _SAY + r"|according to)\b", re.I)
_SAY_LEAD_WORDS = frozenset(_SAY_LEAD.split("|") + ["told", "tells", "according to"])
# What may follow a leading reporting verb before the content starts: the person told,
# a time ("on Tuesday", "in a statement"), then "that" or a colon.
_AFTER_SAY = re.compile(
    r"(?:\s+(?:on|in|at|last|this|earlier|late)\s+(?:a\s+)?\w+|\s+(?:yesterday|today))?"
    r"(?:\s*[,:]|\s+that\b)?\s+"
)
_TOLD_WHOM = re.compile(r"\s+(?:reporters|journalists|him|her|them|us|me|the\s+\w+|[A-Z][\w.']+)")
_BOUNDARY = re.compile(r"[,;:]")
_QUOTED = re.compile(r'"([^"]+)"')
_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_NEG_GATE = frozenset(["not", "never", "longer"])
_NEG_SUB = re.compile(r"\b(?:not|never|no longer)\s+|n't\b", re.I)


def _n_words(text: str) -> int:
    return len(_WORD_RE.findall(text))


_SAY_TOKENS = frozenset(_SAY.split("|") + ["according"])


def content_view(text: str, toks: list[str] | None = None) -> tuple[str, bool, float]:
    """What the sentence asserts, without the reporting clause around it.

    Returns ``(content, wrapped, quote_share)``: the quoted words when the sentence
    quotes at least four words ("'The plan failed,' she said" -> "The plan failed"), else
    the sentence with a trailing ("..., X said"), leading ("X said (that) ...",
    "According to X, ...") or inserted (", she said,") reporting clause removed;
    ``wrapped`` says whether anything was removed; ``quote_share`` is the share of the
    words inside quotes.
    """
    t = text.translate(_QUOTE_TRANS).strip()
    if toks is None:
        toks = _tokens_low(t.lower())
    quoted = '"' in t
    if not quoted and _SAY_TOKENS.isdisjoint(toks):
        return t, False, 0.0
    if quoted:
        spans = [q for q in _QUOTED.findall(t) if _n_words(q) >= 4]
        if spans:
            total = _n_words(t) or 1
            inside = sum(_n_words(q) for q in spans)
            content = " ".join(q.strip(" ,") for q in spans)
            return content, inside < total, inside / total
        t = t.replace('"', "")
    m = _SAY_FIND.search(t)
    if m is None:
        return t, False, 0.0
    bounds = [b.start() for b in _BOUNDARY.finditer(t)]
    # Trailing: "..., the minister said on Tuesday."
    if bounds:
        last = bounds[-1]
        tail = _SAY_FIND.search(t, last)
        if tail is not None and last >= 12 and _n_words(t[last:]) <= 12:
            return t[:last], True, 0.0
    v0, v1 = m.span()
    before = [b for b in bounds if b < v0]
    after = [b for b in bounds if b >= v1]
    verb = m.group(0).lower()
    # Leading: "The minister said (on Tuesday) (that) ...", "According to X, ..."
    if not before and _n_words(t[:v0]) <= 8 and verb in _SAY_LEAD_WORDS:
        if verb == "according to":
            if after and v0 < 3:
                rest = t[after[0] + 1 :].strip()
                if _n_words(rest) >= 3:
                    return rest, True, 0.0
        else:
            pos = v1
            if verb in ("told", "tells"):
                whom = _TOLD_WHOM.match(t, pos)
                if whom is None:
                    return t, False, 0.0
                pos = whom.end()
            tail = _AFTER_SAY.match(t, pos)
            if tail is not None:
                rest = t[tail.end() :]
                if _n_words(rest) >= 3:
                    return rest, True, 0.0
    # Inserted: "The policy, she said, was a disaster."
    if before and after and t[before[-1]] == "," and t[after[0]] == ",":
        if _n_words(t[before[-1] : after[0]]) <= 8 and _n_words(t[: before[-1]]) >= 2:
            return t[: before[-1]] + " " + t[after[0] + 1 :].lstrip(), True, 0.0
    return t, False, 0.0


def without_negation(text: str) -> str:
    """The sentence with "not", "never" and "n't" removed: the fact a denial is about."""
    return _NEG_SUB.sub("", text)


def asserted_text(text: str, toks: list[str] | None = None) -> tuple[str, bool, float]:
    """The second view the model scores: the content, its negation removed."""
    if toks is None:
        toks = _tokens_low(_low(text))
    content, wrapped, share = content_view(text, toks)
    if not _NEG_GATE.isdisjoint(toks):
        content = without_negation(content)
    return content, wrapped, share


# Features of the news model (stacked over the general model's margins). ``d_*`` are the
# general model's margins on the sentence, on its asserted content and on the sentence
# before; ``pron_*`` fire only when the sentence opens with a pronoun, so its subject is
# in the sentence before.
CONTEXT_FEATURES = [
    "d_full",
    "d_content",
    "wrapped",
    "quote_share",
    "pron_start",
    "no_prev",
    "prev_d",
    "pron_prev_d",
    "pron_prev_number",
    "pron_prev_caps",
    "pron_prev_reporting",
]
NEWS_DENSE = CONTEXT_FEATURES + ["hand:" + n for n in HAND_FEATURES]
_MARGIN_SCALE = 0.25
_H_NUMBER = HAND_FEATURES.index("has_number")
_H_CAPS = HAND_FEATURES.index("n_caps")
_H_REPORTING = HAND_FEATURES.index("reporting_verb")


def pronoun_start(toks: list[str]) -> bool:
    return bool(toks) and toks[0] in PRONOUN_SUBJECTS


def news_dense(d_full, d_content, wrapped, share, pron, first, H) -> np.ndarray:
    """The dense block of the news model for sentences in article order.

    ``first[i]`` is true when sentence i has no sentence before it (the start of an
    article or a single sentence scored alone). ``H``: unscaled hand features.
    """
    n = len(d_full)
    d_full = np.asarray(d_full, dtype=np.float64) * _MARGIN_SCALE
    first = np.asarray(first, dtype=bool)
    pron = np.asarray(pron, dtype=np.float64)
    H = np.asarray(H, dtype=np.float64).reshape(n, len(HAND_FEATURES))
    prev_d = np.zeros(n)
    prev_h = np.zeros((n, len(HAND_FEATURES)))
    if n > 1:
        prev_d[1:] = d_full[:-1]
        prev_h[1:] = H[:-1]
    prev_d[first] = 0.0
    prev_h[first] = 0.0
    ctx = np.column_stack(
        [
            d_full,
            np.asarray(d_content, dtype=np.float64) * _MARGIN_SCALE,
            np.asarray(wrapped, dtype=np.float64),
            np.asarray(share, dtype=np.float64),
            pron,
            first.astype(np.float64),
            prev_d,
            pron * prev_d,
            pron * prev_h[:, _H_NUMBER],
            pron * prev_h[:, _H_CAPS],
            pron * prev_h[:, _H_REPORTING],
        ]
    )
    return np.hstack([ctx, H])
