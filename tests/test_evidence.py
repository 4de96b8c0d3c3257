"""Evidence documents: types judged by their bytes, served only as attachments to
those who may see the claim, removed softly, and written only once committed."""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import clear_url_caches, reverse
from knox.models import AuthToken

from claims.models import Claim, ClaimLog, Evidence
from claims.review import evidence, workflow

from .test_workflow import claim_in

S = Claim.Status
SEED = Path("/work/shared/seed/labour-volunteers-fec-complaint.html")
SCRIPT = b"<script>document.cookie='pwned=1; path=/'</script>"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _zip(entries: list[tuple[str, bytes]], first_stored=False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, (name, data) in enumerate(entries):
            z.writestr(
                name,
                data,
                zipfile.ZIP_STORED if (first_stored and i == 0) else zipfile.ZIP_DEFLATED,
            )
    return buf.getvalue()


def _ooxml(main: str) -> bytes:
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Override PartName="/word/document.xml" '
        f'ContentType="{main}"/></Types>'
    ).encode()
    return _zip([("[Content_Types].xml", types), ("word/document.xml", b"<w:document/>")])


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

ACCEPTED = [
    ("complaint.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF", evidence.PDF),
    ("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20, evidence.PNG),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, evidence.JPEG),
    ("anim.gif", b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20, evidence.GIF),
    ("pic.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, evidence.WEBP),
    ("letter.docx", _ooxml(DOCX_MAIN), evidence.DOCX),
    ("budget.xlsx", _ooxml(XLSX_MAIN), evidence.XLSX),
    (
        "notes.odt",
        _zip([("mimetype", evidence.ODT.encode()), ("content.xml", b"<x/>")], first_stored=True),
        evidence.ODT,
    ),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, evidence.OLE),
    ("figures.csv", "year,spend £m\n2023,4.5\n2024,<5\n".encode(), evidence.CSV),
    ("transcript.txt", "\ufeffShe said: “almost 100 staff”. 3 < 4.\n".encode(), evidence.TEXT),
]


@pytest.mark.parametrize("name,data,expected", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_each_accepted_type_is_recognised_by_its_bytes(name, data, expected):
    assert evidence.check_document(SimpleUploadedFile(name, data)) == expected


REFUSED = [
    ("page.html", SEED.read_bytes() + SCRIPT),  # a real article page, with a script
    ("page.pdf", b"<!doctype html><html><body>" + SCRIPT),  # HTML named like a PDF
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("logo.png", b'  \n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("data.xml", b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml"/>'),
    ("notes.txt", b"Fine text until the end. " * 5000 + b"<script>x()</script>"),
    ("comment.txt", b"a <!-- comment -->"),
    ("latin1.txt", "Caf\u00e9 prices".encode("latin-1")),
    ("nul.txt", b"text\x00more"),
    ("archive.zip", _zip([("a.txt", b"hello")])),
    ("macro.docm", _ooxml("application/vnd.ms-word.document.macroEnabled.main+xml")),
    ("fake.odt", _zip([("mimetype", b"text/html")], first_stored=True)),
    ("prog.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ("empty.pdf", b""),
]


@pytest.mark.parametrize("name,data", REFUSED, ids=[r[0] for r in REFUSED])
def test_anything_else_is_refused_whatever_its_name(name, data):
    with pytest.raises(evidence.RefusedDocument):
        evidence.check_document(SimpleUploadedFile(name, data))


def test_a_document_over_the_limit_is_refused(settings):
    settings.MAX_EVIDENCE_BYTES = 100
    with pytest.raises(evidence.RefusedDocument, match="too large"):
        evidence.check_document(SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b" " * 200))


# ---------------------------------------------------------------------------
# The three doors refuse with a clear message and store nothing


HTML_UPLOAD = ("evidence.html", SEED.read_bytes() + SCRIPT)
SVG_UPLOAD = (
    "evidence.svg",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="document.cookie=\'pwned=1\'"/>',
)


@pytest.mark.parametrize("upload", [HTML_UPLOAD, SVG_UPLOAD], ids=["html", "svg"])
def test_the_claim_page_refuses_html_and_svg_and_keeps_nothing(
    client, bob, make_claim, media, upload
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    client.force_login(bob)
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "add_evidence"]),
        {
            "add_evidence-version": claim.version,
            "add_evidence-note": "see attached",
            "add_evidence-document": SimpleUploadedFile(*upload),
        },
    )
    assert r.status_code == 400
    assert "cannot be attached as evidence" in r.content.decode()
    assert "see attached" in r.content.decode()  # the note typed is kept
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("upload", [HTML_UPLOAD, SVG_UPLOAD], ids=["html", "svg"])
def test_the_api_refuses_html_and_svg(client, bob, make_claim, media, upload):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    _, token = AuthToken.objects.create(user=bob)
    r = client.post(
        f"/api/claims/{claim.pk}/evidence/",
        {"document": SimpleUploadedFile(*upload)},
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert r.status_code == 400
    assert "cannot be attached as evidence" in r.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.parametrize("upload", [HTML_UPLOAD, SVG_UPLOAD], ids=["html", "svg"])
def test_the_admin_refuses_html_and_svg(client, bob, make_claim, media, upload):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    client.force_login(bob)
    r = client.post(
        reverse("admin:claims_claim_act", args=[claim.pk, "add_evidence"]),
        {
            "add_evidence-version": claim.version,
            "add_evidence-document": SimpleUploadedFile(*upload),
        },
        follow=True,
    )
    assert "cannot be attached as evidence" in r.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_workflow_refuses_a_disguised_document_from_any_caller(bob, make_claim, media):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    with pytest.raises(workflow.WorkflowError, match="cannot be attached"):
        workflow.add_evidence(
            claim,
            actor=bob,
            document=SimpleUploadedFile("report.pdf", b"<html><body onload=alert(1)>"),
        )
    assert not Evidence.objects.exists() and stored_files(media) == []


# ---------------------------------------------------------------------------
# Downloads


def _add_pdf(claim, bob, django_capture_on_commit_callbacks, name="complaint.pdf"):
    with django_capture_on_commit_callbacks(execute=True):
        return workflow.add_evidence(
            claim,
            actor=bob,
            note="The complaint",
            document=SimpleUploadedFile(name, ACCEPTED[0][1]),
        )


def test_a_document_is_served_as_an_attachment_that_cannot_run(
    client, alice, bob, make_claim, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    item = _add_pdf(claim, bob, django_capture_on_commit_callbacks)
    assert item.content_type == "application/pdf"
    client.force_login(alice)
    r = client.get(item.get_download_url())
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == ACCEPTED[0][1]
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="complaint.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "uploaded_as,downloads_as",
    [
        ("evil.html", "evil.pdf"),
        ("evil.svg", "evil.pdf"),
        ("report", "report.pdf"),
        ("report.PDF", "report.PDF"),
        ("x.pdf.html", "x.pdf.pdf"),
    ],
)
def test_a_download_is_named_by_the_type_its_bytes_are(
    client, alice, bob, make_claim, django_capture_on_commit_callbacks, uploaded_as, downloads_as
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    item = _add_pdf(claim, bob, django_capture_on_commit_callbacks, name=uploaded_as)
    client.force_login(alice)
    r = client.get(item.get_download_url())
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'attachment; filename="{downloads_as}"'


def test_a_legacy_html_file_is_sent_as_an_opaque_download(client, alice, bob, make_claim):
    """An HTML file stored before types were checked: never text/html, never inline."""
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    item = Evidence.objects.create(claim=claim, added_by=bob)
    item.document.save("evidence.html", ContentFile(SEED.read_bytes() + SCRIPT))
    client.force_login(alice)
    r = client.get(item.get_download_url())
    assert r.status_code == 200
    assert r["Content-Type"] == "application/octet-stream"
    assert r["Content-Disposition"] == 'attachment; filename="evidence.bin"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r["Content-Security-Policy"]


def test_only_those_who_may_see_the_claim_may_download(
    client, alice, bob, carol, dave, make_claim, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    url = _add_pdf(claim, bob, django_capture_on_commit_callbacks).get_download_url()
    r = Client().get(url)
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    for user, expected in ((carol, 404), (dave, 403), (bob, 200), (alice, 200)):
        c = Client()
        c.force_login(user)
        assert c.get(url).status_code == expected, user
    other = claim_in(S.IN_REVIEW, make_claim, bob)  # the right evidence under another claim
    c = Client()
    c.force_login(alice)
    assert c.get(url.replace(f"/claims/{claim.pk}/", f"/claims/{other.pk}/")).status_code == 404


def test_media_is_not_served_even_with_debug_on(
    client, alice, bob, make_claim, settings, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    item = _add_pdf(claim, bob, django_capture_on_commit_callbacks)
    import factcheck.urls

    settings.DEBUG = True
    try:
        importlib.reload(factcheck.urls)
        clear_url_caches()
        for who in (Client(), client):
            if who is client:
                client.force_login(alice)
            assert who.get(f"/media/{item.document.name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(factcheck.urls)
        clear_url_caches()


def test_every_evidence_link_points_at_the_download_view(
    client, alice, bob, make_claim, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    item = _add_pdf(claim, bob, django_capture_on_commit_callbacks)
    client.force_login(alice)
    download = item.get_download_url()
    for url in (claim.get_absolute_url(), reverse("admin:claims_claim_change", args=[claim.pk])):
        page = client.get(url).content.decode()
        assert f'href="{download}"' in page, url
        assert "/media/" not in page, url
    _, token = AuthToken.objects.create(user=alice)
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    detail = client.get(f"/api/claims/{claim.pk}/", **auth).json()
    assert [e["document"] for e in detail["evidence"]] == [download]
    listed = client.get(f"/api/claims/{claim.pk}/evidence/", **auth).json()
    assert [e["document"] for e in listed] == [download]


# ---------------------------------------------------------------------------
# History: removal is soft, and a rolled-back addition leaves no file


def test_removing_evidence_keeps_the_row_and_the_file_and_logs_it(
    client, alice, bob, make_claim, media, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    item = _add_pdf(claim, bob, django_capture_on_commit_callbacks)
    claim.refresh_from_db()
    client.force_login(bob)
    r = client.post(
        reverse("claims:claim_act", args=[claim.pk, "remove_evidence"]),
        {"remove_evidence-version": claim.version, "remove_evidence-evidence": item.pk},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.removed_at is not None and item.removed_by == bob
    assert stored_files(media) == [item.document.name]
    entry = ClaimLog.objects.filter(claim=claim).last()
    assert entry.action == "claim.evidence_removed" and entry.actor == bob
    assert entry.data["evidence"] == item.pk and entry.data["document"] == item.document.name
    # Gone from the claim page and the reviewer's downloads; the editor keeps the history.
    assert "complaint.pdf" not in client.get(claim.get_absolute_url()).content.decode()
    assert client.get(item.get_download_url()).status_code == 404
    client.force_login(alice)
    assert client.get(item.get_download_url()).status_code == 200
    # Removing it again is refused, with no second log row.
    claim.refresh_from_db()
    with pytest.raises(workflow.InvalidState):
        workflow.remove_evidence(Evidence.objects.get(pk=item.pk), actor=bob)
    assert ClaimLog.objects.filter(claim=claim, action="claim.evidence_removed").count() == 1


def test_a_stale_add_evidence_leaves_no_file(
    bob, make_claim, media, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    claim.version -= 1  # someone else changed the claim meanwhile
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(workflow.StaleClaim):
            workflow.add_evidence(
                claim, actor=bob, document=SimpleUploadedFile("complaint.pdf", ACCEPTED[0][1])
            )
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_an_add_evidence_rolled_back_by_its_caller_leaves_no_file(
    bob, make_claim, media, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                workflow.add_evidence(
                    claim, actor=bob, document=SimpleUploadedFile("complaint.pdf", ACCEPTED[0][1])
                )
                raise RuntimeError("the caller fails after adding")
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_committed_add_evidence_writes_its_file_under_the_logged_name(
    bob, make_claim, media, django_capture_on_commit_callbacks
):
    claim = claim_in(S.IN_REVIEW, make_claim, bob)
    first = _add_pdf(claim, bob, django_capture_on_commit_callbacks)
    claim.refresh_from_db()
    second = _add_pdf(claim, bob, django_capture_on_commit_callbacks)  # same file name
    names = [first.document.name, second.document.name]
    assert stored_files(media) == sorted(names) and len(set(names)) == 2
    logged = [
        e.data["document"]
        for e in ClaimLog.objects.filter(claim=claim, action="claim.evidence_added")
    ]
    assert logged == names
    assert [e.document.name for e in Evidence.objects.order_by("id")] == names
