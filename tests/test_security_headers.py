"""Every page carries a Content-Security-Policy without inline script."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


@pytest.mark.parametrize("path", ["/accounts/login/", "/factchecks/", "/api/docs/", "/"])
def test_pages_forbid_inline_and_foreign_script(client, alice, path):
    client.force_login(alice)
    r = client.get(path)
    assert r.status_code == 200
    policy = directives(r)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_swagger_ui_loads_its_init_script_as_a_file(client, alice):
    client.force_login(alice)
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page and "?script=" in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
