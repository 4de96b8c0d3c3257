"""Clusters and repeat alerts in a real browser (issue 17 item 7).

Three outlets report one fact: the editor sees every appearance on the cluster
page, changes the lead and splits a claim off. A claim the desk has already
published a verdict on comes back: the claim page and the desk say "Already
checked", one click adds it to the public fact-check and its ClaimReview. Every
page is axe-clean (no serious or critical violations) and fits a 390 px phone.

The claims arrive as in tests/test_clusters.py: real pages through
``submit_article`` and ``extract_and_store``, so the matcher clusters them.
"""

from __future__ import annotations

import json
import re

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from claims.intake import submission
from claims.models import Claim, ClaimCluster
from claims.publishing import pages
from claims.review import workflow

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = Claim.Status
PHONE = {"width": 390, "height": 844}
SAME = [
    "The Treasury said the deficit reached £3.5bn in 2023, its highest level since 1990.",
    "The deficit reached £3.5 billion in 2023, the highest level since 1990, the Treasury said.",
    "According to the Treasury, the deficit hit 3.5 billion pounds in 2023, its highest since 1990.",
]
OUTLETS = [
    ("Northern Gazette", "2024-03-04"),
    ("Harbour Evening Post", "2024-03-05"),
    ("Valley Courier", "2024-03-06"),
]


def _html(sentence, n):
    outlet, day = OUTLETS[n]
    title = f"Deficit story {n}"
    return (
        f"<html><head><title>{title}</title>"
        f"<meta property='og:title' content='{title}'>"
        f"<meta property='og:site_name' content='{outlet}'>"
        f"<meta property='og:url' content='https://news{n}.example.com/politics/deficit-{n}'>"
        f"<meta property='article:published_time' content='{day}T08:00:00Z'>"
        f"</head><body><article><h1>{title}</h1><p>{sentence}</p>"
        "<p>The weather was pleasant on the day of the announcement.</p></article></body></html>"
    ).encode()


def arrive(n, actor):
    article = submission.submit_article(actor=actor, html=_html(SAME[n], n)).article
    submission.extract_and_store(article)
    claim = Claim.objects.select_related("article").get(article=article, text__contains="deficit")
    return claim


def publish(claim, editor, reviewer):
    claim.refresh_from_db()
    if claim.status != S.ASSIGNED:
        workflow.assign(claim, reviewer, actor=editor)
    workflow.propose_verdict(claim, actor=reviewer, rating="false", conclusion="It was £2bn.")
    workflow.sign_off(claim, actor=editor)
    workflow.publish(claim, actor=editor)
    claim.refresh_from_db()
    return claim


def overflow(page) -> int:
    """How far the page reaches past a phone's width (0 when nothing scrolls sideways)."""
    return page.evaluate("document.scrollingElement.scrollWidth") - PHONE["width"]


def top_of(locator) -> float:
    """The element's distance from the top of the page, in CSS pixels."""
    return locator.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


def appearances_jsonld(page) -> list[dict]:
    """The ClaimReview's ``itemReviewed.appearance`` on a public page, always as a list."""
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    found = data["itemReviewed"].get("appearance", [])
    return found if isinstance(found, list) else [found]


# ---------------------------------------------------------------------------
# The cluster page


def test_the_editor_sees_every_appearance_changes_the_lead_and_splits_one_off(new_page, alice):
    # No reviewer is active, so the lead waits in the queue and may still change.
    claims = [arrive(n, alice) for n in range(3)]
    for c in claims:
        c.refresh_from_db()
    cluster = ClaimCluster.objects.get(pk=claims[0].cluster_id)
    assert {c.cluster_id for c in claims} == {cluster.pk} and cluster.lead_id == claims[0].pk
    assert claims[0].status in (S.EXTRACTED, S.QUEUED)

    page = new_page(alice)
    page.goto(f"/clusters/{cluster.pk}/")
    expect(page.locator("#cluster-count")).to_have_text("3 appearances")
    expect(page.locator("main")).to_contain_text("3 outlets")
    expect(page.locator("#cluster-lead")).to_have_text(f"Claim {claims[0].pk}")
    # The timeline: one heading per day, appearances oldest first.
    day = timezone.localdate()
    expect(page.locator("#timeline-h ~ h3 time")).to_have_attribute("datetime", day.isoformat())
    items = page.locator("ol.timeline > li")
    expect(items).to_have_count(3)
    for n, claim in enumerate(claims):
        item = page.locator(f"#appearance-{claim.pk}")
        expect(items.nth(n)).to_have_id(f"appearance-{claim.pk}")
        outlet, published = OUTLETS[n]
        expect(item).to_contain_text(outlet)
        expect(item.locator("time").first).to_have_text(
            dateformat.format(timezone.localtime(claim.created_at), "H:i")
        )
        expect(item).to_contain_text(
            "published " + dateformat.format(claim.article.published_date, "j M Y")
        )
        assert claim.claimant, "the matcher's claims carry a claimant"
        expect(item).to_contain_text(f"claimant {claim.claimant}")
        headline = item.get_by_role("link", name=f"Deficit story {n}")
        expect(headline).to_have_attribute("href", claim.article.url)
        assert claim.article.url.startswith(f"https://news{n}.example.com/")
        expect(item.get_by_role("link", name=f"Claim {claim.pk}")).to_have_attribute(
            "href", claim.get_absolute_url()
        )
    expect(page.locator(f"#appearance-{claims[0].pk} .badge", has_text="Lead")).to_have_count(1)
    assert axe_violations(page) == []

    # The clearest wording becomes the one reviewed for all three.
    page.get_by_role("button", name=f"Make lead: claim {claims[1].pk}", exact=True).click()
    expect(page.locator(".message.success")).to_have_text(
        f"Claim {claims[1].pk} now leads the cluster."
    )
    expect(page.locator("#cluster-lead")).to_have_text(f"Claim {claims[1].pk}")
    expect(page.locator(f"#appearance-{claims[1].pk} .badge", has_text="Lead")).to_have_count(1)
    expect(page.locator(f"#appearance-{claims[0].pk} .badge", has_text="Lead")).to_have_count(0)
    # The former lead is now reviewed through the new one, and may be split off.
    expect(
        page.get_by_role("button", name=f"Split off claim {claims[0].pk}: another fact", exact=True)
    ).to_be_visible()
    expect(
        page.get_by_role("button", name=f"Split off claim {claims[1].pk}: another fact", exact=True)
    ).to_have_count(0)

    # Another fact after all: the third appearance goes off into a cluster of its own.
    page.get_by_role(
        "button", name=f"Split off claim {claims[2].pk}: another fact", exact=True
    ).click()
    expect(page.locator(".message.success")).to_have_text(
        f"Claim {claims[2].pk} split off into a cluster of its own."
    )
    third = Claim.objects.get(pk=claims[2].pk)
    assert third.cluster_id != cluster.pk
    assert page.url.endswith(f"/clusters/{third.cluster_id}/")
    expect(page.locator("#cluster-count")).to_have_text("1 appearance")
    expect(page.locator("#cluster-lead")).to_have_text(f"Claim {third.pk}")
    page.goto(f"/clusters/{cluster.pk}/")
    expect(page.locator("#cluster-count")).to_have_text("2 appearances")
    expect(page.locator("ol.timeline > li")).to_have_count(2)
    expect(page.locator(f"#appearance-{third.pk}")).to_have_count(0)
    assert axe_violations(page) == []


def test_the_cluster_page_fits_a_phone_with_its_first_action_on_the_first_screen(new_page, alice):
    claims = [arrive(n, alice) for n in range(3)]
    claims[0].refresh_from_db()
    page = new_page(alice, **PHONE)
    page.goto(f"/clusters/{claims[0].cluster_id}/")
    expect(page.locator("ol.timeline > li")).to_have_count(3)
    assert overflow(page) <= 0, f"{overflow(page)} px wider than the phone"
    # The one review that covers them all is on the first screen (844 px).
    lead_link = page.locator("#cluster-lead")
    assert top_of(lead_link) + lead_link.bounding_box()["height"] <= PHONE["height"]
    # The editor's first decision, "Make lead" on the first appearance that is not the
    # lead, comes after the lead and that appearance, which the editor reads first:
    # at most a quarter of a screen of scrolling (1,055 px), not under the timeline.
    button = page.get_by_role("button", name=f"Make lead: claim {claims[1].pk}", exact=True)
    top = top_of(button)
    height = page.evaluate("document.scrollingElement.scrollHeight")
    print(
        f"cluster page at 390 px: lead link at {top_of(lead_link):.0f} px, Make lead at {top:.0f} px of {height} px"
    )
    bound = PHONE["height"] * 1.3  # the header (with its language link) is ~190 px
    screenshot(page, "cluster-phone")
    assert top + button.bounding_box()["height"] <= bound, f"Make lead at {top:.0f} px"


# ---------------------------------------------------------------------------
# The repeat alert


def test_a_repeat_of_a_published_verdict_is_flagged_and_added_in_one_click(new_page, alice, bob):
    lead = publish(arrive(0, alice), alice, bob)
    reader = new_page()
    reader.goto(pages.public_path(lead))
    expect(reader.locator("#rating")).to_have_text("False")
    expect(reader.locator("#appearances")).to_have_count(0)  # said in one place so far
    before = appearances_jsonld(reader)
    assert [a["headline"] for a in before] == ["Deficit story 0"]

    repeat = arrive(1, alice)
    repeat.refresh_from_db()
    assert repeat.repeat_of_id == lead.pk and repeat.assignee_id is None

    # The desk's badge counts it and leads to it.
    editor = new_page(alice)
    editor.goto("/")
    badge = editor.locator("#repeat-badge")
    expect(badge.locator("#n-repeats")).to_have_text("1")
    expect(badge).to_have_class(re.compile(r"\balert\b"))
    assert axe_violations(editor) == []
    badge.click()
    editor.get_by_role("link", name=re.compile("deficit reached £3.5 billion")).click()

    # The claim page says what the desk found, and when.
    alert = editor.locator("#repeat-alert")
    with translation.override("en"):  # the editor's desk is in English
        published_on = dateformat.format(timezone.localtime(lead.published_at), "j M")
    expect(alert).to_contain_text(f"Already checked: False, {published_on}")
    expect(alert.get_by_role("link", name=f"claim {lead.pk}")).to_have_attribute(
        "href", lead.get_absolute_url()
    )
    public_link = alert.get_by_role("link", name="public fact-check")
    expect(public_link).to_be_visible()
    assert axe_violations(editor) == []

    editor.get_by_role("button", name="Add this appearance to the fact-check").click()
    expect(editor.locator(".message.success")).to_have_text("Added to the published fact-check.")
    expect(editor.locator("#appearance-added")).to_contain_text("Listed on the fact-check since")
    expect(
        editor.get_by_role("button", name="Add this appearance to the fact-check")
    ).to_have_count(0)
    assert axe_violations(editor) == []
    editor.goto("/")
    expect(editor.locator("#n-repeats")).to_have_text("0")

    # The public fact-check and its ClaimReview grew by the new appearance.
    reader.goto(pages.public_path(lead))
    listed = reader.locator("#appearances li")  # "Also said in": beside the lead's own
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Deficit story 1")
    expect(listed).to_contain_text("Harbour Evening Post")
    expect(listed).to_contain_text("5 March 2024")
    expect(listed.get_by_role("link")).to_have_attribute("href", repeat.article.url)
    after = appearances_jsonld(reader)
    assert [a["headline"] for a in after] == ["Deficit story 0", "Deficit story 1"]
    assert after[1]["url"] == repeat.article.url
    assert after[1]["publisher"]["name"] == "Harbour Evening Post"
    assert axe_violations(reader) == []


def test_the_repeat_alert_and_the_public_page_fit_a_phone(new_page, alice, bob):
    lead = publish(arrive(0, alice), alice, bob)
    repeat = arrive(1, alice)
    editor = new_page(alice, **PHONE)
    editor.goto("/")
    assert overflow(editor) <= 0, f"desk: {overflow(editor)} px wider than the phone"
    # The badge is among the first cards, on the first screen.
    badge = editor.locator("#repeat-badge")
    assert top_of(badge) + badge.bounding_box()["height"] <= PHONE["height"]
    editor.goto(f"/claims/{repeat.pk}/")
    assert overflow(editor) <= 0, f"claim: {overflow(editor)} px wider than the phone"
    # The one-click action is in the alert at the top, on the first screen.
    button = editor.get_by_role("button", name="Add this appearance to the fact-check")
    top = top_of(button)
    print(f"Add this appearance at {top:.0f} px")
    screenshot(editor, "repeat-alert-phone")
    assert top + button.bounding_box()["height"] <= PHONE["height"], f"at {top:.0f} px"
    button.click()
    expect(editor.locator("#appearance-added")).to_be_visible()
    reader = new_page(**PHONE)
    reader.goto(pages.public_path(lead))
    expect(reader.locator("#appearances li")).to_have_count(1)
    assert overflow(reader) <= 0, f"public: {overflow(reader)} px wider than the phone"


def test_a_withdrawn_verdict_raises_no_alert(new_page, alice, bob):
    lead = publish(arrive(0, alice), alice, bob)
    flagged = arrive(1, alice)  # a repeat while the verdict was live
    editor = new_page(alice)
    editor.goto(f"/claims/{flagged.pk}/")
    expect(editor.locator("#repeat-alert")).to_be_visible()

    workflow.reopen(Claim.objects.get(pk=lead.pk), actor=alice, reason="New figures")
    later = arrive(2, alice)  # a repeat after the withdrawal
    later.refresh_from_db()
    assert later.repeat_of_id is None
    for claim in (flagged, later):
        editor.goto(f"/claims/{claim.pk}/")
        expect(editor.locator("#claim-text")).to_contain_text("deficit")
        expect(editor.locator("#repeat-alert")).to_have_count(0)
        expect(editor.locator("main")).not_to_contain_text("Already checked: False")
        expect(
            editor.get_by_role("button", name="Add this appearance to the fact-check")
        ).to_have_count(0)
    editor.goto("/")
    expect(editor.locator("#n-repeats")).to_have_text("0")
    expect(editor.locator("#repeat-badge")).not_to_have_class(re.compile(r"\balert\b"))
