"""Issue 18, items 1-3: the claimant, bylines and outlet, and the claim as checked."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import html as lxml_html

from claims.extraction import extract
from claims.extraction.claimant import Claimant, checked_form, claimants
from claims.extraction.metadata import outlet_from_title, page_metadata, visible_bylines
from claims.extraction.understanding import understand
from claims.models import Claim, ClaimLog
from claims.publishing import pages
from claims.review import workflow

PAGES = Path("/work/shared/data/extraction/real-pages-en/html")


def _claimants(texts, publisher="The Outlet"):
    return claimants(texts, understand(texts), publisher)


# -- claimant (extraction) -------------------------------------------------------------


def test_a_surname_is_named_in_full_from_earlier_in_the_article():
    texts = [
        "“Burial operations have increased,” said Mark Parrington, a senior scientist.",
        "According to Parrington, fires release 500 tonnes of carbon a year.",
    ]
    assert [c.name for c in _claimants(texts)] == ["Mark Parrington", "Mark Parrington"]


def test_a_title_before_a_name_is_not_part_of_the_claimant():
    texts = ["Travellers must self-isolate for 14 days, Transport Secretary Grant Shapps said."]
    assert _claimants(texts)[0] == Claimant("Grant Shapps", "person")


def test_he_added_is_the_last_person_who_spoke():
    texts = [
        "The effort will need new technology, Microsoft President Brad Smith said.",
        "He added that Microsoft will expand an internal carbon fee.",
    ]
    assert _claimants(texts)[1].name == "Brad Smith"


def test_a_quotation_running_on_keeps_its_speaker_but_not_a_new_attribution():
    texts = [
        "“We ran out of fuel,” said Dr Sherine Abed, a neonatologist.",
        "“The premature babies need special care.”",
        "“Units are behind a vehicle,” said a dispatcher on the scanner.",
    ]
    got = _claimants(texts)
    assert got[1].name == "Sherine Abed"
    assert got[2].kind == "publisher"


def test_the_reporters_own_statement_is_the_publishers():
    got = _claimants(["Unemployment fell to 4.1% in March."], publisher="BBC News")
    assert got[0] == Claimant("BBC News", "publisher")


def test_an_acronym_is_the_body_it_stands_for():
    texts = [
        "Air and Marine Operations (AMO) agents found 475 pounds of cocaine on Sunday.",
        "With 1,800 agents, AMO says it conducts its mission beyond the border.",
    ]
    assert _claimants(texts)[1] == Claimant("Air and Marine Operations", "organization")


# -- the claim as checked --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "claimant", "want"),
    [
        (
            "Travellers must self-isolate for 14 days, Transport Secretary Grant Shapps said.",
            "Grant Shapps",
            "Travellers must self-isolate for 14 days.",
        ),
        (
            "Microsoft Corp said on Thursday it aims to remove more carbon than it emits.",
            "Microsoft Corp",
            "Microsoft Corp aims to remove more carbon than it emits.",
        ),
        (
            "According to Parrington, fires release 500 tonnes of carbon a year.",
            "Mark Parrington",
            "Fires release 500 tonnes of carbon a year.",
        ),
        (
            "“Amazonas has seen well above average fire activity,” said Mark Parrington.",
            "Mark Parrington",
            "“Amazonas has seen well above average fire activity.”",
        ),
        ("Unemployment fell to 4.1% in March.", "", "Unemployment fell to 4.1% in March."),
    ],
)
def test_the_suggested_claim_as_checked(sentence, claimant, want):
    kind = "person" if claimant else "publisher"
    assert checked_form(sentence, Claimant(claimant, kind)) == want


def test_stripping_never_cuts_a_quotation_in_half():
    sentence = "“I said we would,” he said, “and we did cut taxes by 3%.”"
    assert checked_form(sentence, Claimant("Ann Lee", "person")) == sentence


def test_extract_carries_claimant_and_checked_text_with_the_original_sentence():
    html = (
        "<html><head><title>Jobs | The Daily Planet</title></head><body><article>"
        "<p>Unemployment fell to 4.1% in March, Chancellor Rachel Reeves said on Monday.</p>"
        "</article></body></html>"
    )
    s = extract(html).sentences[0]
    assert s.text.startswith("Unemployment fell to 4.1% in March, Chancellor")
    assert (s.claimant, s.claimant_kind) == ("Rachel Reeves", "person")
    assert s.checked_text == "Unemployment fell to 4.1% in March."


# -- bylines and outlet ----------------------------------------------------------------


def test_bylines_are_read_from_the_visible_page():
    tree = lxml_html.fromstring(
        "<html><body><p class='byline'>By Jane Smith and Omar Khan</p>"
        "<span rel='author'>Lucy Grey, Health Editor</span></body></html>"
    )
    assert visible_bylines(tree) == ["Jane Smith", "Omar Khan", "Lucy Grey"]


def test_page_metadata_uses_the_visible_byline_and_the_title_suffix():
    tree = lxml_html.fromstring(
        "<html><head><title>Mass burials | BBC News</title></head><body>"
        "<p class='byline'>By Nada Tawfik</p><p>Text.</p></body></html>"
    )
    meta = page_metadata(tree)
    assert meta.authors == ["Nada Tawfik"]
    assert meta.publisher == "BBC News"


def test_the_outlet_falls_back_to_the_title_suffix():
    assert outlet_from_title("Mass burials in New York | BBC News") == "BBC News"
    assert outlet_from_title("A headline with no outlet") == ""


def test_a_real_page_byline_and_outlet():
    tree = lxml_html.fromstring(gzip.open(PAGES / "pcgamer.com.darkest.html.gz").read())
    meta = page_metadata(tree)
    assert meta.authors == ["Luke Kemp"]
    assert meta.publisher == "PC Gamer"


# -- workflow and publishing -----------------------------------------------------------


def test_editing_the_claimant_logs_both_versions(make_claim, alice):
    claim = make_claim(status="in_review")
    entry = workflow.set_claimant(claim, "Grant Shapps", "person", actor=alice)
    claim.refresh_from_db()
    assert (claim.claimant, claim.claimant_kind) == ("Grant Shapps", "person")
    assert entry.action == "claim.claimant_set" and entry.actor == alice
    assert entry.data["to"] == {"name": "Grant Shapps", "kind": "person"}


def test_every_version_of_the_claim_as_checked_is_in_the_log(make_claim, alice):
    claim = make_claim(status="in_review")
    original = claim.text
    workflow.edit_checked_text(claim, "Staff campaigned: almost 100.", actor=alice)
    workflow.edit_checked_text(claim, "Almost 100 staff campaigned in 2024.", actor=alice)
    claim.refresh_from_db()
    assert claim.text == original  # the sentence and its offsets stay
    rows = ClaimLog.objects.filter(claim=claim, action="claim.checked_text_edited")
    assert [r.data["to"] for r in rows.order_by("id")] == [
        "Staff campaigned: almost 100.",
        "Almost 100 staff campaigned in 2024.",
    ]


def test_a_reviewer_cannot_reword_someone_elses_claim(make_claim, bob, carol):
    claim = make_claim(status="in_review", assignee=bob)
    with pytest.raises(workflow.NotAllowed):
        workflow.edit_checked_text(claim, "Something else.", actor=carol)
    with pytest.raises(workflow.StaleClaim):
        claim.version -= 1
        workflow.edit_checked_text(claim, "Something else.", actor=bob)


def test_claimreview_uses_the_claim_as_checked_and_always_names_an_author(make_claim, alice):
    claim = make_claim(status="in_review")
    workflow.edit_checked_text(claim, "Nearly 100 staff campaigned for Labour.", actor=alice)
    claim.article.publisher = "The Daily Planet"
    claim.article.authors = ["Jane Smith"]
    claim.article.save()
    claim.status = Claim.Status.PUBLISHED
    claim.verdict = claim.verdicts.create(rating="true", conclusion="Right.", state="published")
    review = pages.claimreview(claim)
    assert review["claimReviewed"] == "Nearly 100 staff campaigned for Labour."
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The Daily Planet",
    }
    assert review["itemReviewed"]["appearance"]["author"] == [
        {"@type": "Person", "name": "Jane Smith"}
    ]
    claim.claimant, claim.claimant_kind = "Grant Shapps", "person"
    assert pages.claimreview(claim)["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Grant Shapps",
    }


def test_the_claim_page_shows_and_saves_the_claim_as_checked(client, make_claim, alice):
    claim = make_claim(status="in_review")
    client.force_login(alice)
    page = client.get(claim.get_absolute_url())
    assert b'id="claim-wording"' in page.content
    response = client.post(
        f"/claims/{claim.pk}/act/edit_checked_text/",
        {"edit_checked_text-version": claim.version, "edit_checked_text-checked_text": "New."},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.checked_text == "New."
