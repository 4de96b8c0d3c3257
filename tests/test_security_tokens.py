"""API tokens expire, are stored hashed, can be listed and
revoked by their owner, and die with a password change or a deactivation."""

from datetime import timedelta

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.core.management import call_command
from knox.models import AuthToken

pytestmark = pytest.mark.django_db


def issue(client, username="bob", password="pw-bob"):
    r = client.post("/api/auth/token/", {"username": username, "password": password})
    assert r.status_code == 200, r.content
    return r.json()


def works(client, token) -> bool:
    r = client.get("/api/claims/", HTTP_AUTHORIZATION=f"Token {token}")
    assert r.status_code in (200, 401)
    return r.status_code == 200


def test_a_token_is_stored_only_as_a_digest_and_expires(client, bob, settings):
    issued = issue(client)
    row = AuthToken.objects.get(user=bob)
    assert issued["token"] not in (row.digest, row.token_key)
    assert issued["token"].startswith(row.token_key) and issued["id"] == row.token_key
    assert row.expiry is not None and issued["expiry"]
    assert works(client, issued["token"])
    AuthToken.objects.filter(pk=row.pk).update(expiry=row.created - timedelta(seconds=1))
    assert not works(client, issued["token"])


def test_the_lifetime_is_api_token_ttl_hours(client, bob, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": timedelta(hours=2)}
    issue(client)
    row = AuthToken.objects.get(user=bob)
    assert timedelta(hours=1, minutes=59) < row.expiry - row.created <= timedelta(hours=2)


def test_users_list_and_revoke_their_own_tokens_only(client, alice, bob):
    first, second = issue(client)["token"], issue(client)["token"]
    alices = issue(client, "alice", "pw-alice")
    auth = {"HTTP_AUTHORIZATION": f"Token {first}"}
    listed = client.get("/api/auth/tokens/", **auth).json()
    assert len(listed) == 2 and [t["current"] for t in listed].count(True) == 1
    assert all(first not in str(t) and second not in str(t) for t in listed)
    other = next(t["id"] for t in listed if not t["current"])
    # Alice's token is not Bob's to revoke.
    assert client.delete(f"/api/auth/tokens/{alices['id']}/", **auth).status_code == 404
    assert client.delete(f"/api/auth/tokens/{other}/", **auth).status_code == 204
    assert not works(client, second) and works(client, first) and works(client, alices["token"])
    assert client.post("/api/auth/logout/", **auth).status_code == 204
    assert not works(client, first)


def test_logout_all_revokes_every_token_of_the_caller(client, bob):
    tokens = [issue(client)["token"] for _ in range(3)]
    r = client.post("/api/auth/logoutall/", HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    assert r.status_code == 204
    assert not any(works(client, t) for t in tokens)


def test_a_password_change_revokes_the_users_tokens(client, alice, bob):
    bobs, alices = issue(client)["token"], issue(client, "alice", "pw-alice")["token"]
    form = SetPasswordForm(
        bob, {"new_password1": "a-new-long-pass-phrase", "new_password2": "a-new-long-pass-phrase"}
    )
    assert form.is_valid()
    form.save()
    assert not works(client, bobs)
    assert works(client, alices)  # nobody else's


def test_the_changepassword_route_through_the_web_revokes_tokens_too(client, bob):
    token = issue(client)["token"]
    client.force_login(bob)
    r = client.post(
        "/accounts/password_change/",
        {
            "old_password": "pw-bob",
            "new_password1": "a-new-long-pass-phrase",
            "new_password2": "a-new-long-pass-phrase",
        },
    )
    assert r.status_code == 302
    assert not works(client, token)


def test_deactivating_an_account_revokes_its_tokens(client, bob):
    token = issue(client)["token"]
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert not works(client, token)
    assert not AuthToken.objects.filter(user=bob).exists()


def test_an_ordinary_save_or_login_keeps_the_tokens(client, bob):
    token = issue(client)["token"]
    bob.first_name = "Bob"
    bob.save()
    r = client.post("/accounts/login/", {"username": "bob", "password": "pw-bob"})
    assert r.status_code == 302  # a login saves last_login
    assert works(client, token)


def test_bad_credentials_get_no_token(client, bob):
    r = client.post("/api/auth/token/", {"username": "bob", "password": "wrong"})
    assert r.status_code == 400 and "token" not in r.json()
    assert not AuthToken.objects.exists()


def test_the_schema_documents_the_token_endpoints():
    import io

    out = io.StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=out)
    assert all(
        p in out.getvalue()
        for p in ("/api/auth/token/", "/api/auth/tokens/", "/api/auth/logoutall/")
    )
