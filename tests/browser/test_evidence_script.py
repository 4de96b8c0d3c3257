"""An uploaded HTML or SVG file cannot run script on the desk's origin.

The attack this guards against: a reviewer attaches a page whose script reads the
CSRF cookie and publishes the reviewer's own verdict as the editor who opens it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from claims.models import Claim, Evidence, Verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEED = Path("/work/shared/seed/labour-volunteers-fec-complaint.html")


def attack_script(claim) -> str:
    """What a hostile evidence file runs: mark the page, then publish as the viewer."""
    return (
        "document.cookie = 'pwned=1; path=/';"
        "document.title = 'pwned';"
        "var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1];"
        f"fetch('/api/claims/{claim.pk}/actions/publish/', {{method: 'POST',"
        " credentials: 'same-origin', headers: {'Content-Type': 'application/json',"
        f" 'X-CSRFToken': csrf}}, body: JSON.stringify({{version: {claim.version}}})}});"
    )


def hostile_html(claim) -> bytes:
    page = SEED.read_bytes()  # a real article page, as a reviewer might save one
    return page + f"<script>{attack_script(claim)}</script>".encode()


def hostile_svg(claim) -> bytes:
    script = attack_script(claim).replace('"', "&quot;")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
        f'onload="{script}"><rect width="10" height="10"/></svg>'
    ).encode()


@pytest.fixture
def proposed_claim(make_claim, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    claim = make_claim(status=Claim.Status.PROPOSED, assignee=bob)
    claim.verdict = Verdict.objects.create(
        claim=claim, rating="true", conclusion="Right.", proposed_by=bob
    )
    claim.save(update_fields=["verdict"])
    return claim


@pytest.mark.parametrize(
    "name,build", [("evidence.html", hostile_html), ("evidence.svg", hostile_svg)]
)
def test_a_reviewer_cannot_upload_html_or_svg(
    new_page, make_claim, bob, settings, tmp_path, name, build
):
    settings.MEDIA_ROOT = tmp_path / "media"
    claim = make_claim(status=Claim.Status.IN_REVIEW, assignee=bob)
    path = tmp_path / name
    path.write_bytes(build(claim))
    reviewer = new_page(bob)
    reviewer.goto(claim.get_absolute_url())
    reviewer.get_by_label("…or upload a document").set_input_files(str(path))
    reviewer.get_by_role("button", name="Add evidence").click()
    expect(reviewer.locator("#action-error")).to_contain_text("correct the errors")
    expect(reviewer.locator("#evidence-form")).to_contain_text("cannot be attached as evidence")
    assert not Evidence.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


@pytest.mark.parametrize(
    "name,build", [("evidence.html", hostile_html), ("evidence.svg", hostile_svg)]
)
def test_an_old_html_or_svg_upload_opened_by_an_editor_does_not_run(
    new_page, proposed_claim, alice, bob, name, build
):
    # As an upload made before types were checked would be: a row and its file.
    item = Evidence.objects.create(claim=proposed_claim, added_by=bob, note="see this")
    item.document.save(name, ContentFile(build(proposed_claim)))
    editor = new_page(alice)
    editor.goto(proposed_claim.get_absolute_url())
    title = editor.title()
    link = editor.locator("#evidence-list a", has_text=name)
    expect(link).to_have_attribute("href", item.get_download_url())

    # Clicking the link on the claim page downloads the file, named by the type its
    # bytes are: HTML or SVG is no evidence type, so it comes as a .bin, never .html.
    with editor.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == name.rsplit(".", 1)[0] + ".bin"

    # Opening the address itself (pasted, or sent in a message), and framing it in
    # our own page, where a script would share our origin: nothing is rendered.
    opened = editor.context.new_page()
    downloads = []
    opened.on("download", lambda d: downloads.append(d))
    try:
        opened.goto(item.get_download_url())
    except PlaywrightError:
        pass  # "Download is starting": the navigation became a download
    editor.evaluate(
        "url => { const f = document.createElement('iframe'); f.src = url;"
        " document.body.appendChild(f); }",
        item.get_download_url(),
    )
    editor.wait_for_timeout(1500)  # time for a script to run, if one could

    cookies = {c["name"] for c in editor.context.cookies()}
    proposed_claim.refresh_from_db()
    assert proposed_claim.status == Claim.Status.PROPOSED, "the script published the verdict"
    assert "pwned" not in cookies, "the script ran on our origin"
    assert editor.title() == title and opened.title() != "pwned"
    assert [d.suggested_filename for d in downloads] == [name.rsplit(".", 1)[0] + ".bin"]
