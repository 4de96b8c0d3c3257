"""Who asserts each sentence (its claimant), and the claim as checked. Pure Python.

``claimants(sentences, understood, publisher)`` builds on the speakers that
``understanding`` found and names them as fully as the article allows: a surname or
a partial organisation name becomes the fullest name the article gives; a speaker the
entity tagger missed is read from "said X" / "X said" / "X, the …, said". Then, for a
sentence that names no one: an unnamed source ("officials at the institution said",
"Police said") is the body the article names; a document ("the report says", "according
to the release") is its author; "the Transport Secretary said" is the one person the
article gives that title; "he said" is the nearest person of the right gender (or the
body whose spokesperson just spoke); "it said" the last organisation; a quotation
running on, or left open, keeps its speaker. A sentence nobody is said to assert is the
publisher's: a wrong name is worse than none, since it is published as the author.

``checked_form(text, claimant)`` suggests the claim as checked: the reporting clause
stripped, the claimant named, a leading pronoun resolved, quoted words kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import HONORIFICS
from .lexicon import REPORTING_VERBS

__all__ = ["Claimant", "checked_form", "claimants"]

PERSON, ORGANIZATION, PUBLISHER = "person", "organization", "publisher"


@dataclass
class Claimant:
    name: str
    kind: str  # PERSON, ORGANIZATION or PUBLISHER

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind}


# "explains", "confirms": the present forms the shared list lacks.
_VERBS = "|".join(
    sorted(
        REPORTING_VERBS | {"explains", "confirms", "notes", "acknowledges"}, key=len, reverse=True
    )
)
_CAP = r"(?:[A-Z][\w\u2019'.\-]*|U\.S\.)"
# A name: capitalised words, joined by "and"/"of"/"for"/"the" inside it.
_NAME = rf"{_CAP}(?:\s+(?:(?:and|of|for|the|de|al)\s+)?{_CAP}){{0,7}}"
_NAME_RUN = re.compile(_NAME)
# "..., said Mark Parrington, a senior scientist" / "says Li."
_SAID_NAME = re.compile(
    rf"[,\u201d\"]\s*(?:{_VERBS})\s+(?:the\s+|(?P<a>an?\s+[a-z]+\s+))?({_NAME})"
)
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
# "“…,” Meghan recalled telling the royals": someone named after the quotation.
_NAMED_AFTER_QUOTE = re.compile('[\u201d"],?\\s+(?:[A-Z][\\w\\-]+\\s+){1,3}[a-z]')
_TITLES = frozenset(
    """Secretary Detective Attorney Director President Minister Chief Judge Governor Mayor
    Senator Sen Rep Editor Officer Commissioner Spokesman Spokeswoman Chairman Chairwoman
    Professor Dr Mr Mrs Ms Justice Transport Health Home Foreign Acting General Deputy
    Supervisor Councilman Councilwoman Councilmember Trustee""".split()
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
_ORG_WORDS = re.compile(
    r"\b(?:Union|Association|Association|Institute|University|Department|Ministry|Court|"
    r"Council|Committee|Commission|Agency|Police|Service|Organi[sz]ation|Group|Times|News|"
    r"Corp|Inc|Ltd|Bank|Authority|Trust|House|Operator|Centre|Center|Office|Party|Government|"
    r"Protection|Operations|Investigations|Schools|Database|Press|NASA|IMF|DOJ|Microsoft|"
    r"Amazon|Google|Apple|Facebook|Twitter|Post|Herald|Sentinel|Tribune|Journal|Gazette|"
    r"Telegraph|Guardian|Observer|Chronicle|Courier|Reuters|Bloomberg News|Associated Press)\b"
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
        if len(words) > 2 and words[0] in _TITLES and words[1] == "of":
            del words[:2]  # "Chairwoman of Ukraine’s Central Bank": the body
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

    def __init__(self, sentences: list[str], understood: list):
        self.runs: list[str] = []
        self.acronyms: dict[str, str] = {}
        self.people: set[str] = set()
        seen = set()
        for text, info in zip(sentences, understood):
            for run in _names_in(text):
                if run not in seen:
                    seen.add(run)
                    self.runs.append(run)
            for m in _ACRONYM.finditer(text):
                names = _names_in(m.group(1))
                if names:
                    self.acronyms.setdefault(m.group(2), names[-1])
            for e in info.entities:
                if e.get("label") == "PERSON":
                    self.people.add(_person_name(_clean_name(e["text"])))
            for m in _SAID_NAME.finditer(text):  # "said Mark Parrington, a senior scientist"
                runs = _names_in(m.group(2))
                if runs and " " in runs[0]:
                    self.people.add(_person_name(runs[0]))

    def person(self, name: str) -> str:
        """ "Levy" or "District of Massachusetts Joshua Levy" -> "Joshua Levy"."""
        name = _person_name(name)
        if " " in name:
            return name
        full = {p for p in self.people if p.endswith(" " + name) and len(p.split()) <= 3}
        longest = max(full, key=len, default=name)
        # "Michael Bloomberg" and "Michael R. Bloomberg" are one person; two first names are not.
        same = all(set(p.split()) <= set(longest.split()) for p in full)
        return longest if same else name

    def organization(self, name: str, text: str) -> str:
        if name in self.acronyms:
            return self.acronyms[name]
        # "The California Independent System Operator ... said": the tagger kept "California".
        for run in _names_in(text):
            if run != name and run.startswith(name + " ") and _ORG_WORDS.search(run):
                return run
        longer = {
            r for r in self.runs if r.startswith(name + " ") and _ORG_WORDS.search(r[len(name) :])
        }
        if len(longer) == 1 and " " in name:  # "Homeland Security" -> "… Investigations"
            return longer.pop()
        return self.fullest(name)

    def fullest(self, name: str) -> str:
        """The longest run that ends with ``name`` (word-aligned), else ``name``."""
        if not name:
            return name
        best = name
        for run in self.runs:
            if len(run) > len(best) and run.endswith(" " + name) and len(run.split()) <= 6:
                head = run[: -len(name)].split()
                # "Citing the Global Fire …", "Chairwoman of Ukraine’s …": not one name.
                if head[-1] in ("the", "of", "for") or head[0].endswith("ing"):
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


# "Chi Onwurah, the Labour MP for Newcastle Central, who is supporting the report, said"
_LEAD_APPOSITIVE = re.compile(
    rf"^\W*({_NAME}),\s+(?:the|a|an|who)\b[^.\u201c\"]*?,\s+(?:also\s+)?(?:{_SPEECH})\b"
)
# "Wilson Center director Rojansky": the person after the body and a lowercase title.
_BODY_TITLE_PERSON = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:director|chief|head|president|chairman|chairwoman|chair|spokesman|"
    r"spokeswoman|spokesperson|official|scientist|researcher|economist|analyst|professor|"
    r"editor|secretary|minister|manager|executive|founder|officer|lawyer|attorney|adviser|"
    r"advisor|leader|expert|commissioner|superintendent|detective|sheriff)\s+"
    r"([A-Z][\w\-\u2019']+)"
)
_NOT_SPEECH = re.compile(r"\s+added\s+to\b")


def _read_speaker(text: str, names: _Names) -> str:
    """A speaker named next to a reporting verb that the entity tagger missed."""
    m = _SPOKESPERSON.search(text)
    if m and _names_in(m.group(1)):
        return _names_in(m.group(1))[0]
    m = _LEAD_APPOSITIVE.match(text)
    if m and names.person(_clean_name(m.group(1))) in names.people:
        return _clean_name(m.group(1))
    for regex in (_SAID_NAME, _NAME_SAID):
        for m in regex.finditer(text):
            runs = _names_in(m.group(2 if regex is _SAID_NAME else 1))
            if not runs:
                continue
            name = runs[-1] if regex is _NAME_SAID else runs[0]
            name = _clean_name(name)
            if regex is _SAID_NAME and m.group("a") and " " not in name:
                continue  # "said a skeptical Robert Wolfarth", never "said a spokesman Friday"
            if not name or name.split()[0] in _NOT_NAMES:
                continue
            # One word ("Neuroscience tells us") only when it is a known surname or acronym.
            if (
                " " in name
                or name in names.acronyms
                or name in names.people
                or names.person(name) != name
            ):
                return name
    return ""


# -- unnamed sources, documents, titles and pronouns ------------------------------------

_SPEECH_VERB = (
    rf"(?:also\s+|later\s+|previously\s+)?(?:{_SPEECH}|believe|believes|stated|states|"
    r"confirm|say|found|finds|ruled|rules|testified|revealed|saying)"
)
# The bodies an unnamed noun can stand for, by the word their name contains.
_POLICE = ("Police", "Sheriff")
_BODY_WORDS = {
    "police": _POLICE,
    "investigators": _POLICE,
    "detectives": _POLICE,
    "officers": _POLICE,
    "dispatcher": _POLICE,
    "hospital": ("Hospital",),
    "institution": ("Hospital", "University", "Institute"),
    "university": ("University",),
    "authority": ("Authority",),
    "trust": ("Trust",),
    "agency": ("Agency",),
    "court": ("Court",),
    "council": ("Council",),
    "commission": ("Commission",),
    "ministry": ("Ministry",),
}
_GENERIC = ("officials", "official", "authorities", "feds", "spokesperson", "spokesman")
_NOUNS = "|".join([*_BODY_WORDS, *_GENERIC, "spokeswoman"])
# "officials at the institution said", "Police said", "Detectives believe", "the court ruled"
_UNNAMED_SAID = re.compile(
    rf"(?:^\W*|[,;]\s+|\b(?:the|an?|local|federal|state|city|county|hospital)\s+)"
    rf"(?i:(?P<noun>{_NOUNS}))"
    rf"(?:\s+(?:at|for|of)\s+the\s+(?P<at>\w+))?(?:,[^,]{{1,40}},)?\s+{_SPEECH_VERB}\b"
    rf"|[,\u201d\"]\s*(?:{_SPEECH})\s+(?:an?|the)\s+(?:\w+\s+)?(?P<noun2>{_NOUNS})\b"
    rf"|\b[Aa]ccording to (?:the\s+)?(?:\w+\s+)?(?P<noun3>{_NOUNS})\b"
)
_DOCS = (
    "report|release|complaint|lawsuit|affidavit|study|statement|filing|indictment|suit|"
    "petition|audit|survey|analysis|figures|data|statistics"
)
_DOC_VERB = (
    "says|said|states|stated|claims|claimed|explores|explored|found|finds|shows|showed|"
    "alleges|alleged|reveals|revealed|argues|argued|notes|noted|concludes|concluded|adds|added|"
    "show|reveal|suggest|suggests"
)
# Word sets that gate the long patterns: a set lookup costs far less than a failed search.
_DOC_WORDS = frozenset(_DOCS.split("|"))
_NOUN_WORDS = frozenset(_NOUNS.split("|")) | {"feds"}
_DOC_VERB_RE = re.compile(rf"\b(?:{_DOC_VERB})\b|\b[Aa]ccording to\b")
# "the report says", "says a report", "according to the release", "the DOJ release states"
_DOC_SAYS = re.compile(
    rf"\b(?P<doc>(?i:{_DOCS}))\s+(?:{_DOC_VERB})\b"
    rf"|\b(?:{_DOC_VERB})\s+(?:a|an|the)\s+(?:[a-z\-]+\s+){{0,2}}(?P<doc2>{_DOCS})\b"
    rf"|\b[Aa]ccording to (?:a|an|the)\s+(?:[a-z\-]+\s+){{0,2}}(?P<doc3>{_DOCS})\b"
)
# Who wrote a document: "the report by the University and College Union", "an affidavit
# from Homeland Security", "the DOJ release".
_DOC_BY = re.compile(
    rf"\b(?P<doc>(?i:{_DOCS}))\s+(?:by|from|filed by|published by|issued by|released by)\s+"
    rf"(?:the\s+)?(?P<name>{_NAME})"
)
_DOC_OF = re.compile(
    rf"(?P<name>{_NAME})(?:['\u2019]s)?\s+(?:[a-z\-]+\s+){{0,2}}(?P<doc>{_DOCS})\b"
)
# "Transport Secretary Grant Shapps", "Chi Onwurah, the Labour MP for Newcastle Central,"
_TITLE_WORDS = _TITLES | {"MP", "Minister", "Secretary", "Chancellor", "Prosecutor"}
_THE_TITLE = re.compile(
    rf"\b[Tt]he\s+(?P<title>(?:[\w\-]+\s+){{0,3}}?(?:{'|'.join(sorted(_TITLE_WORDS))}|"
    rf"minister|secretary|chancellor|prosecutor|judge|mayor|governor))"
    rf"(?:,[^,]{{1,60}},)?\s+{_SPEECH_VERB}\b"
)
_TITLE_WORDS_LOWER = frozenset(w.lower() for w in _TITLE_WORDS) | {
    "minister",
    "secretary",
    "chancellor",
    "prosecutor",
    "judge",
    "mayor",
    "governor",
}
_APPOSITIVE_TITLE = re.compile(rf"({_NAME}),\s+the\s+((?:[\w\-\u2019']+\s+){{0,5}}?[\w\-]+)\s*[,.]")
_PRONOUN_ANY = re.compile(
    rf"(?:^\W*|[,\u201d\"]\s*)(?P<p>[Hh]e|[Ss]he)\s+(?:also\s+)?(?:{_VERBS})\b"
    rf"|\b(?P<p2>he|she)\s+(?:{_VERBS})\.?\W*$"
)
_HONORIFIC_NAME = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+([A-Z][\w\-\u2019']+)")
_OFFICIAL_BODY = re.compile(
    r"\b(?:Police|Sheriff|Department|Ministry|Government|Authority|Agency|Office|Council|"
    r"Commission|Hospital|Service|Court|Administration|Bureau)\b|^[A-Z]{2,6}$"
)


class _Article(_Names):
    """What the whole article establishes: documents' authors, people's titles and
    genders. Built in one pass over the sentences, so nothing later rescans the text."""

    def __init__(self, sentences: list[str], understood: list):
        super().__init__(sentences, understood)
        self.authors: dict[str, str] = {}
        self.titles: list[tuple[frozenset[str], str]] = []
        self.genders: dict[str, str] = {}
        for text in sentences:
            # Cheap word checks first: the long patterns only run where they can match.
            if not _DOC_WORDS.isdisjoint(_lower_words(text)):
                for m in _DOC_BY.finditer(text):
                    self._author(m.group("doc"), m.group("name"))
                for m in _DOC_OF.finditer(text):
                    self._author(m.group("doc"), m.group("name"))
            for m in _HONORIFIC_NAME.finditer(text):
                full = self.person(m.group(2))
                self.genders.setdefault(full, HONORIFICS.get(m.group(1), None) or "")
            if ", the " not in text:
                continue
            for m in _APPOSITIVE_TITLE.finditer(text):
                person = _person_name(_clean_name(m.group(1)))
                if " " in person and person in self.people:
                    self._title(m.group(2).split(), person)
        for run in self.runs:
            person = _person_name(run)
            if person != run and person in self.people:
                self._title(run[: -len(person)].split(), person)

    def _author(self, doc: str, name: str) -> None:
        runs = _names_in(name)
        if runs and runs[-1] not in _NOT_NAMES:
            self.authors.setdefault(doc.lower(), self.organization(_clean_name(runs[-1]), ""))

    def _title(self, words: list[str], person: str) -> None:
        words = [w.lower().strip(",") for w in words if w.lower() not in ("the", "of", "for")]
        if words and any(w.capitalize() in _TITLE_WORDS or w.upper() == "MP" for w in words):
            self.titles.append((frozenset(words), person))

    def titled(self, title: str) -> str:
        """ "the Transport Secretary" -> "Grant Shapps", when one person has that title."""
        words = {w.lower() for w in title.split()}
        found = {person for titled, person in self.titles if words <= titled}
        return found.pop() if len(found) == 1 else ""

    def has_title(self, title: str) -> bool:
        words = {w.lower() for w in title.split()}
        return any(words <= titled for titled, _ in self.titles)

    def body(self, noun: str, bodies: list[str]) -> str:
        """The named body an unnamed noun stands for ("officials at the hospital")."""
        noun = noun.lower()
        if noun in _GENERIC or noun == "spokeswoman":
            official = [b for b in bodies if _OFFICIAL_BODY.search(b)]
            return max(official, key=official.count) if official else ""
        words = _BODY_WORDS.get(noun, ())
        said = [b for b in bodies if any(w in b.split() for w in words)]
        if said:
            return max(said, key=said.count)
        if noun in _BODY_WORDS and words[0] not in _POLICE:
            # "the authority" -> the one "... Authority" the article names.
            found = {r for r in self.runs if r.split()[-1] in words and " " in r}
            found = {r for r in found if not any(o != r and o.endswith(" " + r) for o in found)}
            return found.pop() if len(found) == 1 else ""
        return ""


def _explicit(text: str, info, names: _Article) -> Claimant | None:
    """A claimant the sentence names next to a reporting verb."""
    name = _clean_name(info.speaker) if info.speaker and info.speaker[0].isupper() else ""
    if name and name.split()[-1] not in text:
        name = ""  # carried over from an earlier sentence: not named here
    if not name:
        name = _read_speaker(text, names)
    last = re.escape(name.split()[-1]) if name else ""
    if (
        not name
        or ("which" in text or "whom" in text)
        and re.search(rf"\b(?:which|whom)\s+{last}\b", text)
    ):
        return None  # "…, for which Lee said he’s thankful": the reporter's sentence
    if " added to" in text and re.search(rf"\b{last}{_NOT_SPEECH.pattern}", text):
        return None  # "Denmark, Slovakia and Iceland added to quarantine list"
    if name.split()[-1] in _TITLE_WORDS:
        return None  # "the Conservative MP said": a title, resolved from the article
    after = _BODY_TITLE_PERSON.match(text, text.find(name) + len(name)) if name in text else None
    if after and names.person(after.group(1)) in names.people:
        return Claimant(names.person(after.group(1)), PERSON)
    words = name.split()
    if words[0].rstrip(".") in _TITLES and "of" in words[2:]:
        # "Supervisor Alfredo Pedroza of Napa County": the person, not the place
        person = _person_name(" ".join(words[: words.index("of", 2)]))
        if " " in person:
            return Claimant(names.person(person), PERSON)
    titled = any(w.rstrip(".") in _TITLES for w in words[:-1])
    if _ORG_WORDS.search(name) and not titled:
        return Claimant(names.organization(name, text), ORGANIZATION)
    if titled or names.person(name) in names.people or _kind(name, info.entities) == PERSON:
        return Claimant(names.person(name), PERSON)
    return Claimant(names.organization(name, text), ORGANIZATION)


def claimants(sentences: list[str], understood: list, publisher: str = "") -> list[Claimant]:
    """One claimant per sentence, in article order (see the module's docstring)."""
    names = _Article(sentences, understood)
    explicit = [_explicit(text, info, names) for text, info in zip(sentences, understood)]
    # A full name said anywhere ("Joshua Levy said") names the bare "said Levy" elsewhere.
    named = {c.name for c in explicit if c is not None and c.kind == PERSON and " " in c.name}
    if named - names.people:
        names.people |= named
        explicit = [_explicit(text, info, names) for text, info in zip(sentences, understood)]
    bodies = [c.name for c in explicit if c is not None and c.kind == ORGANIZATION]
    bodies += names.authors.values()
    announcers = [
        c.name
        for c, text in zip(explicit, sentences)
        if c is not None and c.kind == ORGANIZATION and "announce" in text
    ]
    out: list[Claimant] = []
    last_org = None
    people: list[tuple[int, Claimant]] = []  # (sentence, person claimant), latest last
    previous: Claimant | None = None
    previous_quoted = previous_spokesperson = False
    quote_open = False  # a quotation opened earlier and not yet closed
    last_quote: tuple[int, Claimant] | None = None  # (sentence, speaker) of the last quotation
    for i, text in enumerate(sentences):
        found = explicit[i]
        words = _lower_words(text)
        pronoun = _PRONOUN_ANY.search(text)
        if pronoun and not (found and found.name in text):
            gender = "f" if (pronoun.group("p") or pronoun.group("p2")).lower() == "she" else "m"
            found = None
            lead = _leading_person(sentences[i - 1], names) if i else ""
            if previous is not None and previous.kind != PUBLISHER and previous_spokesperson:
                found = previous  # "a spokesperson for UCEA said … “…,” he said"
            elif lead and names.genders.get(lead, gender) == gender:
                found = Claimant(lead, PERSON)  # "Director Javier Betancourt asked … he said"
            else:
                # The nearest person claimant of the last five sentences whose gender fits.
                found = next(
                    (
                        c
                        for at, c in reversed(people)
                        if i - at <= 5 and names.genders.get(c.name, gender) == gender
                    ),
                    None,
                )
            if found is not None and found.kind == PERSON:
                names.genders.setdefault(found.name, gender)
        elif _IT_SAID.search(text) and last_org:
            found = last_org
        if found is None:
            m = _UNNAMED_SAID.search(text) if not _NOUN_WORDS.isdisjoint(words) else None
            if m:
                noun = m.group("at") or m.group("noun") or m.group("noun2") or m.group("noun3")
                body = names.body(noun, bodies) if noun else ""
                if body:
                    found = Claimant(body, ORGANIZATION)
                    bodies.append(body)  # "the officials said" later means them too
        if found is None:
            docs = not _DOC_WORDS.isdisjoint(words)
            by = _DOC_BY.search(text) if docs else None
            if by and _DOC_VERB_RE.search(text):
                # "Figures from the European Centre for … revealed": named in the sentence
                runs = _names_in(by.group("name"))
                if runs:
                    found = Claimant(names.organization(_clean_name(runs[-1]), text), ORGANIZATION)
        if found is None:
            m = _DOC_SAYS.search(text) if docs else None
            doc = m and (m.group("doc") or m.group("doc2") or m.group("doc3")).lower()
            if doc and doc in names.authors:
                found = Claimant(names.authors[doc], ORGANIZATION)
            elif doc in ("release", "statement") and announcers:
                found = Claimant(max(announcers, key=announcers.count), ORGANIZATION)
        if found is None:
            m = _THE_TITLE.search(text) if not _TITLE_WORDS_LOWER.isdisjoint(words) else None
            person = names.titled(m.group("title")) if m else ""
            if person:
                found = Claimant(person, PERSON)
            elif (
                m
                and previous is not None
                and previous.kind == PERSON
                and not names.has_title(m.group("title"))
            ):
                found = previous  # "Chris Grayling warned … the Conservative MP said"
        if found is None and quote_open and previous is not None and previous.kind != PUBLISHER:
            found = previous  # inside a quotation the sentence before opened and left open
        if (
            found is None
            and not pronoun
            and _QUOTE_START.match(text)
            and not _OWN_ATTRIBUTION.search(text)
            and not _NAMED_AFTER_QUOTE.search(text)
        ):
            if previous is not None and previous.kind != PUBLISHER and previous_quoted:
                found = previous  # a quotation running on from the last speaker
            elif (
                last_quote is not None
                and i - last_quote[0] == 2
                and _bare_quote(text)
                and not _HONORIFIC_NAME.search(sentences[i - 1])
                and not understood[i - 1].speaker
            ):
                found = last_quote[1]  # a quotation after one line of the reporter's
        claimant = found or Claimant(publisher, PUBLISHER)
        if claimant.kind == PERSON:
            people.append((i, claimant))
        elif claimant.kind == ORGANIZATION:
            last_org = claimant
        out.append(claimant)
        previous = claimant
        previous_quoted = bool(re.search('[\u201c\u201d"]', text))
        previous_spokesperson = bool(_SPOKESPERSON.search(text))
        quote_open = _still_quoting(text, quote_open)
        if claimant.kind != PUBLISHER and previous_quoted:
            last_quote = (i, claimant)
    return out


def _leading_person(text: str, names: _Article) -> str:
    """The person a sentence opens with ("Trust Executive Director Javier Betancourt …")."""
    runs = _names_in(text[:80])
    if not runs or not text.lstrip("\u201c\"' ").startswith(runs[0].split()[0]):
        return ""
    person = names.person(_clean_name(runs[0]))
    return person if person in names.people else ""


_QUOTE_MARK = re.compile('[\u201c\u201d"]')


def _still_quoting(text: str, was_open: bool) -> bool:
    """Whether a quotation is open after ``text``: its last quote mark opens one (“, or a
    straight quote at the start or after a space), else the state it came in with."""
    last = None
    for m in _QUOTE_MARK.finditer(text):
        last = m
    if last is None:
        return was_open
    if last.group() != '"':
        return last.group() == "\u201c"
    return last.start() == 0 or text[last.start() - 1] in " ([\u2014"


def _lower_words(text: str) -> frozenset[str]:
    return frozenset(text.lower().replace(",", " ").replace(".", " ").split())


def _bare_quote(text: str) -> bool:
    """The whole sentence is one quotation: “…”."""
    text = text.strip()
    return text[:1] in '\u201c"' and text[-1:] in '\u201d"' and text.count("\u201c") <= 1


# ---------------------------------------------------------------------------
# The claim as checked

_SAY = rf"(?:also\s+)?(?:{_SPEECH}|claimed|claims|alleged|alleges|stated|states)"
_SAY_WORD = re.compile(rf"\b{_SAY}\b")
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


def checked_form(text: str, claimant: Claimant | None = None) -> str:
    """The claim as a reader should check it: the content of the sentence without "X
    said", its leading pronoun replaced by the claimant, quoted words untouched.

    Falls back to the sentence itself whenever stripping would cut into a quotation.
    """
    text = " ".join(text.split())
    body = text
    m = _ACCORDING.match(text)
    according = (m.group("body") or m.group("body2")) if m else ""
    for found in (according, _strip_tail(text), _strip_head(text, claimant)):
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
