"""Canonical facts: same fact, not same words (claims/extraction/facts.py)."""

import pytest

from claims.extraction import facts


def judge(a, b):
    return facts.same_fact(facts.canonical_facts(a), facts.canonical_facts(b))


@pytest.mark.parametrize(
    "a, b",
    [
        ("The deficit reached £3.5bn last year.", "The deficit reached £3.5 billion last year."),
        (
            "The deficit reached £3.5bn last year.",
            "The deficit reached 3.5 billion pounds last year.",
        ),
        (
            "Agents found 202 bricks of cocaine.",
            "Agents found two hundred and two bricks of cocaine.",
        ),
        (
            "The IMF cut its growth forecast to 2.1%.",
            "The International Monetary Fund cut its growth forecast to 2.1 per cent.",
        ),
        (
            "Rachel Reeves said borrowing rose to £20bn in May.",
            "Borrowing rose to £20bn in May, Reeves said.",
        ),
        ("It is the 16th such case since 2022.", "It is the sixteenth such case since 2022."),
    ],
)
def test_it_joins_the_same_fact_in_other_words(a, b):
    assert judge(a, b) == facts.SAME


@pytest.mark.parametrize(
    "a, b",
    [
        (
            "Sales rose by $4.7bn last year, the company said.",
            "Sales rose by $7.4bn last year, the company said.",
        ),
        ("Sales rose by $4.7bn last year.", "Sales rose by £4.7bn last year."),
        (
            "The factory in Leeds will close in March 2024.",
            "The factory in Leeds will close in March 2025.",
        ),
        (
            "The factory in Leeds will close in March 2024.",
            "The factory in Bradford will close in March 2024.",
        ),
        ("Biden met Putin in Geneva on Tuesday.", "Biden met Trump in Geneva on Tuesday."),
        (
            "The council approved the budget on Tuesday.",
            "The council did not approve the budget on Tuesday.",
        ),
        (
            "Peak demand reached 44,947 megawatts on Saturday.",
            "Peak demand reached 44,947 megawatts on Sunday.",
        ),
    ],
)
def test_it_keeps_a_differing_figure_date_name_or_polarity_apart(a, b):
    assert judge(a, b) == facts.RELATED


def test_it_reads_spelled_numbers_as_digits():
    assert (
        facts.normalise_numbers("a hundred pulsars and ninety-nine flats")
        == "100 pulsars and 99 flats"
    )
    assert facts.normalise_numbers("$4.3 million") == "$4.3 million"  # a scale after digits stays


def test_facts_survive_a_round_trip_through_json():
    f = facts.canonical_facts("The IMF said unemployment fell to 4% in March 2024.")
    assert facts.Facts.from_json(f.to_json()) == f


def test_unrelated_claims_are_neither_same_nor_related():
    assert judge("The bridge opened in 1932.", "Inflation fell to 2% in May.") is None
