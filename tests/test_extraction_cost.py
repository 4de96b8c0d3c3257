"""The fast paths of extraction give exactly what the plain rules give.

Each shortcut taken for speed (word sets instead of long regex alternations, gates
before a search) is checked against the rule it replaces, on real sentences and on
variants made to sit on the edges (a keyword glued to a letter, digit, underscore,
apostrophe or accent; a phrase with two spaces; odd case).
"""

from __future__ import annotations

import itertools
import json
import random
import unicodedata
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from hypothesis import example, given

from claims.extraction import ExtractionError, claimant, content, html, metadata, understanding
from claims.extraction.training import DEFAULT_NEWS
from tests.realpages import DATA, load_pages
from tests.test_fuzz_extraction import FUZZ, PAGES

ROOT = Path(__file__).resolve().parent.parent


def real_sentences() -> list[str]:
    texts = []
    for path in sorted((ROOT / "bench" / "data" / "news").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.open()]
    for line in (ROOT / "tests" / "data" / "understanding_labels.jsonl").open():
        row = json.loads(line)
        texts += [row["text"], *row.get("context", [])]
    if DEFAULT_NEWS.exists():
        texts += [json.loads(line)["text"] for line in DEFAULT_NEWS.open()]
    return texts


KEYWORDS = {
    "law": understanding._LAW_WORDS,
    "event": understanding._EVENT_WORDS,
    "reporting": understanding._REPORTING_WORDS,
    "prediction": understanding._PREDICTION_WORDS,
    "causation": understanding._CAUSATION_WORDS,
}
EDGES = ["", " ", "_", "x", "é", "3", "'", "\u2019", "-", ".", "  ", "\u00a0"]


def edge_cases(keywords) -> list[str]:
    """Every keyword and phrase with every kind of neighbour on each side."""
    rng = random.Random(18)
    words = sorted(keywords.words) + list(keywords.phrase_texts)
    out = []
    for word in words:
        for left, right in itertools.product(EDGES, EDGES):
            out.append(f"The{left}{word}{right}end")
        out += [word, word.upper(), word.title(), word.replace(" ", "  "), word.replace(" ", "\n")]
        out.append(f"{rng.choice(words)} {word[:-1]}")  # a prefix of a keyword only
    return out


@pytest.mark.parametrize("name", sorted(KEYWORDS))
def test_keyword_sets_match_exactly_when_the_regex_does(name):
    keywords = KEYWORDS[name]
    texts = real_sentences() + edge_cases(keywords)
    if name in ("prediction", "causation"):
        texts = [t.lower() for t in texts]  # claim_type searches these on the lower-cased text
    differ = [
        t
        for t in texts
        if keywords.found(set(understanding._WORD_RUN.findall(t)), t)
        != bool(keywords.regex.search(t))
    ]
    assert len(texts) > 1000 and not differ, differ[:5]


def test_experience_is_found_whenever_its_rule_matches():
    texts = real_sentences() + [
        f"{a}{s}{b} spent years there" for s in ("I", "we", "We") for a in EDGES for b in EDGES
    ]
    matched = 0
    for text in texts:
        if understanding._EXPERIENCE.search(text) and not understanding._LAW.search(text):
            matched += 1
            assert understanding.claim_type(text, [], "", []) == "experience", text
    assert matched > 30


GATES = {
    # regex: the words one of which it needs as a whole run of the text
    "_SPOKESPERSON": "_SPOKESPERSON_WORDS",
    "_SAID_NAME": "_VERB_WORDS",
    "_NAME_SAID": "_SPEECH_WORDS",
    "_PRONOUN_SAID": "_HE_SHE",
    "_IT_SAID": "_IT",
    "_SAY_WORD": "_SAY_WORDS",
}


def gate_cases() -> list[str]:
    words = set().union(*(getattr(claimant, name) for name in GATES.values()))
    cases = []
    for word in sorted(words):
        for left, right in itertools.product(EDGES, EDGES):
            cases += [
                f"Jane Smith{left}{word}{right} the plan failed",
                f"“It failed,”{left}{word}{right}Jane Smith.",
                f"{left}{word}{right} said Jane Smith.",
                f"A spokesperson for the Big Union{left}{word}{right}",
            ]
    return cases


@pytest.mark.parametrize("regex", sorted(GATES))
def test_a_claimant_rule_never_matches_without_its_gate_word(regex):
    pattern, words = getattr(claimant, regex), getattr(claimant, GATES[regex])
    matched = 0
    for text in real_sentences() + gate_cases():
        if pattern.search(text):
            matched += 1
            assert not words.isdisjoint(understanding.word_runs(text)), text
    assert matched > 20


def test_according_to_needs_the_words():
    for text in real_sentences() + ["According to X, the plan failed badly today."]:
        if claimant._ACCORDING.match(text):
            assert "ccording to" in text
    got = claimant.checked_form("The plan failed badly last year, according to the police.")
    assert got == "The plan failed badly last year."


def test_claimants_and_checked_forms_are_those_of_the_ungated_rules(monkeypatch):
    """The same answers with every gate open (each word set holding every word)."""
    texts = real_sentences()
    understood = understanding.understand(texts)
    gated = claimant.claimants(texts, understood, "The Paper")
    gated_forms = [claimant.checked_form(t, c) for t, c in zip(texts, gated)]

    class Everything(frozenset):
        def isdisjoint(self, other):
            return False

    for name in set(GATES.values()):
        monkeypatch.setattr(claimant, name, Everything())
    ungated = claimant.claimants(texts, understood, "The Paper")
    assert ungated == gated
    assert [claimant.checked_form(t, c) for t, c in zip(texts, ungated)] == gated_forms
    assert sum(c.kind != claimant.PUBLISHER for c in gated) > 50


def test_the_parser_gives_the_element_classes_lxml_html_gives():
    page = (
        "<!DOCTYPE html><html><head><title>T</title><?php x ?></head><body>"
        "<!-- c --><form><label>L</label><input name=a><select><option>o</select>"
        "<textarea>t</textarea></form><p>Text &amp; <a href=x>link</a>&nbsp;</p>"
        "<article><h1>H</h1><figure><img src=i></figure></article></body></html>"
    )
    ours = content._parse(page)
    theirs = lxml.html.document_fromstring(page)
    assert [type(e) for e in ours.iter()] == [type(e) for e in theirs.iter()]
    assert {type(e).__name__ for e in ours.iter()} >= {
        "FormElement",
        "InputElement",
        "SelectElement",
        "TextareaElement",
        "LabelElement",
        "HtmlComment",
        "HtmlElement",
    }


def test_normalize_inline_is_the_translation_it_replaces():
    def reference(text: str) -> str:
        text = text.translate(html._INVISIBLE)
        if not text.isascii():
            text = unicodedata.normalize("NFC", text)
        return html._WS.sub(" ", text)

    rng = random.Random(6)
    pieces = [*map(chr, html._INVISIBLE), "a", "B", " ", "  ", "\n", "\u00a0", "e\u0301", "\u201c"]
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 12))) for _ in range(5000)]
    texts += real_sentences()
    assert [html.normalize_inline(t) for t in texts] == [reference(t) for t in texts]


def reference_claim_type(text, numbers, speaker, entities):
    """claim_type with its plain regexes, as it was before the word sets."""
    u = understanding
    if u._LAW.search(text):
        return "law"
    if numbers:
        return "quantity"
    if u._EXPERIENCE.search(text):
        return "experience"
    ratio = u._quote_ratio(text)
    if ratio >= 0.65 or (ratio >= 0.5 and text[:1] in u._QUOTE_OPEN):
        return "quote"
    prediction = u._PREDICTION.search(text)
    if prediction:
        return "prediction"
    if u._CAUSATION.search(text):
        return "causation"
    if speaker and u._REPORTING.search(text):
        return "attribution"
    if u._EVENT.search(text) or any(e["label"] == "DATE" for e in entities):
        return "event"
    return "other"


def test_claim_types_are_those_of_the_plain_regexes():
    texts = real_sentences()
    for keywords in KEYWORDS.values():
        texts += edge_cases(keywords)
    texts += [t.upper() for t in texts[:3000]] + [t.title() for t in texts[:3000]]
    texts += ["\u0130t WILL rain", "Il ſhall be", "Things WİLL change"]
    kinds = set()
    for text in texts:
        for speaker in ("", "Jane Smith"):
            got = understanding.claim_type(text, [], speaker, [])
            assert got == reference_claim_type(text, [], speaker, []), text
            kinds.add(got)
    assert kinds >= {"law", "experience", "quote", "prediction", "causation", "attribution"}


def test_acronyms_and_said_names_are_still_gathered_from_the_article():
    texts = [
        "The Universities and Colleges Employers Association (UCEA) said pay would rise by 5%.",
        "A spokesperson for UCEA said the offer was fair and final.",
    ]
    got = claimant.claimants(texts, understanding.understand(texts), "The Paper")
    assert got[1] == claimant.Claimant(
        "Universities and Colleges Employers Association", "organization"
    )


def content_of(page) -> tuple:
    found = content.main_content(page)
    body = None if found.body is None else lxml.etree.tostring(found.body, encoding="unicode")
    return body, found.meta


@FUZZ
@given(page=PAGES)
@example(page='<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>Caf\u00e9 \u2e31 x</p>')
@example(page="<html><body><p>The <b>council</b> said \ufffe\uffff it spent \ud800 \x0b\x00</p>")
def test_the_page_parsed_from_utf8_bytes_is_the_page_parsed_from_text(page):
    try:
        text = html._as_text(page)
    except ExtractionError:
        with pytest.raises(ExtractionError):
            html._as_utf8(page)
        return
    data = html._as_utf8(page)
    assert data.decode("utf-8") == text
    assert content_of(data) == content_of(text)


def test_the_byline_search_finds_what_the_plain_xpath_finds():
    pages = [p.html for p in load_pages()[:60]] if DATA.exists() else []
    pages.append(
        b"<html rel=author><body><div class='x byline-y'><p itemprop=author>Jo Bo</p></div>"
        b"<span class=author-name>A B</span><i class=article-author-z>C D</i>"
        b"<b class=Byline>no</b><a rel=authors>no</a></body></html>"
    )
    found = 0
    for page in pages:
        tree = content._parse(html._as_utf8(page))
        expected = tree.xpath(metadata._BYLINE_XPATH)
        assert metadata._BYLINES(tree.getroottree()) == expected
        found += len(expected)
    assert found >= 5
