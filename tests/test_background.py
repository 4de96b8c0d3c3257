"""Notifications, SLA reminders and escalation, and reassignment — through a real worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from claims.jobs import pipeline
from claims.models import Claim, ClaimLog, Notification
from claims.review import workflow

from .conftest import queue_drained, wait_until

S = Claim.Status
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_proposed_verdict_notifies_the_editors(celery_worker, alice, root, bob, make_claim):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    workflow.propose_verdict(claim, actor=bob, rating="false", conclusion="Wrong.")
    wait_until(lambda: len(mail.outbox) == 2, message="editors emailed")
    assert {m.to[0] for m in mail.outbox} == {"alice@example.org", "root@example.org"}
    assert all("awaits sign-off" in m.subject for m in mail.outbox)


def test_reminders_then_escalation_each_sent_once(celery_worker, settings, alice, bob, make_claim):
    settings.REVIEW_SLA_HOURS = 24
    settings.REVIEW_ESCALATION_HOURS = 48
    late = make_claim(status=S.ASSIGNED, assignee=bob)
    very_late = make_claim(status=S.IN_REVIEW, assignee=bob)
    fresh = make_claim(status=S.ASSIGNED, assignee=bob)
    now = timezone.now()
    Claim.objects.filter(pk=late.pk).update(assigned_at=now - timedelta(hours=30))
    Claim.objects.filter(pk=very_late.pk).update(assigned_at=now - timedelta(hours=50))
    Claim.objects.filter(pk=fresh.pk).update(assigned_at=now - timedelta(hours=1))

    versions = dict(Claim.objects.values_list("pk", "version"))
    pipeline.send_sla_reminders.delay()
    # late: reminder to bob; very_late: reminder to bob + escalation to alice.
    wait_until(
        lambda: Notification.objects.filter(sent_at__isnull=False).count() == 3,
        message="reminders and escalation",
    )
    for _ in range(2):  # beat runs again and again: nothing new is sent
        pipeline.send_sla_reminders.delay()
    wait_until(queue_drained, message="queue drained")
    subjects = sorted(Notification.objects.values_list("subject", flat=True))
    assert [s.split(":")[0] for s in subjects] == ["Escalation", "Reminder", "Reminder"]
    # bob's two reminders arrive as one email; alice hears of the escalation.
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert by_recipient["bob@example.org"].body.count("Reminder: claim waiting") == 2
    assert by_recipient["alice@example.org"].subject.startswith("Escalation")
    assert ClaimLog.objects.filter(claim=fresh).count() == 0
    assert ClaimLog.objects.filter(claim=very_late, action="claim.sla_escalated").count() == 1
    assert Notification.objects.filter(sent_at__isnull=False).count() == 3
    # Reminders are history, not changes: a reviewer's open form stays valid.
    assert dict(Claim.objects.values_list("pk", "version")) == versions


def test_a_deactivated_reviewers_claims_are_reassigned(
    celery_worker, alice, bob, carol, make_claim
):
    claims = [
        make_claim(status=S.ASSIGNED, assignee=bob, assigned_at=timezone.now()),
        make_claim(status=S.IN_REVIEW, assignee=bob, assigned_at=timezone.now()),
    ]
    done = make_claim(status=S.PUBLISHED, assignee=bob)
    bob.is_active = False
    bob.save()
    for claim in claims:
        wait_until(
            lambda c=claim: Claim.objects.get(pk=c.pk).assignee_id == carol.pk,
            message="reassigned to carol",
        )
        actions = list(ClaimLog.objects.filter(claim=claim).values_list("action", flat=True))
        assert actions == ["claim.released", "claim.assigned"]
    assert Claim.objects.get(pk=done.pk).assignee_id == bob.pk


def test_notifications_are_sent_once_even_if_the_task_runs_twice(
    celery_worker, alice, bob, make_claim
):
    claim = make_claim()
    entry = workflow.assign(claim, bob, actor=alice)
    wait_until(lambda: len(mail.outbox) == 1, message="assignee emailed")
    assert Notification.objects.get().key == f"log:{entry.pk}:user:{bob.pk}"
    pipeline.send_notifications.delay()
    pipeline.send_notifications.delay()
    pipeline.sweep_stuck_work.delay()
    wait_until(queue_drained, message="queue drained")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["bob@example.org"]


def test_leaving_the_reviewers_group_hands_the_claims_on(
    celery_worker, alice, bob, carol, make_claim
):
    from django.contrib.auth.models import Group

    claim = make_claim(status=S.IN_REVIEW, assignee=bob, assigned_at=timezone.now())
    bob.groups.remove(Group.objects.get(name="Reviewers"))
    wait_until(
        lambda: Claim.objects.get(pk=claim.pk).assignee_id == carol.pk,
        message="reassigned to carol",
    )
    actions = list(ClaimLog.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions == ["claim.released", "claim.assigned"]
