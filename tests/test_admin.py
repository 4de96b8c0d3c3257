"""The admin as the review desk, driven through the Django test client."""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimLog

S = Claim.Status
pytestmark = pytest.mark.django_db


def change_url(claim):
    return reverse("admin:claims_claim_change", args=[claim.pk])


def act(client, claim, action, follow=False, **data):
    """Press an action's button on the claim's admin page, as the page's form posts it."""
    fields = {f"{action}-{name}": value for name, value in data.items()}
    return client.post(act_url(claim, action), fields, follow=follow)


def act_url(claim, action):
    return reverse("admin:claims_claim_act", args=[claim.pk, action])


def test_anonymous_users_are_sent_to_the_admin_login(client, make_claim):
    claim = make_claim()
    for url in (
        reverse("admin:claims_claim_changelist"),
        change_url(claim),
        reverse("admin:claims_article_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_reviewer_sees_only_their_buttons(client, bob, make_claim):
    claim = make_claim(status=S.ASSIGNED, assignee=bob)
    client.force_login(bob)
    page = client.get(change_url(claim)).content.decode()
    assert 'value="start_review"' in page
    assert 'value="propose"' in page
    assert 'value="publish"' not in page
    assert 'value="assign"' not in page


def test_an_editor_sees_editor_buttons_and_not_reviewer_ones(client, alice, bob, make_claim):
    claim = make_claim(status=S.ASSIGNED, assignee=bob)
    client.force_login(alice)
    page = client.get(change_url(claim)).content.decode()
    assert 'value="assign"' in page and 'value="dismiss"' in page
    assert 'value="propose"' not in page and 'value="start_review"' not in page
    assert "<mark>" in page  # the claim's span highlighted in the article text


def test_a_reviewer_only_sees_their_own_claims(client, bob, carol, make_claim):
    mine = make_claim(status=S.ASSIGNED, assignee=bob, text="Mine has 5 things.")
    theirs = make_claim(status=S.ASSIGNED, assignee=carol, text="Theirs has 7 things.")
    waiting = make_claim(text="Nobody has 9 things yet.")
    client.force_login(bob)
    page = client.get(reverse("admin:claims_claim_changelist"), follow=True).content.decode()
    assert "Mine has 5 things." in page and "Theirs has 7 things." not in page
    assert "Nobody has 9 things yet." not in page  # his queue only, by default
    page = client.get(reverse("admin:claims_claim_changelist"), {"queue": "unassigned"})
    assert "Nobody has 9 things yet." in page.content.decode()
    assert client.get(change_url(waiting)).status_code == 200  # he may take it
    assert client.get(change_url(theirs)).status_code == 302  # admin redirects on no access
    assert client.get(change_url(mine)).status_code == 200


def test_editor_and_reviewer_take_a_seed_claim_through_the_admin(client, alice, bob, seed_html):
    from claims.intake import submission

    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(article)  # what the worker runs (tested in test_pipeline)
    claim = Claim.objects.get(article=article, text__contains="almost 100 current and former")
    client.force_login(alice)
    r = act(client, claim, "assign", reviewer=bob.pk, version=claim.version)
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.ASSIGNED and claim.assignee == bob

    client.force_login(bob)
    act(client, claim, "start_review", version=claim.version)
    claim.refresh_from_db()
    act(
        client,
        claim,
        "add_evidence",
        version=claim.version,
        url="https://example.org/post",
        note="archived",
    )
    claim.refresh_from_db()
    act(
        client,
        claim,
        "propose",
        version=claim.version,
        rating="mostly_true",
        conclusion="About right.",
        explanation="",
        sources="https://example.org/a",
    )
    claim.refresh_from_db()
    assert claim.status == S.PROPOSED
    # The reviewer may not publish their own verdict.
    r = act(client, claim, "publish", follow=True, version=claim.version)
    assert "permission to publish" in r.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.PROPOSED

    client.force_login(alice)
    act(client, claim, "sign_off", version=claim.version)
    claim.refresh_from_db()
    r = act(client, claim, "publish", follow=True, version=claim.version)
    claim.refresh_from_db()
    assert claim.status == S.PUBLISHED
    page = r.content.decode()
    assert "claim.published" in page  # the history on the claim page
    assert list(ClaimLog.objects.filter(claim=claim).values_list("action", flat=True)) == [
        "claim.extracted",
        "claim.assigned",
        "claim.review_started",
        "claim.evidence_added",
        "claim.verdict_proposed",
        "claim.signed_off",
        "claim.published",
    ]


def test_a_stale_button_press_is_refused_with_a_clear_message(client, alice, bob, make_claim):
    claim = make_claim(status=S.ASSIGNED, assignee=bob)
    seen = claim.version
    client.force_login(alice)
    act(client, claim, "set_priority", version=seen, priority=3)
    r = act(client, claim, "dismiss", follow=True, version=seen, reason="not_checkworthy")
    assert "Someone else changed this claim" in r.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.ASSIGNED and claim.priority == 3


def test_changelist_actions_report_successes_and_refusals(client, alice, bob, make_claim):
    ok = make_claim(status=S.ASSIGNED, assignee=bob)
    published = make_claim(status=S.PUBLISHED, assignee=bob)
    client.force_login(alice)
    r = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "dismiss_claims", "_selected_action": [ok.pk, published.pk]},
        follow=True,
    )
    page = r.content.decode()
    assert "Dismissed: 1 claim(s)." in page
    assert f"Refused #{published.pk}" in page
    ok.refresh_from_db(), published.refresh_from_db()
    assert ok.status == S.DISMISSED and published.status == S.PUBLISHED


def test_reviewers_do_not_get_editor_actions(client, bob, make_claim):
    make_claim()  # an unassigned claim bob could take
    client.force_login(bob)
    page = client.get(reverse("admin:claims_claim_changelist"), {"queue": "unassigned"})
    page = page.content.decode()
    assert "take_claims" in page
    assert "publish_claims" not in page and "dismiss_claims" not in page


def test_the_log_is_read_only_in_the_admin(client, root, alice, bob, make_claim):
    from claims.review import workflow

    claim = make_claim()
    entry = workflow.assign(claim, bob, actor=alice)
    client.force_login(root)
    url = reverse("admin:claims_claimlog_change", args=[entry.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"comment": "rewritten"})
    entry.refresh_from_db()
    assert entry.comment == ""
    assert client.get(reverse("admin:claims_claimlog_add")).status_code == 403
    assert client.get(reverse("admin:claims_claimlog_delete", args=[entry.pk])).status_code == 403


def test_an_editor_adds_an_article_in_the_admin_by_pasting_html(client, alice, seed_html):
    from claims.models import Article

    client.force_login(alice)
    url = reverse("admin:claims_article_add")
    assert client.get(url).status_code == 200
    r = client.post(url, {"url": "", "raw_html": seed_html.decode()})
    article = Article.objects.get()
    assert r.status_code == 302
    assert r["Location"] == reverse("admin:claims_article_change", args=[article.pk])
    assert article.submitted_by == alice and "six-page complaint" in article.text
    # The same article again is refused as a duplicate, not stored twice.
    r = client.post(url, {"url": "", "raw_html": seed_html.decode()}, follow=True)
    assert "already submitted" in r.content.decode()
    assert Article.objects.count() == 1
    # Unreadable input gets a clear message and stores nothing.
    r = client.post(url, {"url": "", "raw_html": "<script>x()</script>"}, follow=True)
    assert "no article text" in r.content.decode().lower()
    assert Article.objects.count() == 1
    # Only the one real addition is in the admin's own history.
    from django.contrib.admin.models import LogEntry

    assert list(LogEntry.objects.values_list("object_id", flat=True)) == [str(article.pk)]


def test_junk_in_admin_action_forms_is_refused_not_a_crash(client, alice, bob, make_claim):
    claim = make_claim(status=S.ASSIGNED, assignee=bob)
    client.force_login(alice)
    r = act(client, claim, "mark_duplicate", follow=True, version=claim.version, duplicate_of="abc")
    assert r.status_code == 200
    assert "Id of the original claim: Enter a whole number." in r.content.decode()
    r = act(
        client, claim, "mark_duplicate", follow=True, version=claim.version, duplicate_of="999999"
    )
    assert "There is no claim 999999." in r.content.decode()
    r = act(client, claim, "set_priority", follow=True, version=claim.version, priority="urgent!")
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.ASSIGNED and claim.priority == Claim.Priority.NORMAL


def test_a_reviewer_sees_only_the_history_and_article_claims_they_may_see(
    client, alice, bob, carol, make_claim
):
    from claims.review import workflow

    mine = make_claim(status=S.IN_REVIEW, assignee=bob, text="Mine: 3 apples.")
    theirs = make_claim(status=S.IN_REVIEW, assignee=carol, text="Theirs: 4 pears.")
    workflow.save_research_notes(mine, "my notes", actor=bob)
    workflow.save_research_notes(theirs, "their notes", actor=carol)
    client.force_login(bob)
    page = client.get(reverse("admin:claims_claimlog_changelist")).content.decode()
    assert "Mine: 3 apples." in page and "Theirs: 4 pears." not in page
    page = client.get(
        reverse("admin:claims_article_change", args=[theirs.article_id])
    ).content.decode()
    assert change_url(theirs) not in page  # the article, yes; carol's claim row, no
