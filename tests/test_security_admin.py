"""The webhook secret is write-only in the admin."""

import socket

import pytest

from claims.models import Webhook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def partner_dns(monkeypatch):
    """DNS is outside the machine: the partner's name resolves to a public address."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "partner.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port or 443))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


SECRET = "s3cr3t-only-the-partner-knows-0123456789"


@pytest.fixture
def hook(root):
    return Webhook.objects.create(
        url="https://partner.example.org/hooks", secret=SECRET, created_by=root
    )


def change(client, hook, **fields):
    data = {
        "url": hook.url,
        "description": "",
        "events": ["claim.published"],
        "active": "on",
        "new_secret": "",
        **fields,
    }
    return client.post(f"/admin/claims/webhook/{hook.pk}/change/", data)


def test_the_change_form_never_shows_the_secret(client, root, hook):
    client.force_login(root)
    page = client.get(f"/admin/claims/webhook/{hook.pk}/change/").content.decode()
    assert SECRET not in page
    assert "ends in …6789" in page
    assert 'type="password"' in page


def test_saving_without_a_new_secret_keeps_the_old_one(client, root, hook):
    client.force_login(root)
    r = change(client, hook, description="renamed")
    assert r.status_code == 302
    hook.refresh_from_db()
    assert hook.description == "renamed" and hook.secret == SECRET


def test_a_new_secret_replaces_the_old_one_and_is_not_echoed(client, root, hook):
    client.force_login(root)
    r = change(client, hook, new_secret="a-brand-new-secret-of-enough-length")
    assert r.status_code == 302
    hook.refresh_from_db()
    assert hook.secret == "a-brand-new-secret-of-enough-length"
    page = client.get(f"/admin/claims/webhook/{hook.pk}/change/").content.decode()
    assert "a-brand-new-secret" not in page


def test_a_new_webhook_shows_its_generated_secret_once(client, root):
    client.force_login(root)
    r = client.post(
        "/admin/claims/webhook/add/",
        {
            "url": "https://partner.example.org/new",
            "description": "",
            "active": "on",
            "events": ["claim.published"],
            "new_secret": "",
        },
        follow=True,
    )
    hook = Webhook.objects.get(url="https://partner.example.org/new")
    assert len(hook.secret) >= 32
    assert hook.secret in r.content.decode()  # the message, once
    assert (
        hook.secret not in client.get(f"/admin/claims/webhook/{hook.pk}/change/").content.decode()
    )
