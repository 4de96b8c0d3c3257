"""The triage inbox from the keyboard in a real browser: move, select, accept,
dismiss with a reason, in bulk; accessible (axe) and usable at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim, ClaimLog, Source
from claims.review import triage

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Claim.Status


@pytest.fixture
def inbox(make_claim):
    wire = Source.objects.create(name="Wire", url="https://wire.example.org/rss", beat="politics")
    claims = []
    for i in range(5):
        c = make_claim(
            status=S.TRIAGE,
            text=f"The minister said {i + 1}0,000 nurses were hired.",
            source=wire,
            beat="politics",
        )
        c.score = 0.5 + i / 10
        ranking = triage.priority(
            triage.signals_for(c, (1 + i % 2, i % 2), 1.0)  # some spreading
        )
        c.triage_priority, c.triage_reasons = ranking.value, ranking.reasons
        c.save()
        claims.append(c)
    return sorted(claims, key=lambda c: -c.triage_priority)


def status(claim):
    return Claim.objects.get(pk=claim.pk).status


def current_id(page):
    return int(page.locator(".triage-row.current").get_attribute("data-id"))


def test_an_editor_triages_from_the_keyboard(new_page, alice, bob, inbox):
    page = new_page(alice)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="To triage").click()
    page.wait_for_url("**/triage/")
    assert axe_violations(page) == []
    assert current_id(page) == inbox[0].pk  # the top claim is under the cursor
    assert inbox[0].triage_reasons in page.locator(".triage-row.current").inner_text()

    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard shortcuts").is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")

    page.keyboard.press("j")
    assert current_id(page) == inbox[1].pk
    page.keyboard.press("a")  # accept the second
    # The action reloads the page: wait for its message, not just any load state.
    expect(page.get_by_role("status")).to_contain_text("Accepted for review: 1 claim(s).")
    assert status(inbox[1]) == S.QUEUED
    assert current_id(page) == inbox[2].pk  # the cursor stays put: the next claim is under it

    page.keyboard.press("d")  # dismiss with a reason from the picker
    picker = page.get_by_role("dialog", name="Dismiss: why?")
    assert picker.is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("2")  # "Opinion, not a checkable fact"
    # The action reloads the page: wait for its message, not just any load state.
    expect(page.get_by_role("status")).to_contain_text("Dismissed: 1 claim(s).")
    dismissed = Claim.objects.get(pk=inbox[2].pk)
    assert (dismissed.status, dismissed.dismiss_reason) == (S.DISMISSED, "opinion")

    page.keyboard.press("k")
    page.keyboard.press("k")
    assert current_id(page) == inbox[0].pk
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("A")  # accept the two selected
    # The action reloads the page: wait for its message, not just any load state.
    expect(page.get_by_role("status")).to_contain_text("Accepted for review: 2 claim(s).")
    assert [status(c) for c in inbox] == [S.QUEUED, S.QUEUED, S.DISMISSED, S.QUEUED, S.TRIAGE]
    assert ClaimLog.objects.filter(actor=alice, action="claim.accepted").count() == 3

    page.keyboard.press("x")
    page.keyboard.press("D")  # bulk dismiss, reason picked with the mouse
    page.get_by_role("button", name="Outside our beat").click()
    page.wait_for_load_state()
    assert Claim.objects.get(pk=inbox[4].pk).dismiss_reason == "out_of_scope"
    assert "Nothing to triage" in page.content()
    assert axe_violations(page) == []


def test_the_inbox_works_at_phone_width_and_with_the_mouse(new_page, alice, inbox):
    page = new_page(alice, width=390, height=844)
    page.goto("/triage/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, "triage-390")
    page.get_by_role("button", name=f"Accept claim {inbox[0].pk}").click()
    page.wait_for_load_state()
    assert status(inbox[0]) == S.QUEUED
    page.get_by_label("Dismiss reason").select_option("already_covered")
    page.get_by_role("button", name=f"Dismiss claim {inbox[1].pk}").click()
    page.wait_for_load_state()
    assert Claim.objects.get(pk=inbox[1].pk).dismiss_reason == "already_covered"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
