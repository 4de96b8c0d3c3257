"""The review workflow: every transition, the permission matrix, and the race."""

import threading

import pytest

from claims.models import Claim, ClaimLog, Evidence, Verdict
from claims.review import workflow

S = Claim.Status
ALL_STATES = list(S.values)
OPEN = {S.TRIAGE, S.EXTRACTED, S.QUEUED, S.ASSIGNED, S.IN_REVIEW, S.PROPOSED, S.APPROVED}

# The expected matrix, written out by hand from the product rules (not derived from
# workflow.ACTIONS, so a change to either shows up here).
# action -> (personas allowed, states allowed)
EXPECTED = {
    "assign": ({"alice", "root"}, {S.TRIAGE, S.EXTRACTED, S.QUEUED, S.ASSIGNED, S.IN_REVIEW}),
    "accept": ({"alice", "root"}, {S.TRIAGE}),
    "take": ({"bob", "carol", "root"}, {S.EXTRACTED, S.QUEUED}),
    "start_review": ({"bob", "root"}, {S.ASSIGNED}),
    "edit_research": ({"bob", "root"}, {S.ASSIGNED, S.IN_REVIEW}),
    "propose": ({"bob", "root"}, {S.ASSIGNED, S.IN_REVIEW}),
    "send_back": ({"alice", "root"}, {S.PROPOSED, S.APPROVED}),
    "sign_off": ({"alice", "root"}, {S.PROPOSED}),
    "publish": ({"alice", "root"}, {S.APPROVED}),
    "reopen": ({"alice", "root"}, {S.PUBLISHED}),
    "dismiss": ({"alice", "root"}, OPEN),
    "mark_duplicate": ({"alice", "root"}, OPEN),
    "requeue": ({"alice", "root"}, {S.EXTRACTED, S.ASSIGNED, S.IN_REVIEW, S.DISMISSED}),
    "set_priority": ({"alice", "root"}, OPEN),
}
PERSONAS = ["alice", "bob", "carol", "dave", "root"]


@pytest.fixture
def people(alice, bob, carol, dave, root):
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave, "root": root}


def claim_in(state, make_claim, bob):
    """A claim in ``state``: assigned to bob from 'assigned' on, with bob's verdict."""
    unassigned = state in (S.TRIAGE, S.EXTRACTED, S.QUEUED)
    claim = make_claim(status=state, assignee=None if unassigned else bob)
    if state in (S.PROPOSED, S.APPROVED, S.PUBLISHED):
        # The verdict's state goes with the claim's (workflow.VERDICT_STATES).
        verdict = Verdict.objects.create(
            claim=claim,
            rating="mostly_true",
            conclusion="Roughly right.",
            proposed_by=bob,
            state=state,
        )
        claim.verdict = verdict
        claim.save()
    return claim


@pytest.mark.django_db
def test_the_whole_permission_matrix(people, make_claim, bob):
    assert set(EXPECTED) == set(workflow.ACTIONS), "every transition is in the matrix"
    mismatches = []
    for state in ALL_STATES:
        claim = claim_in(state, make_claim, bob)
        for action, (personas, states) in EXPECTED.items():
            for name in PERSONAS:
                expected = name in personas and state in states
                actual = workflow.can(action, claim, people[name])
                if expected != actual:
                    mismatches.append((name, action, state, expected, actual))
                if not actual:
                    with pytest.raises(workflow.WorkflowError) as err:
                        workflow.check(action, claim, people[name])
                    assert str(err.value)  # a clear message
    assert mismatches == []


@pytest.mark.django_db
def test_anonymous_and_inactive_users_can_do_nothing(make_claim, bob):
    from django.contrib.auth.models import AnonymousUser

    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    bob.is_active = False
    for action in workflow.ACTIONS:
        assert not workflow.can(action, claim, AnonymousUser())
        assert not workflow.can(action, claim, None)
        assert not workflow.can(action, claim, bob)


@pytest.mark.django_db
def test_a_seed_like_claim_goes_through_the_whole_lifecycle(alice, bob, carol, make_claim):
    claim = make_claim()
    workflow.assign(claim, bob, actor=alice)
    assert (claim.status, claim.assignee) == (S.ASSIGNED, bob)
    workflow.start_review(claim, actor=bob)
    workflow.add_evidence(
        claim, actor=bob, url="https://example.org/linkedin-post", note="Archived copy of the post"
    )
    workflow.save_research_notes(claim, "The post said almost 100.", actor=bob)
    verdict = workflow.propose_verdict(
        claim,
        actor=bob,
        rating="mostly_true",
        conclusion="The post did say almost 100.",
        sources=["https://example.org/a", " "],
    )
    assert claim.status == S.PROPOSED and claim.verdict == verdict
    assert verdict.sources == ["https://example.org/a"]
    workflow.send_back(claim, actor=alice, comment="Find the archived post.")
    assert claim.status == S.IN_REVIEW
    verdict.refresh_from_db()
    assert verdict.state == Verdict.State.SENT_BACK
    workflow.propose_verdict(
        claim, actor=bob, rating="mostly_true", conclusion="Archived post confirms almost 100."
    )
    workflow.sign_off(claim, actor=alice)
    assert claim.status == S.APPROVED
    workflow.publish(claim, actor=alice)
    assert claim.status == S.PUBLISHED and claim.published_at
    workflow.reopen(claim, actor=alice, reason="New evidence from Labour.")
    assert claim.status == S.IN_REVIEW and claim.assignee == bob

    actions = list(ClaimLog.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions == [
        "claim.assigned",
        "claim.review_started",
        "claim.evidence_added",
        "claim.notes_saved",
        "claim.verdict_proposed",
        "claim.sent_back",
        "claim.verdict_proposed",
        "claim.signed_off",
        "claim.published",
        "claim.reopened",
    ]
    entry = ClaimLog.objects.get(claim=claim, action="claim.sent_back")
    assert (entry.actor, entry.from_status, entry.to_status, entry.comment) == (
        alice,
        S.PROPOSED,
        S.IN_REVIEW,
        "Find the archived post.",
    )


@pytest.mark.django_db
def test_triage_dismiss_merge_requeue_and_priority(alice, bob, make_claim):
    claim, original = make_claim(), make_claim()
    workflow.set_priority(claim, Claim.Priority.URGENT, actor=alice)
    assert claim.priority == Claim.Priority.URGENT
    workflow.mark_duplicate(claim, original, actor=alice)
    assert claim.status == S.DISMISSED and claim.duplicate_of == original
    assert claim.dismiss_reason == Claim.DismissReason.DUPLICATE
    workflow.requeue(claim, actor=alice)
    assert claim.status == S.QUEUED and claim.duplicate_of is None
    workflow.dismiss(claim, actor=alice, comment="Opinion, not fact.")
    assert claim.status == S.DISMISSED
    assert claim.dismiss_reason == Claim.DismissReason.NOT_CHECKWORTHY


@pytest.mark.django_db
def test_refusals_say_why(alice, bob, carol, make_claim):
    claim = claim_in(S.PROPOSED, make_claim, bob)
    with pytest.raises(workflow.NotAllowed, match="permission to publish"):
        workflow.publish(claim, actor=bob)
    with pytest.raises(workflow.InvalidState, match="cannot propose verdict now"):
        workflow.propose_verdict(claim, actor=bob, rating="true", conclusion="x")
    with pytest.raises(workflow.WorkflowError, match="comment"):
        workflow.send_back(claim, actor=alice, comment="  ")
    other = claim_in(S.IN_REVIEW, make_claim, bob)
    with pytest.raises(workflow.NotAllowed, match="Only the assigned reviewer"):
        workflow.add_evidence(other, actor=carol, url="https://example.org")
    with pytest.raises(workflow.WorkflowError, match="Unknown rating"):
        workflow.propose_verdict(other, actor=bob, rating="pants_on_fire", conclusion="x")
    with pytest.raises(workflow.WorkflowError, match="conclusion"):
        workflow.propose_verdict(other, actor=bob, rating="false", conclusion="")
    with pytest.raises(workflow.WorkflowError, match="URL or a document"):
        workflow.add_evidence(other, actor=bob)
    with pytest.raises(workflow.WorkflowError, match="not an active reviewer"):
        workflow.assign(make_claim(), alice, actor=alice)
    # Nothing refused left a trace.
    assert not ClaimLog.objects.exists()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_nobody_signs_off_their_own_verdict(root, alice, bob, make_claim):
    claim = make_claim(status=S.IN_REVIEW, assignee=root)
    workflow.propose_verdict(claim, actor=root, rating="false", conclusion="No.")
    with pytest.raises(workflow.NotAllowed, match="your own verdict"):
        workflow.sign_off(claim, actor=root)
    with pytest.raises(workflow.InvalidState, match="cannot publish now"):
        workflow.publish(claim, actor=alice)  # sign-off comes first
    workflow.sign_off(claim, actor=alice)
    with pytest.raises(workflow.NotAllowed, match="your own verdict"):
        workflow.publish(claim, actor=root)


@pytest.mark.django_db
def test_a_stale_claim_is_refused_not_overwritten(alice, bob, make_claim):
    claim = claim_in(S.PROPOSED, make_claim, bob)
    stale = Claim.objects.get(pk=claim.pk)
    workflow.sign_off(claim, actor=alice)
    with pytest.raises(workflow.StaleClaim, match="(?i)reload"):
        workflow.send_back(stale, actor=alice, comment="Wait")
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
    assert ClaimLog.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_get_one_success_and_one_reload(alice, root, bob, make_claim):
    claim = claim_in(S.APPROVED, make_claim, bob)
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, fn):
        from django.db import connection

        mine = Claim.objects.get(pk=claim.pk)  # each loads the same version
        barrier.wait()
        try:
            fn(mine)
            outcomes[name] = "ok"
        except workflow.StaleClaim:
            outcomes[name] = "stale"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("alice", lambda c: workflow.publish(c, actor=alice))),
        threading.Thread(
            target=act,
            args=("root", lambda c: workflow.send_back(c, actor=root, comment="Not yet")),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()) == ["ok", "stale"]
    claim.refresh_from_db()
    winner = [n for n, o in outcomes.items() if o == "ok"][0]
    assert claim.status == (S.PUBLISHED if winner == "alice" else S.IN_REVIEW)
    assert ClaimLog.objects.filter(claim=claim).count() == 1
    assert claim.version == 2


@pytest.mark.django_db
def test_the_log_is_append_only(alice, bob, make_claim):
    claim = make_claim()
    entry = workflow.assign(claim, bob, actor=alice)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        ClaimLog.objects.filter(pk=entry.pk).update(comment="rewritten")
    with pytest.raises(TypeError):
        ClaimLog.objects.all().delete()


@pytest.mark.django_db
def test_history_outlives_a_deleted_user(alice, make_claim):
    from django.contrib.auth import get_user_model

    temp = get_user_model().objects.create_user("temp")
    from django.contrib.auth.models import Group

    temp.groups.add(Group.objects.get(name="Reviewers"))
    claim = make_claim(status=S.IN_REVIEW, assignee=temp)
    workflow.save_research_notes(claim, "notes", actor=temp)
    workflow.requeue(claim, actor=alice)
    temp.delete()
    entry = ClaimLog.objects.get(action="claim.notes_saved")
    assert entry.actor_name.startswith("user #")


@pytest.mark.django_db
def test_least_loaded_reviewer_gets_the_claim(alice, bob, carol, make_claim):
    make_claim(status=S.IN_REVIEW, assignee=bob)
    claim = make_claim()
    workflow.auto_assign(claim)
    assert claim.assignee == carol
    # Running it again does nothing.
    assert workflow.auto_assign(claim) is None
    assert ClaimLog.objects.filter(claim=claim).count() == 1


@pytest.mark.django_db
def test_similar_claims_are_found_with_their_verdict(alice, bob, make_claim):
    from claims.review import matching

    earlier = make_claim(
        status=S.IN_REVIEW,
        assignee=bob,
        text="Almost 100 Labour staff campaigned in North Carolina.",
    )
    workflow.propose_verdict(earlier, actor=bob, rating="mostly_true", conclusion="Close.")
    unrelated = make_claim(text="The Federal Reserve raised interest rates in March.")
    new = make_claim(
        text="Nearly 100 current and former Labour staff campaigned in North Carolina."
    )
    matching.index_claims([earlier, unrelated, new])
    matches = matching.similar_claims(new)
    assert [m.claim.pk for m in matches] == [earlier.pk]
    assert 0.35 <= matches[0].score <= 1.0
    assert matches[0].claim.verdict.rating == "mostly_true"
    assert matching.similar_claims(unrelated) == []
