"""The notification sender against itself and a bad mail server: two senders
racing for the same rows, a sender overtaken after its lease, the soft time
limit, and an SMTP server that accepts the connection and says nothing.

The senders are interleaved by hand at the one point that matters (between
reading the candidate rows and claiming them), so the race is the same every run.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.utils import timezone

from claims.models import Notification
from claims.review import notifications, workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(make_claim, alice, bob, carol, settings):
    """Three emails owed: two to bob, one to carol."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    workflow.assign(make_claim(), bob, actor=alice)
    workflow.assign(make_claim(text="Taxes rose 5% last year."), bob, actor=alice)
    workflow.assign(make_claim(text="Crime fell 10% in 2023."), carol, actor=alice)
    assert Notification.objects.filter(sent_at=None).count() == 3
    return Notification.objects.order_by("id")


def test_two_senders_racing_for_the_same_rows_send_each_once(owed):
    # Both read the same candidates before either claims them.
    seen_by_first = notifications._candidates()
    seen_by_second = notifications._candidates()
    assert seen_by_first == seen_by_second == [n.pk for n in owed]

    first = notifications._claim(seen_by_first)
    second = notifications._claim(seen_by_second)
    assert len(first.rows) == 3
    assert second.rows == []  # the conditional claim skipped what the first took

    assert notifications._send(second).emails == 0
    result = notifications._send(first)
    assert (result.sent, result.emails) == (3, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]
    assert not Notification.objects.filter(sent_at=None).exists()


def test_a_sender_overtaken_after_its_lease_does_not_stamp_the_new_holders_rows(owed):
    slow = notifications._claim(notifications._candidates())
    # The slow sender's lease runs out; another sender claims the rows again.
    owed.update(claimed_until=timezone.now() - timedelta(seconds=1))
    fresh = notifications._claim(notifications._candidates())
    assert len(fresh.rows) == 3

    notifications._send(slow)  # its emails went out, but the rows are not its now
    for row in owed:
        assert row.sent_at is None and row.claim_token == fresh.token
        assert row.claimed_until > timezone.now()

    assert notifications._send(fresh).sent == 3
    assert not owed.filter(sent_at=None).exists()
    # At least once: both senders' emails went out (the module docstring says so).
    assert len(mail.outbox) == 4


class OutOfTime:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise SoftTimeLimitExceeded()


def test_the_soft_time_limit_stops_the_sender_instead_of_counting_as_a_failed_send(owed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.OutOfTime"
    with pytest.raises(SoftTimeLimitExceeded):
        notifications.send_due()
    for row in owed:
        # Still claimed under its lease (the sweep resends after it), not marked
        # as a failed send with a back-off.
        assert row.sent_at is None and row.last_error == ""
        assert row.attempts == 1


def test_email_timeout_is_set_by_default(settings):
    from django.core.mail.backends.smtp import EmailBackend

    assert settings.EMAIL_TIMEOUT == 30
    assert EmailBackend().timeout == 30


def test_a_silent_mail_server_costs_one_timeout_not_the_task(owed, settings):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        accepted = []
        threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        started = time.monotonic()
        result = notifications.send_due()
        took = time.monotonic() - started
    assert result.failed == 3 and result.sent == 0
    assert took < 10  # one timeout per recipient, not forever
    assert all("timed out" in row.last_error for row in owed)
