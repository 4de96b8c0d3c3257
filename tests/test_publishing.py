"""Public fact-check pages, ClaimReview JSON-LD, the feeds and the export command."""

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from claims.models import Claim, Verdict
from claims.publishing import pages
from claims.review import workflow

pytestmark = pytest.mark.django_db
S = Claim.Status
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish(make_claim, alice, bob):
    """Publish a claim through the workflow: bob proposes, alice publishes."""

    def make(
        text="Almost 100 current and former staff were campaigning.",
        rating="mostly_true",
        speaker="Sofia Patel",
        **article_fields,
    ):
        claim = make_claim(
            status=S.IN_REVIEW,
            assignee=bob,
            text=text,
            speaker=speaker,
            entities=[{"text": speaker, "label": "PERSON"}] if speaker else [],
        )
        for field, value in article_fields.items():
            setattr(claim.article, field, value)
        claim.article.save()
        workflow.propose_verdict(
            claim,
            actor=bob,
            rating=rating,
            conclusion="The post did say almost 100.",
            explanation="We found an archived copy of the post.\n\nIt says so.",
            sources=["https://example.org/archive", "Interview with the press office"],
        )
        workflow.sign_off(claim, actor=alice)
        workflow.publish(claim, actor=alice)
        return claim

    return make


def jsonld_of(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_a_published_claim_has_a_public_page_with_everything(client, publish, settings):
    settings.SITE_URL = "https://checks.example.org"
    claim = publish(
        url="https://news.example.com/labour",
        title="Labour volunteers",
        published_date=date(2024, 10, 23),
    )
    path = pages.public_path(claim)
    assert re.fullmatch(
        rf"/factchecks/{claim.pk}-almost-100-current-and-former-staff[a-z-]*/", path
    )
    r = client.get(path)
    assert r.status_code == 200
    page = r.content.decode()
    for needle in (
        claim.text,
        "Sofia Patel",
        "Labour volunteers",
        'href="https://news.example.com/labour"',
        "23 October 2024",
        "Mostly true",
        "The post did say almost 100.",
        "archived copy of the post",
        'href="https://example.org/archive"',
        "Interview with the press office",
        "Reviewed",
        "Published",
        'lang="en"',
        'href="#main"',
    ):
        assert needle in page, needle
    assert "cdn" not in page.lower() and "<script src" not in page


def test_the_json_ld_has_the_required_and_recommended_fields(client, publish, settings):
    settings.SITE_URL = "https://checks.example.org"
    settings.FACTCHECK_ORGANIZATION_NAME = "The Desk"
    settings.FACTCHECK_ORGANIZATION_URL = "https://desk.example.org/"
    claim = publish(
        url="https://news.example.com/labour",
        title="Labour volunteers",
        published_date=date(2024, 10, 23),
    )
    data = jsonld_of(client.get(pages.public_path(claim)).content.decode())

    # Required
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == claim.text
    assert data["url"] == "https://checks.example.org" + pages.public_path(claim)
    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly true",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "ratingExplanation": "The post did say almost 100.",
    }
    # Recommended
    assert data["author"] == {
        "@type": "Organization",
        "name": "The Desk",
        "url": "https://desk.example.org/",
    }
    claim.refresh_from_db()
    assert data["datePublished"] == timezone.localdate(claim.published_at).isoformat()
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Sofia Patel"}
    assert item["datePublished"] == "2024-10-23"
    assert item["appearance"]["@type"] == "CreativeWork"
    assert item["appearance"]["url"] == "https://news.example.com/labour"
    # The page and the builder agree.
    assert data == pages.claimreview(claim)


def test_ratings_off_the_scale_carry_only_a_name(publish):
    claim = publish(rating="misleading")
    rating = pages.claimreview(claim)["reviewRating"]
    assert rating["alternateName"] == "Misleading"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(rating)


@pytest.mark.parametrize(
    "speaker, expected",
    [
        # Nobody named: the claim is the publisher's (issue 18: the author is always set).
        ("reports", "publisher"),
        ("", "publisher"),
        ("Trump team", {"@type": "Organization", "name": "Trump team"}),
        ("Keir Starmer", {"@type": "Person", "name": "Keir Starmer"}),
    ],
)
def test_speakers_become_people_organisations_or_the_publisher(publish, speaker, expected):
    claim = publish(speaker=speaker)
    if speaker == "Trump team":
        claim.entities = []
        claim.save()
    if expected == "publisher":
        expected = {"@type": "Organization", "name": claim.article.publisher or "The publisher"}
    assert pages.claimreview(claim)["itemReviewed"].get("author") == expected


def test_the_json_ld_cannot_break_out_of_its_script_tag(client, publish):
    claim = publish(text="Costs rose </script><script>alert(1)</script> & more.")
    html = client.get(pages.public_path(claim)).content.decode()
    assert "<script>alert(1)" not in html
    assert jsonld_of(html)["claimReviewed"] == claim.text


def test_unpublished_and_unknown_claims_are_not_found(client, make_claim, bob, publish):
    for state in S.values:
        if state == S.PUBLISHED:
            continue
        claim = make_claim(status=state, assignee=None if state in ("extracted", "queued") else bob)
        assert client.get(f"/factchecks/{claim.pk}-x/").status_code == 404, state
        assert client.get(f"/factchecks/{claim.pk}/").status_code == 404, state
    assert client.get("/factchecks/999999-x/").status_code == 404
    assert client.get("/factchecks/" + "9" * 40 + "-x/").status_code == 404


def test_a_wrong_slug_redirects_to_the_canonical_page(client, publish):
    claim = publish()
    for path in (f"/factchecks/{claim.pk}/", f"/factchecks/{claim.pk}-wrong-slug/"):
        r = client.get(path)
        assert r.status_code == 301 and r["Location"] == pages.public_path(claim)


def test_a_reopened_claim_stays_on_the_public_site_as_withdrawn(client, publish, alice):
    # Reopening does not unpublish silently (tests/test_history.py has more).
    claim = publish()
    path = pages.public_path(claim)
    assert client.get(path).status_code == 200
    workflow.reopen(claim, actor=alice, reason="New evidence.")
    r = client.get(path)
    assert r.status_code == 200 and "withdrawn" in r.content.decode()
    feed = client.get("/factchecks/feed.json").json()
    assert [e["@type"] for e in feed["dataFeedElement"]] == ["DataFeedItem"]


def test_the_index_lists_published_fact_checks_only(client, publish, make_claim):
    claim = publish()
    hidden = make_claim(text="A claim still in the queue.", status=S.QUEUED)
    page = client.get("/factchecks/").content.decode()
    assert claim.text in page and pages.public_path(claim) in page
    assert hidden.text not in page


# ---------------------------------------------------------------------------
# Feeds


def test_the_json_feed_is_a_datafeed_of_claimreviews(client, publish, make_claim):
    first = publish(text="First claim about 100 staff.")
    second = publish(text="Second claim about 200 staff.", speaker="Keir Starmer")
    make_claim(text="Not published.", status=S.QUEUED)
    r = client.get("/factchecks/feed.json")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/ld+json")
    feed = r.json()
    assert feed["@context"] == "https://schema.org" and feed["@type"] == "DataFeed"
    elements = feed["dataFeedElement"]
    assert [e["claimReviewed"] for e in elements] == [second.text, first.text]
    assert all(e["@type"] == "ClaimReview" for e in elements)
    assert "Not published." not in r.content.decode()


def test_the_feeds_are_paginated(client, publish, settings):
    settings.PUBLIC_FEED_PAGE_SIZE = 2
    claims = [publish(text=f"Claim number {i} about {i} staff.") for i in range(5)]
    newest_first = [c.text for c in reversed(claims)]

    seen = []
    for page in (1, 2, 3):
        r = client.get(f"/factchecks/feed.json?page={page}")
        assert r.status_code == 200
        seen += [e["claimReviewed"] for e in r.json()["dataFeedElement"]]
        assert ('rel="next"' in r["Link"]) == (page < 3)
    assert seen == newest_first
    assert client.get("/factchecks/feed.json?page=4").status_code == 404
    assert client.get("/factchecks/feed.json?page=abc").status_code == 404
    assert client.get("/factchecks/feed.json?page=" + "9" * 30).status_code == 404

    atom_titles = []
    for page in (1, 2, 3):
        root = ET.fromstring(client.get(f"/factchecks/feed.atom?page={page}").content)
        atom_titles += [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
        rels = {link.get("rel") for link in root.findall(f"{ATOM}link")}
        assert ("next" in rels) == (page < 3) and ("previous" in rels) == (page > 1)
    assert [t.split(": ", 1)[1] for t in atom_titles] == newest_first


def test_the_atom_feed_is_valid_atom(client, publish, settings):
    settings.SITE_URL = "https://checks.example.org"
    claim = publish()
    r = client.get("/factchecks/feed.atom")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    (entry,) = root.findall(f"{ATOM}entry")
    for required in ("id", "title", "updated", "link", "summary"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert entry.find(f"{ATOM}link").get("href") == pages.public_url(claim)
    assert entry.find(f"{ATOM}title").text == f"Mostly true: {claim.text}"
    summary = entry.find(f"{ATOM}summary").text
    assert "The post did say almost 100." in summary and "Sofia Patel" in summary


@pytest.mark.parametrize("url", ["/factchecks/feed.json", "/factchecks/feed.atom"])
def test_feeds_answer_304_when_nothing_changed(client, publish, url):
    publish()
    r = client.get(url)
    assert r.status_code == 200
    etag, last_modified = r["ETag"], r["Last-Modified"]
    assert "max-age" in r["Cache-Control"] and "public" in r["Cache-Control"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    # A new publication changes both validators.
    publish(text="Another claim about 300 staff.")
    r2 = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert r2.status_code == 200 and r2["ETag"] != etag
    assert b"300 staff" in r2.content


def test_feeds_are_cached_per_version_of_the_published_set(
    client, publish, django_assert_max_num_queries
):
    publish()
    client.get("/factchecks/feed.json")
    # Served from the cache: the change check only, no claim rendering.
    with django_assert_max_num_queries(3):
        assert client.get("/factchecks/feed.json").status_code == 200


def test_an_empty_feed_is_still_a_feed(client):
    assert client.get("/factchecks/feed.json").json()["dataFeedElement"] == []
    root = ET.fromstring(client.get("/factchecks/feed.atom").content)
    assert root.findall(f"{ATOM}entry") == []


def test_the_feeds_refuse_writes(client):
    assert client.post("/factchecks/feed.json").status_code == 405


# ---------------------------------------------------------------------------
# export_claimreview


def _export(*args) -> object:
    out = io.StringIO()
    call_command("export_claimreview", *args, stdout=out)
    return json.loads(out.getvalue())


def test_export_writes_the_datafeed(publish, make_claim):
    old = publish(text="An old claim about 100 staff.")
    Claim.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=30))
    new = publish(text="A new claim about 200 staff.")
    make_claim(text="Queued, not exported.", status=S.QUEUED)

    feed = _export()
    assert feed["@type"] == "DataFeed"
    assert [e["claimReviewed"] for e in feed["dataFeedElement"]] == [old.text, new.text]

    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    feed = _export("--since", since)
    assert [e["claimReviewed"] for e in feed["dataFeedElement"]] == [new.text]

    listed = _export("--list")
    assert isinstance(listed, list) and listed[1] == pages.claimreview(
        Claim.objects.select_related("article", "verdict").get(pk=new.pk)
    )


def test_export_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("export_claimreview", "--since", "last week", stdout=io.StringIO())


def test_only_published_claims_can_be_described(make_claim, bob):
    claim = make_claim(status=S.APPROVED, assignee=bob)
    claim.verdict = Verdict.objects.create(
        claim=claim, rating="true", conclusion="Yes.", proposed_by=bob
    )
    claim.save()
    with pytest.raises(ValueError):
        pages.claimreview(claim)
