"""Similar-claim terms: a real stemmer, one percent term, and re-stemming the stored index."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from claims.models import ClaimTerm, TermStat
from claims.review import matching


def test_inflections_share_a_stem():
    assert matching.terms("company") == matching.terms("companies") == {"compani"}
    assert matching.terms("The councils fined the firms") == matching.terms("council fines firm")


@pytest.mark.parametrize(
    "text",
    [
        "Turnout fell 15%",
        "Turnout fell 15 %",
        "Turnout fell 15 per cent",
        "Turnout fell 15 percent",
        "Turnout fell 15 Per Cent",
        "Turnout fell 15 percent.",
    ],
)
def test_percent_sign_and_words_are_one_term(text):
    assert matching.terms(text) == {"turnout", "fell", "15", "percent"}


def test_percentage_points_stay_distinct_from_per_cent():
    assert "percentag" in matching.terms("rose 1.2 percentage points")


@pytest.mark.django_db
def test_company_and_companies_match_as_similar_claims(make_claim):
    earlier = make_claim(
        text="The water company was fined 18 per cent of its profits by the regulator."
    )
    make_claim(text="The Federal Reserve raised interest rates in March.")
    new = make_claim(text="Water companies were fined 18% of their profits, the regulator said.")
    assert [m.claim.pk for m in matching.similar_claims(new)] == [earlier.pk]


@pytest.mark.django_db
def test_reindex_claims_replaces_old_stems_and_recounts(make_claim):
    a = make_claim(text="The company paid 40 percent more.")
    b = make_claim(text="Companies paid 40% more in 2020.")
    # Rows as the old suffix stripper wrote them ("company" never met "compani").
    ClaimTerm.objects.all().delete()
    TermStat.objects.all().delete()
    ClaimTerm.objects.bulk_create(
        [ClaimTerm(claim=a, term=t) for t in ("company", "paid", "40", "percent")]
        + [ClaimTerm(claim=b, term=t) for t in ("compani", "paid", "40", "2020")]
    )
    TermStat.objects.bulk_create([TermStat(term="company", df=1), TermStat(term="compani", df=1)])

    call_command("reindex_claims", chunk=1)  # one claim per chunk: the loop must page

    stored = {
        c: set(ClaimTerm.objects.filter(claim=c).values_list("term", flat=True)) for c in (a, b)
    }
    assert stored[a] == matching.terms(a.text) == {"compani", "paid", "40", "percent"}
    assert stored[b] == matching.terms(b.text)
    stats = dict(TermStat.objects.values_list("term", "df"))
    assert stats["compani"] == 2 and stats["percent"] == 2 and "company" not in stats
    assert [m.claim.pk for m in matching.similar_claims(a)] == [b.pk]
