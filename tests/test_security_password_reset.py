"""Password reset is rate limited per address and per email."""

import pytest
from django.core import mail
from django.core.cache import cache

pytestmark = pytest.mark.django_db
RESET = "/accounts/password_reset/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_RESET_PER_ADDRESS = 4
    settings.PASSWORD_RESET_PER_EMAIL = 2
    cache.clear()
    yield
    cache.clear()


def ask(client, email, address):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_one_email_address_gets_at_most_the_limit_of_reset_mails(client, alice):
    for n in range(4):
        r = ask(client, "alice@example.org", f"198.51.100.{n + 1}")
        assert r.status_code == 302 and r["Location"].endswith("/password_reset/done/")
    assert len(mail.outbox) == 2  # the same answer, but no more mail


def test_one_address_asking_too_often_is_told_to_wait(client, alice, bob):
    for n in range(4):
        assert ask(client, f"nobody{n}@example.org", "203.0.113.9").status_code == 302
    r = ask(client, "alice@example.org", "203.0.113.9")
    assert r.status_code == 429 and "Too many password reset requests" in r.content.decode()
    assert mail.outbox == []
    # Someone else is not affected.
    assert ask(client, "bob@example.org", "198.51.100.20").status_code == 302
    assert len(mail.outbox) == 1
