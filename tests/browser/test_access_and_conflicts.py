"""Who may do what in the browser, and what happens when two people act at once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Verdict
from claims.review import workflow

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _proposed_claim(make_claim, reviewer):
    claim = make_claim(status="proposed", assignee=reviewer)
    claim.verdict = Verdict.objects.create(
        claim=claim, rating="false", conclusion="Not so.", proposed_by=reviewer
    )
    claim.save(update_fields=["verdict"])
    return claim


def test_anonymous_visitors_are_sent_to_log_in_from_every_page(new_page, make_claim):
    claim = make_claim()
    page = new_page()
    for path in (
        "/",
        "/articles/",
        "/articles/new/",
        f"/articles/{claim.article_id}/",
        "/claims/",
        "/claims/mine/",
        f"/claims/{claim.pk}/",
        "/accounts/password_change/",
    ):
        page.goto(path)
        assert page.url.split(page.url.split("/accounts/")[0], 1)[1].startswith(
            "/accounts/login/?next="
        ), path
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def test_a_reviewer_sees_no_editor_controls_and_a_forged_publish_is_refused(
    new_page, make_claim, bob
):
    claim = _proposed_claim(make_claim, bob)
    page = new_page(bob)
    page.goto(f"/claims/{claim.pk}/")
    expect(page.locator("#claim-status")).to_have_text("Verdict proposed")
    expect(page.locator("form.editor-only")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    expect(page.get_by_role("link", name="Submit an article")).to_have_count(0)
    # Forge the form an editor would see, with a valid CSRF token and version.
    page.evaluate(
        """([url, version]) => {
            const form = document.createElement('form');
            form.method = 'post'; form.action = url;
            const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
            for (const [k, v] of [['csrfmiddlewaretoken', token], ['publish-version', version]]) {
                const input = document.createElement('input');
                input.type = 'hidden'; input.name = k; input.value = v; form.append(input);
            }
            document.body.append(form); form.submit();
        }""",
        [f"/claims/{claim.pk}/act/publish/", str(claim.version)],
    )
    expect(page.locator("#action-error")).to_contain_text("You do not have permission to publish.")
    assert Claim.objects.get(pk=claim.pk).status == "proposed"
    # Nor may a reviewer open the submission form.
    response = page.goto("/articles/new/")
    assert response.status == 403


def test_a_stale_form_says_so_and_keeps_what_was_typed(new_page, make_claim, alice, bob):
    claim = make_claim(status="in_review", assignee=bob)
    reviewer, editor = new_page(bob), new_page(alice)
    reviewer.goto(f"/claims/{claim.pk}/")
    editor.goto(f"/claims/{claim.pk}/")

    reviewer.get_by_label("Rating").select_option(label="Half true")
    reviewer.get_by_label("One-line conclusion").fill("Half of it holds up.")
    reviewer.get_by_label("Explanation").fill("A long explanation typed with care.")

    # The editor acts first.
    editor.locator("#action-set_priority").get_by_label("Priority").select_option(label="Urgent")
    editor.locator("#action-set_priority").get_by_role("button", name="Set priority").click()
    expect(editor.locator(".message.success")).to_have_text("Priority set.")

    reviewer.get_by_role("button", name="Propose verdict").click()
    expect(reviewer.locator("#action-error")).to_contain_text("Someone else changed this claim")
    expect(reviewer.get_by_label("One-line conclusion")).to_have_value("Half of it holds up.")
    expect(reviewer.get_by_label("Explanation")).to_have_value(
        "A long explanation typed with care."
    )
    expect(reviewer.get_by_label("Rating")).to_have_value("half_true")
    assert Claim.objects.get(pk=claim.pk).status == "in_review"
    screenshot(reviewer, "stale-form")

    # Having looked, the reviewer submits again and it goes through.
    reviewer.get_by_role("button", name="Propose verdict").click()
    expect(reviewer.locator("#claim-status")).to_have_text("Verdict proposed")
    assert Claim.objects.get(pk=claim.pk).verdict.conclusion == "Half of it holds up."


def test_key_pages_have_no_serious_accessibility_violations(new_page, make_claim, alice, bob):
    claim = _proposed_claim(make_claim, bob)
    in_review = make_claim(
        status="in_review", assignee=bob, text="Prices rose by 12 percent last year."
    )
    workflow.add_evidence(in_review, actor=bob, url="https://example.org/stats", note="ONS")

    anonymous = new_page()
    anonymous.goto("/accounts/login/")
    pages = {"login": anonymous}
    editor = new_page(alice)
    found = {}
    for name, path in [
        ("login", None),
        ("desk", "/"),
        ("submit", "/articles/new/"),
        ("article", f"/articles/{claim.article_id}/"),
        ("claim", f"/claims/{claim.pk}/"),
        ("claims", "/claims/"),
        ("queue", "/claims/mine/"),
    ]:
        page = pages.get(name, editor)
        if path:
            page.goto(path)
        found[name] = axe_violations(page)
    reviewer = new_page(bob)
    reviewer.goto(f"/claims/{in_review.pk}/")
    found["claim (reviewer)"] = axe_violations(reviewer)
    assert not any(found.values()), found


def test_pages_fit_a_phone_screen(new_page, make_claim, alice, bob):
    claim = _proposed_claim(make_claim, bob)
    page = new_page(alice, width=375, height=740)
    for path in ("/", f"/articles/{claim.article_id}/", f"/claims/{claim.pk}/", "/claims/"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, (path, overflow)
    screenshot(page, "claims-phone")


def test_workflow_buttons_work_from_the_keyboard(new_page, make_claim, alice, bob):
    claim = _proposed_claim(make_claim, bob)
    page = new_page(alice)
    page.goto(f"/claims/{claim.pk}/")
    button = page.get_by_role("button", name="Sign off")
    button.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#claim-status")).to_have_text("Signed off")
