"""Only http(s) links are stored, shown or published.

A page's own <link rel=canonical href="javascript:…"> used to become the
article URL and then a clickable link on the public page, the article page and
its live fragment, and the ClaimReview in the JSON-LD, the JSON feed and
webhook payloads. The rule is ``claims.net.safeurl.safe_http_url``; these tests
store hostile URLs directly (as an older row would hold them) to prove every
way out applies it too.
"""

import json
import re

import pytest
from django.core.cache import cache

from claims.intake import submission
from claims.models import Article, Claim, Evidence, Webhook, WebhookDelivery
from claims.net.safeurl import safe_http_url
from claims.publishing import pages, webhooks
from claims.review import workflow

from .conftest import SEED
from .test_fetch import stand_in_internet  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
S = Claim.Status

HOSTILE = [
    "javascript:fetch('/api/claims/1/actions/publish/',{method:'POST'})",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
]


@pytest.mark.parametrize("url", HOSTILE + ["http:alert(1)", "ftp://example.org/x", ""])
def test_anything_but_an_absolute_http_link_is_refused(url):
    assert safe_http_url(url) == ""


@pytest.mark.parametrize("url", ["https://news.example.com/a?b=1#c", "HTTP://Example.org/"])
def test_absolute_http_links_pass_unchanged(url):
    assert safe_http_url(url) == url


def test_a_javascript_canonical_link_is_not_stored_as_the_article_url(alice):
    html = (
        '<html><head><link rel="canonical" href="javascript:alert(document.cookie)">'
        f"</head><body>{SEED.read_text(encoding='utf-8')}</body></html>"
    )
    article = submission.submit_article(actor=alice, html=html).article
    assert article.url == ""
    assert Article.objects.get(pk=article.pk).url == ""


@pytest.fixture
def published_with_hostile_url(make_claim, alice, bob):
    cache.clear()
    Webhook.objects.create(url="https://partner.example.org/hooks", created_by=alice)

    def make(url):
        claim = make_claim(status=S.IN_REVIEW, assignee=bob)
        Article.objects.filter(pk=claim.article_id).update(url=url)  # as an old row holds it
        claim.refresh_from_db()
        workflow.propose_verdict(
            claim,
            actor=bob,
            rating="false",
            conclusion="Not so.",
            explanation="We checked.",
            sources=[],
        )
        workflow.sign_off(claim, actor=alice)
        workflow.publish(claim, actor=alice)
        return Claim.objects.select_related("article").get(pk=claim.pk)

    yield make
    cache.clear()


def no_hostile_link(text: str) -> bool:
    lowered = text.lower().replace("\\t", "\t")
    return not any(bad.strip().lower() in lowered for bad in HOSTILE)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_stored_hostile_url_is_neither_linked_nor_published(
    client, alice, published_with_hostile_url, url
):
    claim = published_with_hostile_url(url)

    public = client.get(pages.public_path(claim))
    assert public.status_code == 200
    page = public.content.decode()
    assert no_hostile_link(page)
    jsonld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert "url" not in jsonld["itemReviewed"].get("appearance", {})

    feed = client.get("/factchecks/feed.json")
    assert feed.status_code == 200 and no_hostile_link(feed.content.decode())
    atom = client.get("/factchecks/feed.atom")
    assert atom.status_code == 200 and no_hostile_link(atom.content.decode())

    (delivery,) = WebhookDelivery.objects.filter(claim=claim)
    assert no_hostile_link(json.dumps(delivery.payload))

    client.force_login(alice)
    for path in (f"/articles/{claim.article_id}/", f"/articles/{claim.article_id}/live/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert no_hostile_link(r.content.decode()), path


def test_a_good_url_is_still_linked_and_published(client, published_with_hostile_url):
    claim = published_with_hostile_url("https://news.example.com/labour")
    page = client.get(pages.public_path(claim)).content.decode()
    assert 'href="https://news.example.com/labour"' in page
    (delivery,) = WebhookDelivery.objects.filter(claim=claim)
    appearance = delivery.payload["claimReview"]["itemReviewed"]["appearance"]
    assert appearance["url"] == "https://news.example.com/labour"


def test_a_stored_hostile_evidence_link_is_not_clickable(client, alice, bob, make_claim):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    Evidence.objects.create(claim=claim, url="javascript:alert(1)", note="see", added_by=bob)
    client.force_login(alice)
    r = client.get(f"/claims/{claim.pk}/")
    assert r.status_code == 200
    assert 'href="javascript:' not in r.content.decode()


def test_a_webhook_body_never_carries_a_hostile_url_even_from_an_old_row(
    stand_in_internet,  # noqa: F811  (the imported fixture)
    alice,
    settings,
):
    public, canary, dns = stand_in_internet
    bodies = []

    def receive(handler):
        bodies.append(handler.rfile.read(int(handler.headers["Content-Length"])))
        handler.send_response(200)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    public.routes["/hooks"] = receive
    dns.answers["partner.test"] = ["127.0.0.1"]
    hook = Webhook.objects.create(url=f"http://partner.test:{public.port}/hooks", created_by=alice)
    appearance = {"@type": "CreativeWork", "url": "javascript:alert(1)", "headline": "H"}
    delivery = WebhookDelivery.objects.create(
        webhook=hook,
        event="claim.published",
        key="old-row",
        payload={
            "event": "claim.published",
            "claimReview": {
                "url": "https://checks.example.org/factchecks/1/",
                "itemReviewed": {"appearance": appearance},
            },
        },
    )
    assert webhooks.attempt_delivery(delivery.pk, auto_retry=False) == ("succeeded", 0)
    sent = json.loads(bodies[0])
    assert sent["claimReview"]["itemReviewed"]["appearance"] == {
        "@type": "CreativeWork",
        "headline": "H",
    }
    assert sent["claimReview"]["url"] == "https://checks.example.org/factchecks/1/"


# --- Encoded, and on the way out through the API -----------------------------

# What a browser follows once the string is put into HTML unescaped (by a
# partner's page built from our API or feed): entities decoded, then tabs and
# newlines dropped and controls stripped at the ends.
ENCODED = [
    "java&#x0a;script:alert(1)",
    "java&#10;script:alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "&#x6a;avascript:alert(1)",
    "&#106;&#97;vascript:alert(1)",
    "javascript&colon;alert(1)",
    "&amp;#x6a;avascript:alert(1)",  # encoded twice
    "\x01javascript:alert(1)",
    "&#x01;javascript:alert(1)",
    "data&#58;text/html,<script>alert(1)</script>",
    "vb&#x09;script:msgbox(1)",
    "java\nscript:alert(1)",
]


@pytest.mark.parametrize("text", ENCODED + HOSTILE)
def test_an_encoded_hostile_link_is_refused_as_a_url_and_as_a_source(text):
    from claims.net.safeurl import safe_source

    assert safe_http_url(text) == ""
    assert safe_source(text) == "", text


@pytest.mark.parametrize(
    "text", ["https://ons.gov.uk/a?b=1&amp;c=2", "Interview with the minister, 3 May", "ONS"]
)
def test_a_plain_source_or_an_http_link_stays(text):
    from claims.net.safeurl import safe_source

    assert safe_source(text) == text


def test_the_api_sends_links_and_sources_through_the_pages_filter(
    client, alice, bob, make_claim, generous_api_rates
):
    hostile = "java&#x0a;script:alert(1)"
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    Article.objects.filter(pk=claim.article_id).update(
        url=hostile,
        links=[{"href": hostile, "text": "x"}, {"href": "https://ok.example/", "text": "ok"}],
    )
    Claim.objects.filter(pk=claim.pk).update(links=[{"href": "javascript:alert(1)", "text": "y"}])
    Evidence.objects.create(claim=claim, url=hostile, note="see", added_by=bob)
    workflow.propose_verdict(
        claim,
        actor=bob,
        rating="false",
        conclusion="Not so.",
        sources=[hostile, "https://ons.gov.uk/x", "The minister's office, by phone"],
    )
    client.force_login(alice)
    article = client.get(f"/api/articles/{claim.article_id}/").json()
    assert article["url"] == ""
    assert [link["href"] for link in article["links"]] == ["", "https://ok.example/"]
    detail = client.get(f"/api/claims/{claim.pk}/").json()
    assert [link["href"] for link in detail["links"]] == [""]
    assert detail["evidence"][0]["url"] == ""
    assert detail["verdict"]["sources"] == [
        "https://ons.gov.uk/x",
        "The minister's office, by phone",
    ]
    listed = client.get("/api/articles/").json()["results"]
    assert listed[0]["url"] == ""
    for body in (json.dumps(article), json.dumps(detail)):
        assert "script:" not in body
