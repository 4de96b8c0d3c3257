"""The editor's web app in a real browser: one article from submission to publication."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from claims.models import Claim

from .conftest import ARTIFACTS, ROOT, axe_violations, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

NEEDLES = ("six-page complaint", "almost 100 current and former staff", "In 2019 he was impeached")


def test_an_article_goes_from_submission_to_published_verdict(
    new_page, start_worker_later, seed_html, alice, bob
):
    # (1) Alice logs in and pastes the seed article. No worker is running yet, so
    # the article page shows the work waiting.
    editor = new_page()
    log_in(editor, "alice")
    expect(editor.get_by_role("heading", name="Desk")).to_be_visible()
    editor.get_by_role("link", name="Submit an article").click()
    screenshot(editor, "submit")
    editor.get_by_label("Paste the article's HTML").fill(seed_html.decode("utf-8"))
    editor.get_by_role("button", name="Submit").click()
    expect(editor.locator(".message.success")).to_contain_text("Article received")
    expect(editor.locator("#article-status")).to_contain_text("Working")
    editor.evaluate("window.__sameDocument = true")

    # (2) The worker starts; the page follows it without a reload.
    start_worker_later()
    expect(editor.locator("#article-status")).to_contain_text("Done:", timeout=30_000)
    assert editor.evaluate("window.__sameDocument === true"), "the page was reloaded"
    total = Claim.objects.count()
    assert total >= 3
    expect(editor.locator("#n-assigned")).to_have_text(str(total))
    expect(editor.locator("#claim-list > li")).to_have_count(total)
    expect(editor.locator('[data-step="assigned"]')).to_contain_text(f"{total} of {total}")

    # (3) The three claims are highlighted in place, described on focus.
    for needle in NEEDLES:
        mark = editor.locator("#article-body a.claim-mark", has_text=needle)
        expect(mark).to_have_count(1)
        expect(mark).to_have_class(re.compile(r"\bst-assigned\b"))
    staff = editor.locator("#article-body a.claim-mark", has_text=NEEDLES[1])
    staff.focus()
    tip = editor.locator("#" + staff.get_attribute("aria-describedby"))
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Score")
    screenshot(editor, "article")

    # (4) Bob, the only reviewer, finds the claim in his queue, adds evidence and
    # proposes a verdict.
    claim = Claim.objects.get(text__contains=NEEDLES[1])
    assert claim.assignee == bob
    reviewer = new_page()
    log_in(reviewer, "bob")
    reviewer.get_by_role("navigation", name="Main").get_by_role("link", name="My queue").click()
    reviewer.get_by_role("link", name=re.compile(NEEDLES[1])).first.click()
    expect(reviewer.locator("#claim-text")).to_contain_text(NEEDLES[1])
    reviewer.get_by_label("Evidence URL").fill("https://www.linkedin.com/posts/sofia-patel")
    reviewer.get_by_label("Note on this evidence").fill("Screenshot of the deleted post.")
    reviewer.get_by_role("button", name="Add evidence").click()
    expect(reviewer.locator(".message.success")).to_contain_text("Evidence added")
    expect(reviewer.locator("#evidence-list")).to_contain_text("linkedin.com")
    reviewer.get_by_label("Rating").select_option(label="Mostly true")
    reviewer.get_by_label("One-line conclusion").fill(
        "The post did say almost 100 staff were campaigning."
    )
    reviewer.get_by_role("button", name="Propose verdict").click()
    expect(reviewer.locator("#claim-status")).to_have_text("Verdict proposed")
    expect(reviewer.locator("#action-publish")).to_have_count(0)
    screenshot(reviewer, "claim-reviewer")

    # (5) Alice finds it waiting for sign-off, signs it off and publishes it.
    editor.goto("/")
    editor.locator("#waiting-signoff").get_by_role("link").first.click()
    expect(editor.locator("#claim-status")).to_have_text("Verdict proposed")
    screenshot(editor, "claim")
    editor.get_by_role("button", name="Sign off").click()
    expect(editor.locator("#claim-status")).to_have_text("Signed off")
    editor.get_by_role("button", name="Publish").click()
    expect(editor.locator(".message.success")).to_have_text("Published.")

    # (6) Published everywhere: claim page, article page, lists and desk.
    expect(editor.locator("#claim-status")).to_have_text("Published")
    expect(editor.locator("#claim-verdict")).to_contain_text("Mostly true")
    editor.locator(".crumbs a").click()
    mark = editor.locator("#article-body a.claim-mark", has_text=NEEDLES[1])
    expect(mark).to_have_class(re.compile(r"\bst-published\b"))
    expect(mark).to_contain_text("(claim, published)")
    expect(editor.locator(f'#claim-list li[data-claim="{claim.pk}"]')).to_contain_text("Published")
    editor.goto("/claims/?status=published")
    expect(editor.locator(".claims-table tbody tr")).to_have_count(1)
    expect(editor.locator(".claims-table tbody tr")).to_contain_text("Mostly true")
    cache.clear()  # the desk caches its charts for a minute; show them as they are now
    editor.goto("/")
    published_row = editor.locator("#claims-by-status tr", has_text="Published")
    expect(published_row.locator("td")).to_have_text("1")
    expect(editor.locator("#waiting-signoff")).to_contain_text("No verdicts waiting")
    path = screenshot(editor, "desk")
    if os.environ.get("UPDATE_README_SCREENSHOT"):  # refresh the README's picture
        (ROOT / "docs" / "screenshots").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / "screenshots" / "desk.png")
    reviewer.goto(f"/claims/{claim.pk}/")
    expect(reviewer.locator("#claim-status")).to_have_text("Published")

    # (7) Readers: the public fact-check page, with its ClaimReview, for anyone.
    reader = new_page()
    reader.goto(f"/factchecks/{claim.pk}/")
    expect(reader.get_by_text("almost 100 current and former staff").first).to_be_visible()
    expect(reader.get_by_text("Mostly true").first).to_be_visible()
    ld = json.loads(reader.locator('script[type="application/ld+json"]').text_content())
    assert ld["@type"] == "ClaimReview"
    assert ld["reviewRating"]["alternateName"] == "Mostly true"
    assert ld["reviewRating"]["ratingValue"] == 4
    assert axe_violations(reader) == []
    screenshot(reader, "public-factcheck")
    assert (ARTIFACTS / "article.png").exists()
