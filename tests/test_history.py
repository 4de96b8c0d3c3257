"""The history keeps everything: verdict and claim move together, a
withdrawal is public, research notes keep every revision, the database refuses to
rewrite the log, history cannot be orphaned, and "reviewer" means one thing.

Runs on SQLite and on PostgreSQL: ``bin/test-postgres tests/test_history.py``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from claims import roles
from claims.models import (
    Article,
    ArticleLog,
    AuditLog,
    Claim,
    ClaimLog,
    ResearchNoteRevision,
    Verdict,
    Webhook,
    WebhookDelivery,
)
from claims.publishing import pages, webhooks
from claims.review import workflow
from tests.test_webhooks import Receiver

S = Claim.Status
V = Verdict.State
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def proposed(make_claim, bob, text="Almost 100 staff campaigned in North Carolina."):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob, text=text, speaker="Sofia Patel")
    workflow.propose_verdict(
        claim, actor=bob, rating="mostly_true", conclusion="The post did say almost 100."
    )
    return claim


def published(make_claim, alice, bob, **kw):
    claim = proposed(make_claim, bob, **kw)
    workflow.sign_off(claim, actor=alice)
    workflow.publish(claim, actor=alice)
    return claim


def verdict_state(claim):
    return Verdict.objects.get(pk=claim.verdict_id).state if claim.verdict_id else None


# ---------------------------------------------------------------------------
# 1. Verdict state cannot drift from claim state


# Written out by hand from the product rules, not read from workflow.VERDICT_STATES.
LIVE_VERDICT_FOR = {S.PROPOSED: V.PROPOSED, S.APPROVED: V.APPROVED, S.PUBLISHED: V.PUBLISHED}


def assert_in_step(claim):
    claim = Claim.objects.get(pk=claim.pk)
    state = verdict_state(claim)
    if claim.status in LIVE_VERDICT_FOR:
        assert state == LIVE_VERDICT_FOR[claim.status], (claim.status, state)
    else:
        assert state in (None, V.SENT_BACK, V.WITHDRAWN), (claim.status, state)


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["dismiss", "mark_duplicate"])
def test_dismissing_a_signed_off_claim_withdraws_its_verdict(how, make_claim, alice, bob):
    claim = proposed(make_claim, bob)
    workflow.sign_off(claim, actor=alice)
    assert verdict_state(claim) == V.APPROVED
    if how == "dismiss":
        workflow.dismiss(claim, actor=alice, comment="Opinion after all.")
    else:
        workflow.mark_duplicate(claim, make_claim(text="The original."), actor=alice)
    claim.refresh_from_db()
    assert claim.status == S.DISMISSED
    assert verdict_state(claim) == V.WITHDRAWN
    entry = ClaimLog.objects.filter(claim=claim).last()
    assert entry.actor == alice and entry.data["verdict_state"] == [V.APPROVED, V.WITHDRAWN]
    # ...and the withdrawn verdict can never be published from there.
    assert not workflow.can("publish", claim, alice)


@pytest.mark.django_db
def test_a_transition_that_would_part_claim_and_verdict_is_refused(make_claim, alice, bob):
    """The guard in workflow.write_change: a transition that forgets the verdict fails
    loudly and changes nothing, rather than leaving an approved verdict on a
    dismissed claim."""
    claim = proposed(make_claim, bob)
    workflow.sign_off(claim, actor=alice)
    before = ClaimLog.objects.count()
    with pytest.raises(workflow.InvalidState, match="dismissed with a verdict that is signed"):
        with transaction.atomic():
            workflow.write_change(claim, actor=alice, action="dismissed", to_status=S.DISMISSED)
    claim.refresh_from_db()
    assert claim.status == S.APPROVED and ClaimLog.objects.count() == before


@pytest.mark.django_db
def test_every_allowed_transition_keeps_claim_and_verdict_in_step(make_claim, alice, bob, carol):
    from tests.test_workflow import EXPECTED, claim_in

    original = make_claim(text="The original claim.")
    args = {
        "assign": lambda c, u: workflow.assign(c, carol, actor=u),
        "accept": lambda c, u: workflow.accept(c, actor=u),
        "take": lambda c, u: workflow.take(c, actor=u),
        "start_review": lambda c, u: workflow.start_review(c, actor=u),
        "edit_research": lambda c, u: workflow.save_research_notes(c, "n", actor=u),
        "propose": lambda c, u: workflow.propose_verdict(
            c, actor=u, rating="false", conclusion="No."
        ),
        "send_back": lambda c, u: workflow.send_back(c, actor=u, comment="More."),
        "sign_off": lambda c, u: workflow.sign_off(c, actor=u),
        "publish": lambda c, u: workflow.publish(c, actor=u),
        "reopen": lambda c, u: workflow.reopen(c, actor=u, reason="New evidence."),
        "dismiss": lambda c, u: workflow.dismiss(c, actor=u),
        "mark_duplicate": lambda c, u: workflow.mark_duplicate(c, original, actor=u),
        "requeue": lambda c, u: workflow.requeue(c, actor=u),
        "set_priority": lambda c, u: workflow.set_priority(c, 2, actor=u),
    }
    assert set(args) == set(EXPECTED)
    done = 0
    for action, (personas, states) in EXPECTED.items():
        actor = alice if "alice" in personas else bob
        for state in states:
            claim = claim_in(state, make_claim, bob)
            args[action](claim, actor)
            assert_in_step(claim)
            done += 1
    assert done > 30


# ---------------------------------------------------------------------------
# 2. A withdrawn or corrected fact-check says so


@pytest.mark.django_db
def test_reopening_asks_for_a_reason_in_workflow_api_and_form(client, make_claim, alice, bob):
    claim = published(make_claim, alice, bob)
    with pytest.raises(workflow.WorkflowError, match="reason"):
        workflow.reopen(claim, actor=alice, reason="  ")
    client.force_login(alice)
    r = client.post(
        f"/api/claims/{claim.pk}/actions/reopen/",
        json.dumps({"version": claim.version}),
        content_type="application/json",
    )
    assert r.status_code == 400 and "reason" in r.content.decode()
    r = client.post(f"/claims/{claim.pk}/act/reopen/", {"reopen-version": claim.version})
    claim.refresh_from_db()
    assert claim.status == S.PUBLISHED  # nothing happened without a reason
    r = client.post(
        f"/api/claims/{claim.pk}/actions/reopen/",
        json.dumps({"version": claim.version, "reason": "The figure was 90."}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    claim.refresh_from_db()
    assert claim.withdrawal_reason == "The figure was 90." and claim.withdrawn_at


@pytest.mark.django_db
def test_a_withdrawn_fact_check_keeps_its_page_with_a_notice(client, make_claim, alice, bob):
    claim = published(make_claim, alice, bob)
    path = pages.public_path(claim)
    workflow.reopen(claim, actor=alice, reason="The archived post was edited later.")
    r = client.get(path)
    assert r.status_code == 200
    page = r.content.decode()
    assert "This fact-check was withdrawn on" in page
    assert timezone.localdate().strftime("%-d %B %Y") in page
    assert "The archived post was edited later." in page
    assert '<meta name="robots" content="noindex">' in page and r["X-Robots-Tag"] == "noindex"
    # The withdrawn rating is no longer offered as ours, to people or to search engines.
    assert '<script type="application/ld+json">' not in page and "Mostly true" not in page
    # Still true of claims never published: they do not exist in public.
    assert client.get(f"/factchecks/{make_claim().pk}-x/").status_code == 404


@pytest.mark.django_db
def test_the_feeds_carry_the_withdrawal(client, make_claim, alice, bob):
    kept = published(make_claim, alice, bob, text="Kept: 200 staff campaigned.")
    gone = published(make_claim, alice, bob, text="Gone: 100 staff campaigned.")
    etag = client.get("/factchecks/feed.json")["ETag"]
    workflow.reopen(gone, actor=alice, reason="Wrong post quoted.")

    r = client.get("/factchecks/feed.json")
    assert r["ETag"] != etag  # the change is seen, not served from cache
    elements = r.json()["dataFeedElement"]
    assert [e["@type"] for e in elements] == ["DataFeedItem", "ClaimReview"]
    withdrawn = elements[0]
    assert withdrawn["dateDeleted"] == timezone.localdate().isoformat()
    assert withdrawn["item"]["url"] == pages.public_url(gone)
    assert withdrawn["item"]["correction"]["text"] == "Withdrawn: Wrong post quoted."
    assert elements[1]["claimReviewed"] == kept.text

    atom = ET.fromstring(client.get("/factchecks/feed.atom").content)
    entries = atom.findall(f"{ATOM}entry")
    assert entries[0].find(f"{ATOM}title").text == f"Withdrawn: {gone.text}"
    assert "Wrong post quoted." in entries[0].find(f"{ATOM}summary").text
    assert entries[0].find(f"{ATOM}id").text == pages.public_url(gone)
    assert entries[1].find(f"{ATOM}title").text.startswith("Mostly true")
    # The public index lists it as withdrawn too.
    index = client.get("/factchecks/").content.decode()
    assert "Withdrawn" in index and "Wrong post quoted." in index


@pytest.mark.django_db
def test_partners_get_a_factcheck_withdrawn_webhook(settings, loopback, make_claim, alice, bob):
    settings.FETCH_ALLOW_PRIVATE = True  # the receiver is on 127.0.0.1
    receiver = loopback(cls=Receiver)
    hook = Webhook.objects.create(url=receiver.url, created_by=alice)
    assert hook.wants(webhooks.EVENT_FACTCHECK_WITHDRAWN)  # on by default
    claim = published(make_claim, alice, bob)
    entry = workflow.reopen(claim, actor=alice, reason="Wrong post quoted.")
    delivery = WebhookDelivery.objects.get(event="factcheck.withdrawn")
    assert delivery.key == f"{hook.pk}:{entry.pk}"
    assert webhooks.enqueue_factcheck_withdrawn(claim, entry) == []  # idempotent
    assert webhooks.attempt_delivery(delivery.pk)[0] == "succeeded"
    request = receiver.requests[-1]
    headers, body = request.headers, request.body
    assert headers["x-factcheck-event"] == "factcheck.withdrawn"
    assert webhooks.verify_signature(hook.secret, body, headers["x-factcheck-signature"])
    sent = json.loads(body)
    assert sent["reason"] == "Wrong post quoted."
    assert sent["url"] == pages.public_url(claim)
    assert sent["dataFeedItem"]["dateDeleted"] == timezone.localdate().isoformat()


@pytest.mark.django_db
def test_a_republished_fact_check_is_a_correction(client, make_claim, alice, bob):
    claim = published(make_claim, alice, bob)
    first = timezone.now() - timedelta(days=10)
    Claim.objects.filter(pk=claim.pk).update(published_at=first, first_published_at=first)
    claim.refresh_from_db()
    workflow.reopen(claim, actor=alice, reason="The figure was 90, not 100.")
    workflow.propose_verdict(claim, actor=bob, rating="half_true", conclusion="About 90.")
    workflow.sign_off(claim, actor=alice)
    workflow.publish(claim, actor=alice)
    claim.refresh_from_db()

    review = pages.claimreview(claim)
    assert review["datePublished"] == timezone.localdate(first).isoformat()
    assert review["dateModified"] == timezone.localdate().isoformat()
    assert review["correction"] == {
        "@type": "CorrectionComment",
        "text": "The figure was 90, not 100.",
        "datePublished": timezone.localdate().isoformat(),
    }
    assert review["reviewRating"]["alternateName"] == "Half true"
    page = client.get(pages.public_path(claim)).content.decode()
    assert "Corrected on" in page and "The figure was 90, not 100." in page
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert ld == review
    assert (
        ClaimLog.objects.filter(claim=claim, action="claim.published").last().data["correction"]
        is True
    )
    # A first publication is no correction.
    fresh = pages.claimreview(published(make_claim, alice, bob, text="Fresh claim."))
    assert "correction" not in fresh and "dateModified" not in fresh


# ---------------------------------------------------------------------------
# 3. Research notes keep every revision


@pytest.mark.django_db
def test_every_revision_of_the_research_notes_is_kept(client, make_claim, alice, bob):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    versions = ["Called the press office.", "Press office says 97.", ""]
    for text in versions:
        workflow.save_research_notes(claim, text, actor=bob)
    workflow.save_research_notes(claim, "Alice: check the FEC filing.", actor=alice)
    revisions = list(ResearchNoteRevision.objects.filter(claim=claim))
    assert [r.text for r in revisions] == [*versions, "Alice: check the FEC filing."]
    assert [r.author for r in revisions] == [bob, bob, bob, alice]
    entries = ClaimLog.objects.filter(claim=claim, action="claim.notes_saved")
    assert [e.data["revision"] for e in entries] == [r.pk for r in revisions]
    claim.refresh_from_db()
    assert claim.research_notes == "Alice: check the FEC filing."
    # The claim page shows the earlier versions.
    client.force_login(alice)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    history = page[page.index('id="notes-history"') :]
    assert "Called the press office." in history and "Press office says 97." in history


@pytest.mark.django_db
def test_a_refused_notes_save_keeps_no_revision(make_claim, bob, carol):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    stale = Claim.objects.get(pk=claim.pk)
    workflow.save_research_notes(claim, "First.", actor=bob)
    with pytest.raises(workflow.StaleClaim):
        workflow.save_research_notes(stale, "Overwrites unseen.", actor=bob)
    with pytest.raises(workflow.NotAllowed):
        workflow.save_research_notes(claim, "Not mine.", actor=carol)
    assert list(ResearchNoteRevision.objects.values_list("text", flat=True)) == ["First."]


# ---------------------------------------------------------------------------
# 4. The database refuses to rewrite history, and history cannot be orphaned


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_database_refuses_to_update_or_delete_history(make_claim, alice, bob):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    entry = workflow.save_research_notes(claim, "Notes.", actor=bob)
    AuditLog.objects.create(action="webhook.created", actor=alice, object_id="1")
    ArticleLog.objects.create(article=claim.article, action="article.extracted")
    tables = (
        "claims_claimlog",
        "claims_researchnoterevision",
        "claims_auditlog",
        "claims_articlelog",
    )
    for table in tables:
        with pytest.raises(IntegrityError, match="append-only"):
            _raw(f"UPDATE {table} SET created_at = %s", [timezone.now()])
        with pytest.raises(IntegrityError, match="append-only"):
            _raw(f"DELETE FROM {table}")
    assert ClaimLog.objects.get(pk=entry.pk).data["length"] == len("Notes.")
    assert ResearchNoteRevision.objects.get().text == "Notes."
    assert AuditLog.objects.count() == 1
    assert ArticleLog.objects.filter(action="article.extracted").count() == 1
    # Adding history is of course allowed.
    _raw(
        "INSERT INTO claims_auditlog (action, object_type, object_id, object_repr, data,"
        " created_at) VALUES ('test.raw', '', '', '', '{}', %s)",
        [timezone.now()],
    )
    assert AuditLog.objects.count() == 2


@pytest.mark.django_db
def test_a_claim_or_article_with_history_cannot_be_deleted(make_claim, alice, bob):
    claim = make_claim()
    workflow.assign(claim, bob, actor=alice)
    with pytest.raises(ProtectedError):
        claim.delete()
    with pytest.raises(ProtectedError):
        claim.article.delete()
    with pytest.raises(ProtectedError):
        Article.objects.filter(pk=claim.article_id).delete()
    assert Claim.objects.filter(pk=claim.pk).exists()
    # A claim nobody touched has no history and may go.
    untouched = make_claim()
    untouched.article.delete()
    assert not Claim.objects.filter(pk=untouched.pk).exists()


@pytest.mark.django_db
def test_the_admin_refuses_to_delete_history_and_still_shows_it(
    client, make_claim, alice, bob, root
):
    claim = make_claim()
    workflow.assign(claim, bob, actor=alice)
    client.force_login(root)
    for url in (
        f"/admin/claims/claim/{claim.pk}/delete/",
        f"/admin/claims/article/{claim.article_id}/delete/",
    ):
        r = client.post(url, {"post": "yes"})
        assert r.status_code == 200, url  # the confirmation page, not a redirect
        page = r.content.decode()
        assert "Cannot delete" in page and "claims with history are kept" in page
    r = client.post(
        "/admin/claims/article/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [claim.article_id]},
    )
    assert "claims with history are kept" in r.content.decode()
    assert Claim.objects.filter(pk=claim.pk).exists()
    log = client.get("/admin/claims/claimlog/").content.decode()
    assert "claim.assigned" in log
    page = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "claim.assigned" in page


# ---------------------------------------------------------------------------
# 6. "Reviewer" is defined once


@pytest.mark.django_db
def test_who_is_a_reviewer_is_one_rule(alice, bob, carol, dave, root, make_claim):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    User = get_user_model()
    direct = User.objects.create_user("erin")
    direct.user_permissions.add(Permission.objects.get(codename="review_claim"))
    reviewing_root = User.objects.create_user("rita", is_superuser=True)
    reviewing_root.groups.add(Group.objects.get(name="Reviewers"))
    gone = User.objects.create_user("gary", is_active=False)
    gone.groups.add(Group.objects.get(name="Reviewers"))
    people = [alice, bob, carol, dave, root, direct, reviewing_root, gone]

    in_sql = set(roles.active_reviewers().values_list("username", flat=True))
    in_python = {u.username for u in people if roles.is_reviewer(User.objects.get(pk=u.pk))}
    assert in_sql == in_python == {"bob", "carol", "erin", "rita"}
    # workflow and assignment use that rule: root can act on a claim, but is not a
    # reviewer to hand work to.
    assert workflow.is_reviewer is roles.is_reviewer
    with pytest.raises(workflow.WorkflowError, match="not an active reviewer"):
        workflow.assign(make_claim(), root, actor=alice)
    workflow.assign(make_claim(), reviewing_root, actor=alice)


# ---------------------------------------------------------------------------
# 5. Webhook configuration changes are audited with their actor


def _audit_rows():
    return [
        (a.action, a.actor.username, a.object_id, a.data.get("changed"))
        for a in AuditLog.objects.select_related("actor")
    ]


@pytest.mark.django_db
def test_webhook_changes_in_the_admin_are_audited(client, settings, alice):
    settings.FETCH_ALLOW_PRIVATE = False
    client.force_login(alice)
    url = "https://93.184.215.14/hooks"  # a public address, so no DNS lookup
    r = client.post(
        "/admin/claims/webhook/add/",
        {
            "url": url,
            "description": "Partner",
            "events": ["claim.published"],
            "active": "on",
            "new_secret": "s3cret-value-long-enough",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    hook = Webhook.objects.get()
    assert hook.created_by == alice
    r = client.post(
        f"/admin/claims/webhook/{hook.pk}/change/",
        {
            "url": url,
            "description": "Partner",
            "events": ["claim.published"],
            "new_secret": "another-secret-value-xx",
        },
    )  # switched off, new secret
    assert r.status_code == 302
    r = client.post(f"/admin/claims/webhook/{hook.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not Webhook.objects.exists()
    pk = str(hook.pk)
    assert _audit_rows() == [
        ("webhook.created", "alice", pk, ["active", "description", "events", "secret", "url"]),
        ("webhook.changed", "alice", pk, ["active", "secret"]),
        ("webhook.deleted", "alice", pk, []),
    ]
    changed = AuditLog.objects.get(action="webhook.changed").data
    assert changed["secret_changed"] is True and changed["active"] is False
    assert "another-secret" not in json.dumps(list(AuditLog.objects.values("data")))
    assert "webhook.deleted" in client.get("/admin/claims/auditlog/").content.decode()


@pytest.mark.django_db
def test_webhook_changes_through_the_api_are_audited(client, generous_api_rates, alice):
    client.force_login(alice)
    r = client.post(
        "/api/webhooks/",
        json.dumps({"url": "https://93.184.215.14/hooks"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = client.patch(
        f"/api/webhooks/{pk}/",
        json.dumps({"description": "Renamed"}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert client.delete(f"/api/webhooks/{pk}/").status_code == 204
    assert _audit_rows() == [
        ("webhook.created", "alice", str(pk), ["active", "description", "events", "secret", "url"]),
        ("webhook.changed", "alice", str(pk), ["description"]),
        ("webhook.deleted", "alice", str(pk), []),
    ]


# ---------------------------------------------------------------------------
# The migration: history written before it is read, not lost


@pytest.mark.django_db
def test_the_migration_backfills_publication_and_withdraws_drifted_verdicts():
    """The data steps of 0005_hist_history, run on rows written as the code before
    it left them. (They are run directly: migrating the whole graph back and forth
    would also unwind every later branch's migrations.)"""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("claims.migrations.0005_hist_history")
    article = Article.objects.create(title="a", content_hash="h")

    def claim(i, status, verdict_state):
        c = Claim.objects.create(
            article=article, text=f"c{i}", start=0, end=1, sentence_index=i, score=1, status=status
        )
        v = Verdict.objects.create(claim=c, rating="false", conclusion="No.", state=verdict_state)
        Claim.objects.filter(pk=c.pk).update(verdict=v)
        return c

    t0 = timezone.now() - timedelta(days=3)
    reopened = claim(1, "in_review", "withdrawn")
    ClaimLog.objects.create(claim=reopened, action="claim.published", created_at=t0)
    ClaimLog.objects.create(
        claim=reopened,
        action="claim.reopened",
        comment="Wrong post.",
        created_at=t0 + timedelta(days=1),
    )
    drifted = claim(2, "dismissed", "approved")
    hook = Webhook.objects.bulk_create(
        [Webhook(url="https://93.184.215.14/h", events=["claim.published"])]
    )[0]

    migration.backfill_publication(apps, None)
    migration.withdraw_drifted_verdicts(apps, None)
    migration.subscribe_to_withdrawals(apps, None)

    reopened = Claim.objects.get(pk=reopened.pk)
    assert reopened.first_published_at == t0 and reopened.is_withdrawn
    assert reopened.withdrawal_reason == "Wrong post."
    assert Verdict.objects.get(claim_id=drifted.pk).state == V.WITHDRAWN
    assert Webhook.objects.get(pk=hook.pk).events == ["claim.published", "factcheck.withdrawn"]
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM claims_claimlog")


@pytest.mark.django_db
def test_the_api_shows_a_withdrawal(client, make_claim, alice, bob):
    claim = published(make_claim, alice, bob)
    workflow.reopen(claim, actor=alice, reason="Wrong post quoted.")
    client.force_login(alice)
    data = client.get(f"/api/claims/{claim.pk}/").json()
    assert data["withdrawal_reason"] == "Wrong post quoted." and data["withdrawn_at"]
    assert data["first_published_at"] and data["claimreview"] is None
    assert data["public_url"] == pages.public_url(claim)
    assert data["history"][-1]["action"] == "claim.reopened"


@pytest.mark.django_db
def test_the_admin_log_lists_rows_whose_claim_was_deleted_before_protection(client, alice, bob):
    _raw(
        "INSERT INTO claims_claimlog (claim_id, action, from_status, to_status, comment,"
        " data, created_at) VALUES (987654, 'claim.orphaned_test', '', '', '', '{}', %s)",
        [timezone.now()],
    )
    client.force_login(alice)
    page = client.get("/admin/claims/claimlog/").content.decode()
    assert "claim.orphaned_test" in page and "#987654" in page
    entry = ClaimLog.objects.get(action="claim.orphaned_test")
    assert client.get(f"/admin/claims/claimlog/{entry.pk}/change/").status_code == 200
    client.force_login(bob)  # a reviewer sees only the history of claims they may see
    assert "claim.orphaned_test" not in client.get("/admin/claims/claimlog/").content.decode()


@pytest.mark.django_db
def test_a_claim_published_without_a_first_date_is_still_public(client, make_claim, bob):
    """Rows published outside the workflow (older data with no log to backfill
    from) stay public rather than vanish."""
    claim = make_claim(status=S.PUBLISHED, assignee=bob, published_at=timezone.now())
    verdict = Verdict.objects.create(
        claim=claim, rating="false", conclusion="No.", proposed_by=bob, state=V.PUBLISHED
    )
    Claim.objects.filter(pk=claim.pk).update(verdict=verdict)
    assert client.get(pages.public_path(claim)).status_code == 200
    assert len(client.get("/factchecks/feed.json").json()["dataFeedElement"]) == 1
