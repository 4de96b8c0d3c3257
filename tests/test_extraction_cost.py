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

import pytest

from claims.extraction import understanding
from claims.extraction.training import DEFAULT_NEWS

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
