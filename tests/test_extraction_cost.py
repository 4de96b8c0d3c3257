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


def test_according_to_needs_the_words():
    for text in real_sentences() + ["According to X, the plan failed badly today."]:
        if claimant._ACCORDING.match(text):
            assert "ccording to" in text
    got = claimant.checked_form("The plan failed badly last year, according to the police.")
    assert got == "The plan failed badly last year."


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
