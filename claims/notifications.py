"""Who hears about what, and sending each message exactly once."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from . import roles
from .models import ClaimLog, Notification


def send_once(key: str, user, subject: str, body: str, claim=None) -> bool:
    """Send one email for ``key`` to ``user``; a second call with the same key does nothing."""
    if not user.email:
        return False
    # One row per key (a second insert is ignored), then claim the send with a
    # conditional update, so two workers never both send.
    Notification.objects.bulk_create(
        [Notification(key=key, recipient=user.email, subject=subject[:300], claim=claim)],
        ignore_conflicts=True,
    )
    if Notification.objects.filter(key=key, sent_at=None).update(sent_at=timezone.now()) != 1:
        return False
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        Notification.objects.filter(key=key).update(sent_at=None)
        raise
    return True


def _claim_url(claim) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("claims:claim", args=[claim.pk])


def recipients_for(entry: ClaimLog):
    """The users a log entry concerns, and the subject line for them."""
    claim = entry.claim
    action = entry.action
    short = str(claim)
    if action == "claim.assigned" and claim.assignee_id:
        return [claim.assignee], f"New claim to check: {short}"
    if action == "claim.verdict_proposed":
        return list(roles.active_editors().exclude(pk=entry.actor_id)), f"Verdict awaits sign-off: {short}"
    if action in ("claim.sent_back", "claim.reopened") and claim.assignee_id:
        return [claim.assignee], f"Claim returned to you: {short}"
    if action == "claim.published" and claim.assignee_id:
        return [claim.assignee], f"Your verdict was published: {short}"
    if action == "claim.sla_reminder" and claim.assignee_id:
        return [claim.assignee], f"Reminder: claim waiting past its SLA: {short}"
    if action == "claim.sla_escalated":
        return list(roles.active_editors()), f"Escalation: claim overdue for review: {short}"
    return [], ""


def notify_for(entry: ClaimLog) -> int:
    users, subject = recipients_for(entry)
    if not users:
        return 0
    claim = entry.claim
    body = (
        f"{subject}\n\n“{claim.text}”\n\nArticle: {claim.article}\n"
        f"Status: {claim.get_status_display()}\n"
        + (f"Comment: {entry.comment}\n" if entry.comment else "")
        + f"\nOpen it: {_claim_url(claim)}\n"
    )
    sent = 0
    for user in users:
        if send_once(f"log:{entry.pk}:user:{user.pk}", user, subject, body, claim=claim):
            sent += 1
    return sent
