"""The review screens in a real browser: the next step first, a rating the
reviewer must choose, the public link after publishing, and every page accessible
(axe-core: no serious or critical violations) and free of sideways scrolling at 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim, ClaimCluster
from claims.publishing import pages
from claims.review import workflow

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_URL = "https://www.ons.gov.uk/employmentandlabourmarket/peopleinwork/" + "x" * 150


def _published(make_claim, alice, bob, **kw):
    claim = make_claim(status="in_review", assignee=bob, **kw)
    workflow.add_evidence(claim, actor=bob, url=LONG_URL, note="Labour market statistics")
    workflow.propose_verdict(
        claim,
        actor=bob,
        rating="mostly_false",
        conclusion="Not quite.",
        explanation="The figure leaves out part-time staff.",
        sources=[LONG_URL, "Interview with the press office"],
    )
    workflow.sign_off(claim, actor=alice)
    workflow.publish(claim, actor=alice)
    return claim


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_a_verdict_goes_from_proposed_through_sign_off_to_its_public_page(
    new_page, make_claim, alice, bob, settings
):
    settings.FACTCHECK_ORGANIZATION_NAME = "Riverside Checks"
    claim = make_claim(
        status="in_review", assignee=bob, entities=[{"text": "Ohio", "label": "GPE"}]
    )
    reviewer = new_page(bob)
    reviewer.goto(f"/claims/{claim.pk}/")
    expect(reviewer.locator("#claim-entities")).to_contain_text("Ohio (place)")
    # The rating starts empty, and the browser will not send the form without one.
    rating = reviewer.locator("#next-step").get_by_label("Rating")
    expect(rating).to_have_value("")
    reviewer.get_by_label("One-line conclusion").fill("Roughly right.")
    reviewer.get_by_label("Sources, one URL a line").fill(LONG_URL + "\nThe press office")
    reviewer.get_by_role("button", name="Propose verdict").click()
    assert reviewer.evaluate("document.querySelector('#id_propose-rating').validity.valueMissing")
    assert Claim.objects.get(pk=claim.pk).status == "in_review"
    rating.select_option(label="Mostly true")
    reviewer.get_by_role("button", name="Propose verdict").click()
    expect(reviewer.locator("#claim-status")).to_have_text("Verdict proposed")

    editor = new_page(alice)
    editor.goto(f"/claims/{claim.pk}/")
    # Sign-off is the one primary step; publishing is not offered yet.
    expect(editor.locator("#publish-rule")).to_contain_text("signs it off")
    expect(editor.locator("#next-step button")).to_have_text("Sign off")
    expect(editor.locator("#next-step button")).to_have_class("primary")
    expect(editor.get_by_role("button", name="Publish")).to_have_count(0)
    expect(editor.locator(".secondary-action button").first).to_have_class("secondary")
    # The sources given with the verdict are on the desk's claim page.
    expect(editor.locator("ul.sources")).to_contain_text("The press office")
    expect(editor.locator("ul.sources a")).to_have_attribute("href", LONG_URL)
    expect(editor.locator(".verdict-state")).to_have_text("Proposed by bob · waiting for sign-off")
    editor.locator("#next-step").get_by_role("button", name="Sign off").click()
    expect(editor.locator("#claim-status")).to_have_text("Signed off")
    expect(editor.locator("#next-step button")).to_have_text("Publish")
    editor.locator("#next-step").get_by_role("button", name="Publish").click()
    expect(editor.locator(".message.success")).to_have_text("Published.")
    link = editor.locator("#public-link")
    expect(link).to_have_attribute("href", pages.public_path(claim))
    link.click()
    expect(editor.locator("#rating")).to_have_text("Mostly true")
    expect(editor.locator("header")).to_contain_text("Riverside Checks")


def test_a_reviewers_desk_shows_only_their_work(new_page, make_claim, alice, bob, carol):
    make_claim(status="proposed", assignee=carol)
    page = new_page(bob)
    page.goto("/")
    expect(page.get_by_role("heading", name="Desk")).to_be_visible()
    expect(page.locator("#n-signoff")).to_have_count(0)
    expect(page.get_by_role("heading", name="Verdicts waiting for sign-off")).to_have_count(0)
    nav = page.get_by_role("navigation", name="Elsewhere")
    for name in ("Public fact-checks", "Atom feed", "JSON feed", "API docs", "Admin"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()


def _all_pages(make_claim, alice, bob):
    published = _published(
        make_claim,
        alice,
        bob,
        speaker="",
        text="Almost 100 current and former staff were campaigning.",
    )
    proposed = make_claim(
        status="in_review",
        assignee=bob,
        text="Prices rose by 12 percent last year.",
        entities=[{"text": "Ohio", "label": "GPE"}],
        numbers=[{"text": "12 percent", "value": 12.0, "unit": "%"}],
    )
    workflow.propose_verdict(
        proposed, actor=bob, rating="false", conclusion="No.", sources=[LONG_URL]
    )
    editor_pages = [
        ("desk", "/"),
        ("articles", "/articles/"),
        ("submit", "/articles/new/"),
        ("article", f"/articles/{published.article_id}/"),
        ("claim (published)", f"/claims/{published.pk}/"),
        ("claim (proposed)", f"/claims/{proposed.pk}/"),
        ("claims", "/claims/"),
        ("queue", "/claims/mine/"),
    ]
    public_pages = [
        ("public index", "/factchecks/"),
        ("public claim", pages.public_path(published)),
        ("login", "/accounts/login/"),
    ]
    return published, proposed, editor_pages, public_pages


def test_every_page_has_no_serious_accessibility_violations(new_page, make_claim, alice, bob):
    published, proposed, editor_pages, public_pages = _all_pages(make_claim, alice, bob)
    found = {}
    editor, reviewer, reader = new_page(alice), new_page(bob), new_page()
    for name, path in editor_pages:
        editor.goto(path)
        found[name] = axe_violations(editor)
    for name, path in [("reviewer desk", "/"), ("reviewer claim", f"/claims/{proposed.pk}/")]:
        reviewer.goto(path)
        found[name] = axe_violations(reviewer)
    for name, path in public_pages:
        reader.goto(path)
        found[name] = axe_violations(reader)
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_every_page_fits_a_390_px_phone(new_page, make_claim, alice, bob):
    published, proposed, editor_pages, public_pages = _all_pages(make_claim, alice, bob)
    wide = {}
    editor, reader = new_page(alice, width=390, height=844), new_page(width=390, height=844)
    for name, path in editor_pages:
        editor.goto(path)
        if _overflow(editor) > 1:
            wide[name] = _overflow(editor)
    for name, path in public_pages:
        reader.goto(path)
        if _overflow(reader) > 1:
            wide[name] = _overflow(reader)
    assert wide == {}
    reader.goto(pages.public_path(published))
    expect(reader.locator("main a", has_text="ons.gov.uk")).to_be_visible()
    screenshot(reader, "public-factcheck-phone")
    editor.goto(f"/claims/{proposed.pk}/")
    screenshot(editor, "claim-phone")


def test_the_favicon_is_served_for_the_desk_and_the_public_pages(new_page, make_claim, alice, bob):
    published = _published(make_claim, alice, bob)
    for user, path in [(alice, "/"), (None, pages.public_path(published))]:
        page = new_page(user)
        page.goto(path)
        href = page.locator('link[rel="icon"]').get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200 and "svg" in response.headers["content-type"]


def test_the_admin_pages_have_no_serious_accessibility_violations(
    new_page, make_claim, alice, bob, root
):
    claim = _published(
        make_claim,
        alice,
        bob,
        entities=[{"text": "Ohio", "label": "GPE"}],
        numbers=[{"text": "12 percent", "value": 12.0, "unit": "%"}],
    )
    cluster = ClaimCluster.objects.create(lead=claim, size=2)
    attached = make_claim(text="Unemployment rose 12 percent in Ohio.")
    Claim.objects.filter(pk__in=[claim.pk, attached.pk]).update(cluster=cluster)
    page = new_page(root)
    found = {}
    for name, path in [
        ("admin index", "/admin/"),
        ("admin claims", "/admin/claims/claim/"),
        ("admin claim", f"/admin/claims/claim/{claim.pk}/change/"),
        ("admin article", f"/admin/claims/article/{claim.article_id}/change/"),
        ("admin clusters", "/admin/claims/claimcluster/"),
        ("admin cluster", f"/admin/claims/claimcluster/{cluster.pk}/change/"),
    ]:
        page.goto(path)
        found[name] = axe_violations(page)
    expect(page.locator("body")).not_to_contain_text('"href"')  # links shown, not JSON
    assert not any(found.values()), {k: v for k, v in found.items() if v}


def test_on_a_phone_the_reviewers_next_step_comes_first(new_page, make_claim, bob):
    """A 390 px phone: "Start review" sits near the top of the claim page, not
    under the context, research, similar claims and history (it was 2,730 px down)."""
    claim = make_claim(status="assigned", assignee=bob)
    page = new_page(bob, width=390, height=844)
    page.goto(f"/claims/{claim.pk}/")
    button = page.locator("#next-step button[type=submit]")
    assert button.inner_text().strip() == "Start review"
    top = button.bounding_box()["y"]
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"Start review at {top:.0f} px of {height} px")
    assert top < 844, f"Start review is {top:.0f} px down a {height} px page"
    # The claim itself still comes before it.
    assert page.locator("#claim-text").bounding_box()["y"] < top
