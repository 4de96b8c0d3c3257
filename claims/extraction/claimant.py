"""Who asserts each sentence (its claimant), and the claim as checked. Pure Python.

``claimants(sentences, understood, publisher)`` builds on the speakers that
``understanding`` found and names them as fully as the article allows: a surname or
a partial organisation name becomes the longest name in the article that ends with
it; a speaker the entity tagger missed is read from "said X" / "X said"; "he added",
"it said" and a quotation running on take the previous claimant. A sentence nobody
is said to assert is the publisher's.

``checked_form(text, claimant)`` suggests the claim as checked: the reporting clause
stripped, the claimant named, a leading pronoun resolved, quoted words kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import HONORIFICS
from .lexicon import REPORTING_VERBS
from .understanding import word_runs

__all__ = ["Claimant", "checked_form", "claimants"]

PERSON, ORGANIZATION, PUBLISHER = "person", "organization", "publisher"


@dataclass
class Claimant:
    name: str
    kind: str  # PERSON, ORGANIZATION or PUBLISHER

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind}


_VERBS = "|".join(sorted(REPORTING_VERBS, key=len, reverse=True))
_CAP = r"(?:[A-Z][\w\u2019'.\-]*|U\.S\.)"
# A name: capitalised words, joined by "and"/"of"/"for"/"the" inside it.
_NAME = rf"{_CAP}(?:\s+(?:(?:and|of|for|the|de|al)\s+)?{_CAP}){{0,7}}"
_NAME_RUN = re.compile(_NAME)
# "..., said Mark Parrington, a senior scientist" / "says Li."
_SAID_NAME = re.compile(rf"[,\u201d\"]\s*(?:{_VERBS})\s+(?:the\s+)?({_NAME})")
# "Mark Harper told him", "Bolger said", "Samantha Burgess confirms"
_SPEECH = (
    "said|says|told|tells|added|adds|explained|explains|acknowledged|confirms|confirmed|"
    "declared|noted|notes|announced|argued|insisted|warned|wrote|complained|testified"
)
_NAME_SAID = re.compile(rf"({_NAME})(?:,[^,]{{3,80}},)?\s+(?:also\s+)?(?:{_SPEECH})\b")
# "a spokesperson for the Universities and Colleges Employers' Association (UCEA) said"
_SPOKESPERSON = re.compile(
    rf"\b(?:spokesperson|spokesman|spokeswoman|official|officials)\s+(?:for|at|of)\s+"
    rf"(?:the\s+)?({_NAME})[^.]{{0,12}}?\s+(?:{_SPEECH})\b"
)
_ACRONYM = re.compile(rf"({_NAME})\s*\(([A-Z]{{2,6}})\)")
# A quotation with its own attribution ("..., said a dispatcher") does not run on.
_OWN_ATTRIBUTION = re.compile(rf"[\u201d\"],?\s*(?:{_SPEECH})\b|\b(?:{_SPEECH})\s*:")
_TITLES = frozenset(
    """Secretary Detective Attorney Director President Minister Chief Judge Governor Mayor
    Senator Sen Rep Editor Officer Commissioner Spokesman Spokeswoman Chairman Chairwoman
    Professor Dr Mr Mrs Ms Justice Transport Health Home Foreign Acting General Deputy""".split()
)
_PRONOUN_SAID = re.compile(
    rf"^\W*(?:He|She)\s+(?:also\s+)?(?:{_VERBS})\b|\b(?:he|she)\s+(?:{_VERBS})\.?\W*$"
)
_IT_SAID = re.compile(rf"(?:^\W*It|,\s*it)\s+(?:also\s+)?(?:{_VERBS}|cited)\b")
_QUOTE_START = re.compile('^\\s*[\u201c"]')
_NOT_NAMES = frozenset(
    """The A An He She It They We I This That These Those But And Or So If When While
    After Before Since As In On At For From By With Asked Speaking According Meanwhile
    However Officials Police Investigators Detectives Authorities Researchers Relatives
    Others Some Many Reports Sources Experts Scientists""".split()
)
# Gates, for speed: each regex above that needs one of these words next to a non-word
# character needs it as a whole ``\w+`` run of the sentence, so a sentence without
# any is not searched (same results; tests/test_extraction_cost.py).
_VERB_WORDS = frozenset(REPORTING_VERBS)
_SPEECH_WORDS = frozenset(_SPEECH.split("|"))
_SPOKESPERSON_WORDS = frozenset("spokesperson spokesman spokeswoman official officials".split())
_HE_SHE = frozenset(("He", "She", "he", "she"))
_IT = frozenset(("It", "it"))
_QUOTES = re.compile('[\u201c\u201d"]')

_ORG_WORDS = re.compile(
    r"\b(?:Union|Association|Association|Institute|University|Department|Ministry|Court|"
    r"Council|Committee|Commission|Agency|Police|Service|Organi[sz]ation|Group|Times|News|"
    r"Corp|Inc|Ltd|Bank|Authority|Trust|House|Operator|Centre|Center|Office|Party|Government|"
    r"Protection|Operations|Investigations|Schools|Database|Press|NASA|IMF|DOJ|Microsoft|"
    r"Amazon|Google|Apple|Facebook|Twitter)\b"
)


def _clean_name(name: str) -> str:
    name = name.strip(" ,.:;\u2019'")
    words = name.split()
    while words and (words[0] in HONORIFICS or words[0].rstrip(".") in HONORIFICS):
        words.pop(0)
    # "Levy and authorities" -> "Levy": a name ends at its last capitalised word.
    while words and not words[-1][:1].isupper():
        words.pop()
    return " ".join(words)


def _names_in(text: str) -> list[str]:
    out = []
    for m in _NAME_RUN.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if words:
            out.append(" ".join(words))
    return out


def _person_name(run: str) -> str:
    """A person's name without the titles and places before it (at most three words)."""
    words = run.split()
    i = len(words)
    # Two words, three with a middle initial ("Michael R. Bloomberg").
    longest = 3 if len(words) >= 3 and len(words[-2].rstrip(".")) == 1 else 2
    while i > 0 and len(words) - i < longest:
        word = words[i - 1]
        if word.rstrip(".") in _TITLES or word in ("of", "and", "for", "the"):
            break
        i -= 1
    return " ".join(words[i:]) or run


class _Names:
    """Every capitalised name run in the article, to expand a partial name."""

    def __init__(self, sentences: list[str], understood: list, words: list[set[str]]):
        self.runs: list[str] = []
        self.acronyms: dict[str, str] = {}
        self.people: set[str] = set()
        seen = set()
        for text, info, sentence_words in zip(sentences, understood, words):
            for run in _names_in(text):
                if run not in seen:
                    seen.add(run)
                    self.runs.append(run)
            for m in _ACRONYM.finditer(text) if "(" in text else ():
                names = _names_in(m.group(1))
                if names:
                    self.acronyms.setdefault(m.group(2), names[-1])
            for e in info.entities:
                if e.get("label") == "PERSON":
                    self.people.add(_person_name(_clean_name(e["text"])))
            saying = not _VERB_WORDS.isdisjoint(sentence_words)
            for m in _SAID_NAME.finditer(text) if saying else ():  # "said Mark Parrington, …"
                runs = _names_in(m.group(1))
                if runs and " " in runs[0]:
                    self.people.add(_person_name(runs[0]))

    def person(self, name: str) -> str:
        """ "Levy" or "District of Massachusetts Joshua Levy" -> "Joshua Levy"."""
        name = _person_name(name)
        if " " in name:
            return name
        full = [p for p in self.people if p.endswith(" " + name) and len(p.split()) <= 3]
        return max(full, key=len) if len(set(full)) == 1 else name

    def organization(self, name: str, text: str) -> str:
        if name in self.acronyms:
            return self.acronyms[name]
        # "The California Independent System Operator ... said": the tagger kept "California".
        for run in _names_in(text):
            if run != name and run.startswith(name + " ") and _ORG_WORDS.search(run):
                return run
        return self.fullest(name)

    def fullest(self, name: str) -> str:
        """The longest run that ends with ``name`` (word-aligned), else ``name``."""
        if not name:
            return name
        best = name
        for run in self.runs:
            if len(run) > len(best) and run.endswith(" " + name) and len(run.split()) <= 6:
                head = run[: -len(name)].split()
                # "Wilson Center director Rojansky": a title inside the run is not a name.
                if any(w[:1].islower() and w not in ("and", "of", "for", "the") for w in head):
                    continue
                best = run
        return best


def _kind(name: str, entities: list[dict]) -> str:
    label = next((e.get("label") for e in entities if e.get("text") == name), None)
    if label == "PERSON":
        return PERSON
    if label in ("ORG", "NORP", "GPE") or _ORG_WORDS.search(name):
        return ORGANIZATION
    if name.isupper() and len(name) <= 6:  # "AMO", "IMF"
        return ORGANIZATION
    return PERSON


def _read_speaker(text: str, names: _Names, words: set[str] | None = None) -> str:
    r"""A speaker named next to a reporting verb that the entity tagger missed.

    ``words``: the set of ``text``'s ``\w+`` runs, when the caller has it.
    """
    if words is None:
        words = word_runs(text)
    m = _SPOKESPERSON.search(text) if not _SPOKESPERSON_WORDS.isdisjoint(words) else None
    if m and _names_in(m.group(1)):
        return _names_in(m.group(1))[0]
    for regex, verbs in ((_SAID_NAME, _VERB_WORDS), (_NAME_SAID, _SPEECH_WORDS)):
        if verbs.isdisjoint(words):
            continue
        for m in regex.finditer(text):
            runs = _names_in(m.group(1))
            if not runs:
                continue
            name = runs[-1] if regex is _NAME_SAID else runs[0]
            name = _clean_name(name)
            if not name or name.split()[0] in _NOT_NAMES:
                continue
            # One word ("Neuroscience tells us") only when it is a known surname or acronym.
            if " " in name or name in names.acronyms or names.person(name) != name:
                return name
    return ""


def claimants(
    sentences: list[str],
    understood: list,
    publisher: str = "",
    *,
    words: list[set[str]] | None = None,
) -> list[Claimant]:
    """One claimant per sentence, in article order (see the module's docstring).

    ``words``: each sentence's ``word_runs``, when the caller has them.
    """
    if words is None:
        words = [word_runs(s) for s in sentences]
    names = _Names(sentences, understood, words)
    out: list[Claimant] = []
    last_person = last_org = None
    previous: Claimant | None = None
    previous_quoted = False
    for text, info, sentence_words in zip(sentences, understood, words):
        entities = info.entities
        name = _clean_name(info.speaker) if info.speaker and info.speaker[0].isupper() else ""
        if not name:
            name = _read_speaker(text, names, sentence_words)
        elif (
            previous is not None
            and name == _clean_name(info.speaker)
            and names.person(name) == previous.name
            and _OWN_ATTRIBUTION.search(text)
            and not _read_speaker(text, names, sentence_words)
        ):
            name = ""  # "“…,” said a dispatcher": its own, unnamed speaker, not the last one
        found = None
        if last_person and not _HE_SHE.isdisjoint(sentence_words) and _PRONOUN_SAID.search(text):
            found = last_person  # "He also added": the tagger may pick a place instead
        elif last_org and not _IT.isdisjoint(sentence_words) and _IT_SAID.search(text):
            found = last_org
        elif name:
            titled = any(w.rstrip(".") in _TITLES for w in name.split()[:-1])
            if titled or _kind(name, entities) == PERSON:
                found = Claimant(names.person(name), PERSON)
            else:
                found = Claimant(names.organization(name, text), ORGANIZATION)
        elif (
            _QUOTE_START.match(text)
            and previous is not None
            and previous.kind != PUBLISHER
            and previous_quoted
            and not _OWN_ATTRIBUTION.search(text)
        ):
            found = previous  # a quotation running on from the last speaker
        claimant = found or Claimant(publisher, PUBLISHER)
        if claimant.kind == PERSON:
            last_person = claimant
        elif claimant.kind == ORGANIZATION:
            last_org = claimant
        out.append(claimant)
        previous = claimant
        previous_quoted = bool(_QUOTES.search(text))
    return out


# ---------------------------------------------------------------------------
# The claim as checked

_SAY = rf"(?:also\s+)?(?:{_SPEECH}|claimed|claims|alleged|alleges|stated|states)"
_SAY_WORD = re.compile(rf"\b{_SAY}\b")
# _SAY_WORD matches only where one of these is a whole word run of the text.
_SAY_WORDS = _SPEECH_WORDS | frozenset("claimed claims alleged alleges stated states".split())
# Where a trailing reporting clause may begin: ", said X" / ",” X said" / "” said X".
_TAIL_START = re.compile('(?:,[\u201d"]?|[\u201d"],?)\\s+')
_AFTER_VERB = re.compile(
    r"^(?:\s+(?:on|in|at|last|this|earlier)\s+[\w\u2019']+)?(?:\s+that|\s*:|,)?\s+"
)
_ACCORDING = re.compile(
    r"^According to [^,]{1,120},\s+(?P<body>.+)$|^(?P<body2>.+?),\s+according to [^,\u201c\"]+\.?$"
)
_LEAD_PRONOUN = re.compile(r"^(?:he|she|it|they)\b", re.IGNORECASE)


def _strip_tail(text: str) -> str:
    """ "Q, Grant Shapps said on Thursday." -> "Q" (the first clause that only attributes)."""
    for m in _TAIL_START.finditer(text):
        tail = text[m.end() :]
        if any(q in tail for q in '\u201c\u201d"') or len(tail.split()) > 16:
            continue
        verb = _SAY_WORD.search(tail)
        if verb and len(tail[: verb.start()].split()) <= 8:
            closing = text[m.start() : m.end()].strip(" ,")
            return text[: m.start()] + closing
    return ""


def _strip_head(text: str, claimant: Claimant | None) -> str:
    """ "Microsoft Corp said on Thursday it aims …" -> "it aims …"."""
    verb = _SAY_WORD.search(text)
    if not verb or any(q in text[: verb.start()] for q in '\u201c\u201d"'):
        return ""
    subject = text[: verb.start()]
    names = claimant.name.split() if claimant and claimant.name else []
    if not (names and names[-1] in subject) and not re.match(r"^\W*(?:He|She|It|They)\s", subject):
        return ""
    rest = text[verb.end() :]
    m = _AFTER_VERB.match(rest)
    return rest[m.end() :] if m else ""


def _quotes_balanced(text: str) -> bool:
    return text.count("\u201c") == text.count("\u201d") and text.count('"') % 2 == 0


def _stripped_forms(text: str, claimant: Claimant | None, words: set[str] | None):
    """The sentence without its attribution, each way in turn (the first that fits wins)."""
    m = _ACCORDING.match(text) if "ccording to" in text else None
    yield (m.group("body") or m.group("body2")) if m else ""
    # Both strips need a verb of saying; most sentences have none.
    if _SAY_WORDS.isdisjoint(word_runs(text) if words is None else words):
        return
    yield _strip_tail(text)
    yield _strip_head(text, claimant)


def checked_form(
    text: str, claimant: Claimant | None = None, *, words: set[str] | None = None
) -> str:
    """The claim as a reader should check it: the content of the sentence without "X
    said", its leading pronoun replaced by the claimant, quoted words untouched.

    Falls back to the sentence itself whenever stripping would cut into a quotation.
    """
    text = " ".join(text.split())
    body = text
    for found in _stripped_forms(text, claimant, words):
        found = (found or "").strip(" ,")
        # Never cut a quotation in half, and keep something worth checking.
        if len(found.split()) >= 4 and _quotes_balanced(found):
            body = found
            break
    body = body.strip()
    if body.endswith((",\u201d", ',"')):  # “Q,” said X -> “Q.” (the words stay as quoted)
        body = body[:-2] + "." + body[-1]
    if claimant is not None and claimant.kind != PUBLISHER and claimant.name:
        if _LEAD_PRONOUN.match(body) and body is not text:
            body = _LEAD_PRONOUN.sub(claimant.name, body, count=1)
    if body and body[0].islower():
        body = body[0].upper() + body[1:]
    if len(body) > 1 and body[-1] in '\u201d"' and body[-2] not in ".?!,":
        body = body[:-1] + "." + body[-1]
    if body and body[-1] not in '.?!\u201d"':
        body += "."
    return body
