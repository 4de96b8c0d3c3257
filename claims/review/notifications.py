"""Who hears about what, and an outbox that sends each message once.

A change that owes an email writes a ``Notification`` row in its own
transaction (``owe_for`` / ``owe_assignments``) and nudges the sender after
commit. The sender (``send_due``) claims due rows with a conditional UPDATE
under a fresh token, sends one email per recipient for everything it claimed (a
digest), and stamps ``sent_at`` on the rows its token still holds. An error
pushes the row's retry time back with backoff; the sweep nudges the sender
again for anything left unsent, so a lost nudge, a dead worker or a restarted
Redis delays an email but never loses it. The key (log entry + user) keeps each
event to one row.

Delivery is **at least once**, not exactly once: a sender that dies (or hits
its time limit) between handing an email to the mail server and stamping
``sent_at``, or that takes longer than ``NOTIFY_LEASE_SECONDS`` so another sender
claims the rows again, leaves them to be sent a second time. Two senders
running together never both claim a row.

With ``NOTIFY_DIGEST_MINUTES`` = N > 0, a reviewer's assignment messages wait
until N minutes after the first of them, and go out as one email.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import outbox, roles
from ..bulk import PreparedInsert
from ..models import ClaimLog, DeskPreference, Notification

log = logging.getLogger(__name__)

# Bounded work per run: the sender takes at most this many rows, and one
# email lists at most DIGEST_MAX_ITEMS claims in full.
BATCH = 500
DIGEST_MAX_ITEMS = 50
MAX_BACKOFF_SECONDS = 3600


_PK = 987654321


def _claim_url(claim, pattern: str | None = None) -> str:
    # reverse() costs more than everything else in a batch's emails; resolve
    # once per batch and fill the id in.
    pattern = pattern or _claim_url_pattern()
    return pattern.replace(str(_PK), str(claim.pk))


def _claim_url_pattern() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("claims:claim", args=[_PK])


def _language(user_id, chosen: dict[int, str]) -> str:
    """The language an email to ``user_id`` is written in: the one they chose on
    the desk, else the desk's default."""
    return chosen.get(user_id) or settings.LANGUAGE_CODE


def _when(checked) -> str:
    # Evaluated in the recipient's language (month names), as "4 Dec" in English.
    return date_format(checked.published_at, "j M") if checked.published_at else ""


def recipients_for(entry: ClaimLog):
    """The users a log entry concerns, and the subject line for them (lazy: it is
    written out in each recipient's language)."""
    claim = entry.claim
    action = entry.action
    short = str(claim)
    if action == "claim.assigned" and claim.assignee_id:
        return [claim.assignee], format_lazy(gettext_lazy("New claim to check: {}"), short)
    if action == "claim.verdict_proposed":
        return list(roles.active_editors().exclude(pk=entry.actor_id)), format_lazy(
            gettext_lazy("Verdict awaits sign-off: {}"), short
        )
    if action in ("claim.sent_back", "claim.reopened") and claim.assignee_id:
        return [claim.assignee], format_lazy(gettext_lazy("Claim returned to you: {}"), short)
    if action == "claim.published" and claim.assignee_id:
        return [claim.assignee], format_lazy(gettext_lazy("Your verdict was published: {}"), short)
    if action == "claim.sla_reminder" and claim.assignee_id:
        return [claim.assignee], format_lazy(
            gettext_lazy("Reminder: claim waiting past its SLA: {}"), short
        )
    if action == "claim.repeated" and claim.repeat_of_id:
        checked = claim.repeat_of
        return list(roles.active_editors()), format_lazy(
            gettext_lazy("Already checked: {rating}, {when}: {claim}"),
            rating=lazy_rating(checked),
            when=lazy_when(checked),
            claim=short,
        )
    if action == "claim.sla_escalated":
        return list(roles.active_editors()), format_lazy(
            gettext_lazy("Escalation: claim overdue for review: {}"), short
        )
    return [], ""


class lazy_rating:  # noqa: N801 (reads like the value it stands for)
    """A checked claim's rating, written out in the language of the subject it is in
    (the recipient's), not in whatever language the sending thread had active."""

    def __init__(self, checked):
        self.verdict = checked.verdict if checked.verdict_id else None

    def __str__(self):
        return str(self.verdict.get_rating_display() if self.verdict else _("checked"))

    def __format__(self, spec):
        return format(str(self), spec)


class lazy_when:  # noqa: N801 (reads like the value it stands for)
    """The date a checked claim was published, formatted when the subject is."""

    def __init__(self, checked):
        self.checked = checked

    def __str__(self):
        return _when(self.checked)

    def __format__(self, spec):
        return format(str(self), spec)


def _body(subject, claim, article, comment="", url_pattern=None) -> str:
    """The email's text, in the active language."""
    return (
        f"{subject}\n\n“{claim.text}”\n\n"
        + _("Article: %(article)s") % {"article": article}
        + "\n"
        + _("Status: %(status)s") % {"status": claim.get_status_display()}
        + "\n"
        + ((_("Comment: %(comment)s") % {"comment": comment} + "\n") if comment else "")
        + "\n"
        + _("Open it: %(url)s") % {"url": _claim_url(claim, url_pattern)}
        + "\n"
    )


def _due_at(now, action: str):
    minutes = settings.NOTIFY_DIGEST_MINUTES
    if minutes > 0 and action == "claim.assigned":
        return now + timedelta(minutes=minutes)
    return now


def _nudge(rows: list[Notification]) -> None:
    if not rows:
        return
    delay = max((r.due_at - timezone.now()).total_seconds() for r in rows)
    outbox.send_on_commit(outbox.SEND_NOTIFICATIONS, countdown=delay if delay > 0 else None)


def owe_for(entry: ClaimLog) -> list[Notification]:
    """Write the rows ``entry`` owes. Call inside the transaction that wrote it."""
    users, lazy_subject = recipients_for(entry)
    users = [user for user in users if user.email]
    claim = entry.claim
    now = timezone.now()
    chosen = DeskPreference.languages_of(u.pk for u in users) if users else {}
    rows = []
    for user in users:
        with translation.override(_language(user.pk, chosen)):
            subject = str(lazy_subject)
            body = _body(subject, claim, claim.article, entry.comment)
        rows.append(
            Notification(
                key=f"log:{entry.pk}:user:{user.pk}",
                user=user,
                recipient=user.email,
                subject=subject[:300],
                body=body,
                claim=claim,
                created_at=now,
                due_at=_due_at(now, entry.action),
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _nudge(rows)
    return rows


def owe_assignments(entries, claims, reviewers, article) -> list[Notification]:
    """Rows for a batch of automatic assignments (one article, one transaction)."""
    now = timezone.now()
    url_pattern = _claim_url_pattern()
    chosen = DeskPreference.languages_of(reviewers)
    rows = []
    for entry, claim in zip(entries, claims):
        reviewer = reviewers[claim.assignee_id]
        if not reviewer.email:
            continue
        with translation.override(_language(reviewer.pk, chosen)):
            subject = _("New claim to check: {}").format(claim)
            body = _body(subject, claim, article, url_pattern=url_pattern)
        rows.append(
            Notification(
                key=f"log:{entry.pk}:user:{reviewer.pk}",
                user=reviewer,
                recipient=reviewer.email,
                subject=subject[:300],
                body=body,
                claim=claim,
                created_at=now,
                due_at=_due_at(now, "claim.assigned"),
            )
        )
    PreparedInsert(Notification, rows).insert(ignore_conflicts=True)
    _nudge(rows)
    return rows


# ---------------------------------------------------------------------------
# Sending


@dataclass
class SendResult:
    sent: int = 0
    emails: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def due() -> Q:
    now = timezone.now()
    return Q(sent_at__isnull=True, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _unclaimed() -> Q:
    now = timezone.now()
    return Q(sent_at__isnull=True) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


@dataclass
class Claimed:
    """The rows one sender claimed, under its token."""

    token: str
    rows: list[Notification]


def _candidates() -> list[int]:
    """Ids of the rows the next email(s) should carry (read only; not claimed yet)."""
    recipients = set(
        Notification.objects.filter(due())
        .order_by("id")
        .values_list("recipient", flat=True)[:BATCH]
    )
    if not recipients:
        return []
    # Everything still waiting for these recipients goes in the same email,
    # including messages whose digest window has not closed yet.
    return list(
        Notification.objects.filter(_unclaimed(), recipient__in=recipients)
        .order_by("id")
        .values_list("id", flat=True)[:BATCH]
    )


def _claim(ids: list[int]) -> Claimed:
    token = uuid.uuid4().hex
    if not ids:
        return Claimed(token, [])
    lease = timezone.now() + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    # Conditional: rows another sender claimed since the SELECT are skipped.
    Notification.objects.filter(_unclaimed(), pk__in=ids).update(
        claim_token=token, claimed_until=lease, attempts=F("attempts") + 1
    )
    rows = list(
        Notification.objects.filter(claim_token=token, sent_at__isnull=True)
        .only("id", "user_id", "recipient", "subject", "body", "attempts")
        .order_by("id")
    )
    return Claimed(token, rows)


def _compose(rows: list[Notification]) -> tuple[str, str]:
    """One email for ``rows``; a digest's own words in the active language (each
    row's text was written in its recipient's language when it was owed)."""
    if len(rows) == 1:
        return rows[0].subject, rows[0].body
    subject = ngettext(
        "%(n)d update from the fact-check desk", "%(n)d updates from the fact-check desk", len(rows)
    ) % {"n": len(rows)}
    parts = [r.body for r in rows[:DIGEST_MAX_ITEMS]]
    if len(rows) > DIGEST_MAX_ITEMS:
        more = len(rows) - DIGEST_MAX_ITEMS
        parts.append(_("…and %(n)d more; see your queue on the desk.") % {"n": more} + "\n")
    return subject, f"{subject}.\n\n" + "\n----\n\n".join(parts)


def send_due() -> SendResult:
    """Send everything due, one email per recipient, at least once (see the module
    docstring). Rows that fail wait with backoff."""
    return _send(_claim(_candidates()))


def _send(claimed: Claimed) -> SendResult:
    result = SendResult()
    by_recipient: dict[str, list[Notification]] = {}
    for row in claimed.rows:
        by_recipient.setdefault(row.recipient, []).append(row)
    chosen = DeskPreference.languages_of(r.user_id for r in claimed.rows if r.user_id)
    for recipient, rows in by_recipient.items():
        # Only rows this sender still holds: once its lease ran out another
        # sender may have claimed them, and they are that sender's to stamp.
        mine = Notification.objects.filter(pk__in=[r.pk for r in rows], claim_token=claimed.token)
        with translation.override(_language(rows[0].user_id, chosen)):
            subject, body = _compose(rows)
        try:
            send_mail(subject[:300], body, settings.DEFAULT_FROM_EMAIL, [recipient])
        except SoftTimeLimitExceeded:
            # The task is out of time: stop now. The rows not stamped stay claimed
            # until their lease ends, then the sweep's nudge sends them (again, if
            # this email did go out).
            raise
        except Exception as exc:  # SMTP down, refused, timed out (EMAIL_TIMEOUT)…
            attempts = max(r.attempts for r in rows)
            wait = min(
                settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS
            )
            mine.update(
                claimed_until=timezone.now() + timedelta(seconds=wait),
                last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            )
            log.warning("sending %d notification(s) to %s failed: %s", len(rows), recipient, exc)
            result.failed += len(rows)
            result.errors.append(str(exc))
            continue
        stamped = mine.update(sent_at=timezone.now(), claimed_until=None, last_error="")
        if stamped < len(rows):
            log.warning(
                "%d notification(s) to %s were claimed by another sender while this one "
                "sent them; they may go out twice",
                len(rows) - stamped,
                recipient,
            )
        result.sent += stamped
        result.emails += 1
    return result


def unsent_due_count() -> int:
    return Notification.objects.filter(due()).count()
