"""Login lockout on user name plus client address.

The rule:
- AXES_FAILURE_LIMIT failures for one (user name, client address) pair lock that
  pair out for the cool-off; other people, and the same person from elsewhere,
  still log in.
- ACCOUNT_FAILURE_LIMIT failures for one account from all addresses together
  refuse password logins to that account for the cool-off.
- The client address is REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = N, the N-th
  X-Forwarded-For entry from the right (the address our outermost proxy saw).
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from claims.accounts.client_ip import client_ip

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PROXY = "10.0.0.1"
LOGIN = "/accounts/login/"


def login(client, username, password, address, proxied=True):
    meta = (
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}
        if proxied
        else {"REMOTE_ADDR": address}
    )
    client.logout()
    r = client.post(LOGIN, {"username": username, "password": password}, **meta)
    return r, "_auth_user_id" in client.session


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    settings.ACCOUNT_FAILURE_LIMIT = 100


def test_an_attacker_behind_the_proxy_cannot_lock_out_anyone_else(
    client, behind_one_proxy, alice, bob
):
    for _ in range(3):
        r, ok = login(client, "bob", "guess", "203.0.113.66")
        assert not ok
    r, ok = login(client, "bob", "pw-bob", "203.0.113.66")
    assert r.status_code in (403, 429) and not ok  # the attacker's pair is locked
    # Everyone else comes through the same proxy, and is not.
    assert login(client, "bob", "pw-bob", "198.51.100.7")[1]  # bob, from his desk
    assert login(client, "alice", "pw-alice", "198.51.100.8")[1]
    # The attacker cannot step around it by writing their own X-Forwarded-For.
    r, ok = login(client, "bob", "pw-bob", "198.51.100.7, 203.0.113.66")
    assert not ok


def test_a_lockout_on_one_address_leaves_other_accounts_open_from_that_address(
    client, settings, alice, bob
):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        login(client, "bob", "guess", "127.0.0.1", proxied=False)
    assert not login(client, "bob", "pw-bob", "127.0.0.1", proxied=False)[1]
    # Without a trusted proxy everyone shares the proxy's address: still no
    # newsroom-wide lockout.
    assert login(client, "alice", "pw-alice", "127.0.0.1", proxied=False)[1]


def test_one_account_guessed_from_many_addresses_is_still_limited(
    client, behind_one_proxy, settings, bob
):
    settings.ACCOUNT_FAILURE_LIMIT = 8
    for n in range(4):  # four addresses, two guesses each: under the per-address limit
        for _ in range(2):
            assert not login(client, "bob", "guess", f"203.0.113.{n + 1}")[1]
    assert not login(client, "bob", "pw-bob", "203.0.113.200")[1]
    assert not login(client, "bob", "pw-bob", "198.51.100.7")[1]  # bob too, for the cool-off


def test_a_few_failures_from_many_addresses_do_not_lock_the_account(
    client, behind_one_proxy, settings, bob
):
    settings.ACCOUNT_FAILURE_LIMIT = 8
    for n in range(3):
        login(client, "bob", "guess", f"203.0.113.{n + 1}")
    assert login(client, "bob", "pw-bob", "198.51.100.7")[1]


@pytest.mark.parametrize(
    "count,xff,expected",
    [
        (0, "1.2.3.4", PROXY),  # no trusted proxy: the header is the client's word
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the left entry was written by the client
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        (2, "1.2.3.4", PROXY),  # shorter than our chain: it did not come through it
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_address_is_the_one_our_outermost_proxy_saw(settings, count, xff, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


def test_management_commands_print_no_axes_banner():
    out = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "AXES" not in out.stdout + out.stderr
