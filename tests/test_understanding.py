"""Speakers, entities and numbers: the errors seen on real news."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.extraction import lexicon
from claims.extraction.entities import display_label
from claims.extraction.quantities import find_numbers
from claims.extraction.understanding import understand

ROOT = Path(__file__).resolve().parent.parent


def speakers(sentences: list[str]) -> list[str]:
    return [u.speaker for u in understand(sentences)]


def entity_labels(sentence: str) -> dict[str, str]:
    return {e["text"]: e["label"] for e in understand([sentence])[0].entities}


# --- Pronouns --------------------------------------------------------------


def test_he_is_the_previous_sentences_subject_not_an_earlier_speaker():
    got = speakers(
        [
            "Rachel Reeves said the rise in National Insurance was fair.",
            "Lord Clarke, the former Conservative chancellor, criticised the plan on Sunday.",
            "He told Times Radio that Labour had made a mistake.",
        ]
    )
    assert got[-1] == "Lord Clarke"


def test_she_skips_a_nearer_man_for_the_nearest_woman():
    got = speakers(
        [
            "Ms Luccioni helped launch a website for researchers.",
            "Mr Sparks runs a start-up that trains large models.",
            "She is also testing a tool that tracks the energy of each chip.",
            "It will bring transparency, she says.",
        ]
    )
    assert got[-1] == "Ms Luccioni"


def test_a_pronoun_sentence_passes_its_subject_on():
    got = speakers(
        [
            "Wes Streeting visited the hospital on Monday.",
            "Rachel Reeves spoke to reporters in London.",
            "Mr Streeting met nurses on the ward.",
            "He said waiting lists had fallen.",
            "He also said 40 beds had reopened.",
        ]
    )
    assert got[-2:] == ["Wes Streeting", "Wes Streeting"]


# --- Generic nouns are not speakers ---------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said the bridge would reopen in May.",
        "The department said 40 staff had left.",
        "Reports said Labour had paid for the trip.",
        "The burials have increased, officials said.",
        "The city was blanketed by smoke, according to local news reports.",
        "Prices rose 3%, the company said.",
    ],
)
def test_generic_nouns_are_not_speakers(sentence):
    assert speakers([sentence]) == [""]


def test_named_groups_and_organisations_still_speak():
    assert speakers(["Labour officials said the claim was false."]) == ["Labour officials"]
    assert speakers(["The Federal Election Commission said the complaint was received."]) == [
        "Federal Election Commission"
    ]


# --- Places and programmes are not people ---------------------------------


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Oil from West Texas fell 3% on Friday.", "West Texas"),
        ("Employers will pay more National Insurance from April.", "National Insurance"),
        ("The Dow Jones Industrial Average fell 2% on Friday.", "Dow Jones Industrial Average"),
        ("The Nasdaq Composite closed 1% higher.", "Nasdaq Composite"),
        ("Officials in Broward County spent $11m on cameras.", "Broward County"),
    ],
)
def test_places_and_programmes_are_not_person(sentence, name):
    labels = entity_labels(sentence)
    assert labels.get(name) != "PERSON" and "PERSON" not in labels.values(), labels


def test_places_with_a_compass_word_or_a_place_noun_are_places():
    assert entity_labels("Oil from West Texas fell 3% on Friday.")["West Texas"] == "GPE"
    assert entity_labels("Officials in Broward County spent $11m.")["Broward County"] == "GPE"
    assert entity_labels("Markets in Southeast Asia fell.")["Southeast Asia"] == "GPE"
    # A person is still a person.
    assert entity_labels("Anne Gonzales, a spokeswoman, disagreed.")["Anne Gonzales"] == "PERSON"


def test_entity_codes_have_readable_labels():
    assert display_label("GPE") == "place"
    assert display_label("ORG") == "organisation"
    assert display_label("PERSON") == "person"
    assert all("gpe" not in v.lower() for v in lexicon.ENTITY_DISPLAY.values())


@pytest.mark.django_db
def test_the_claim_page_shows_readable_entity_labels(client, alice, make_claim):
    claim = make_claim(entities=[{"text": "West Texas", "label": "GPE", "start": 0, "end": 10}])
    client.force_login(alice)
    page = client.get(claim.get_absolute_url()).content.decode()
    entities = page[page.index('id="claim-entities"') :]
    entities = entities[: entities.index("</ul>")]
    assert 'West Texas <span class="muted">(place)</span>' in entities
    assert "gpe" not in entities.lower()


# --- Numbers ---------------------------------------------------------------


def numbers(sentence: str) -> list[tuple]:
    return [(n["text"], n["value"], n["unit"], n["hedge"]) for n in find_numbers(sentence)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "Tens of thousands of people marched.",
            [("Tens of thousands of", 10_000, "people", "lower_bound")],
        ),
        (
            "Hundreds of thousands of customers lost power.",
            [("Hundreds of thousands of", 100_000, "customers", "lower_bound")],
        ),
        ("Dozens of people were hurt.", [("Dozens of", 12, "people", "lower_bound")]),
        ("A third of voters backed it.", [("A third", 33.3, "percent", "exact")]),
        ("Two-thirds of staff left.", [("Two-thirds", 66.7, "percent", "exact")]),
        ("It cost £3m last year.", [("£3m", 3_000_000, "GBP", "exact")]),
        (
            "Inflation rose 1.2 percentage points.",
            [("1.2 percentage points", 1.2, "percentage points", "exact")],
        ),
        ("Turnout was 45 per cent.", [("45 per cent", 45, "percent", "exact")]),
        ("Turnout was 45 percent.", [("45 percent", 45, "percent", "exact")]),
        ("Turnout was 45%.", [("45%", 45, "percent", "exact")]),
        ("Tennis was played for a third time.", []),
    ],
)
def test_number_phrases(sentence, expected):
    assert numbers(sentence) == expected


def test_number_words_come_from_the_lexicon_tables():
    # A new entry in a table is parsed without new code.
    assert lexicon.VAGUE_PLURALS["tens"] == 10 and lexicon.FRACTIONS["third"] == pytest.approx(
        100 / 3
    )


# --- One lexicon -----------------------------------------------------------


def test_word_lists_live_once_in_the_lexicon():
    from claims.extraction import understanding
    from claims.extraction.model import features as model

    assert understanding._GROUP_NOUNS is lexicon.GENERIC_SOURCE_NOUNS
    assert lexicon.REPORTING_VERBS <= model._REPORTING
    assert lexicon.LEGAL_WORDS <= model._LEGAL
    assert not (ROOT / "claims" / "extraction" / "rules.py").exists()


# --- The labelled set ------------------------------------------------------


def test_labelled_understanding_set_is_well_formed():
    rows = [
        json.loads(line) for line in (ROOT / "tests" / "data" / "understanding_labels.jsonl").open()
    ]
    assert len(rows) >= 60 and len({r["page"] for r in rows}) >= 15
    for r in rows:
        assert r["page"].endswith(".html.gz")
        for text, label in r["entities"]:
            assert text in r["text"] and label in ("PERSON", "ORG", "GPE")
