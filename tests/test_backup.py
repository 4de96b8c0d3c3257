"""export_desk / import_desk: a desk round-trips into an empty database, file and all."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, ClaimLog, Source, SourceItem
from claims.review import workflow

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4 the minister's letter, scanned\n" + bytes(range(256)) * 40


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def desk(media, alice, bob, carol, make_claim):
    """A desk mid-flight: a published claim with evidence (a file), a verdict that was
    sent back and one signed off, a claim in review, a source with items, and history
    that names a user who has since been deleted."""
    published = make_claim()
    workflow.assign(published, bob, actor=alice)
    workflow.start_review(published, actor=bob)
    workflow.add_evidence(
        published, actor=bob, note="The letter", document=SimpleUploadedFile("letter.pdf", PDF)
    )
    workflow.add_evidence(published, actor=bob, url="https://example.org/post")
    workflow.propose_verdict(
        published,
        actor=bob,
        rating="mostly_true",
        conclusion="Close.",
        sources=["https://example.org/a"],
    )
    workflow.send_back(published, actor=alice, comment="Find the letter.")
    workflow.propose_verdict(
        published, actor=bob, rating="mostly_true", conclusion="The letter says almost 100."
    )
    workflow.sign_off(published, actor=alice)
    workflow.publish(published, actor=alice)
    in_review = make_claim(text="Prices rose 9% in 2022.")
    workflow.assign(in_review, carol, actor=alice)
    workflow.start_review(in_review, actor=carol)
    source = Source.objects.create(name="Wire", url="https://example.org/rss", created_by=alice)
    SourceItem.objects.create(source=source, url="ftp://x", outcome="failed", reason="No.")
    gone = type(alice).objects.create_user("gone", password="x")
    ClaimLog.objects.create(
        claim=in_review, action="claim.comment", actor=gone, comment="Left before the restore."
    )
    gone.delete()
    return published


def database_env(tmp_path, name="restored"):
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / name}.sqlite3",
        MEDIA_ROOT=str(tmp_path / f"{name}-media"),
    )


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def data_files(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {
            m.name.split("-", 1)[1] if m.name.startswith("data/") else m.name: tar.extractfile(
                m
            ).read()
            for m in tar
            if m.isfile() and m.name != "manifest.json"
        }


@pytest.mark.django_db(transaction=True)
def test_a_desk_round_trips_into_an_empty_database(desk, tmp_path, media):
    archive = tmp_path / "desk.tar.gz"
    call_command("export_desk", str(archive))
    env = database_env(tmp_path)
    assert manage(env, "migrate", "-v0").returncode == 0
    # As the history helper's trigger does: the log refuses UPDATE and DELETE.
    db = sqlite3.connect(tmp_path / "restored.sqlite3")
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER claimlog_no_{verb} BEFORE {verb} ON claims_claimlog "
            "BEGIN SELECT RAISE(ABORT, 'append-only'); END"
        )
    db.commit()
    db.close()

    restored = manage(env, "import_desk", str(archive))
    assert restored.returncode == 0, restored.stderr
    # Exporting the restored desk gives back the same rows and files, byte for byte.
    again = tmp_path / "again.tar.gz"
    assert manage(env, "export_desk", str(again)).returncode == 0
    before, after = data_files(archive), data_files(again)
    assert before.keys() == after.keys()
    for name in before:
        assert before[name] == after[name], name
    assert any(PDF == body for name, body in after.items() if name.startswith("media/"))

    facts = manage(
        env,
        "shell",
        "-c",
        (
            "import json;from claims.models import *;from django.contrib.auth.models import User;"
            "c=Claim.objects.get(status='published');e=c.evidence.exclude(document='').get();"
            "print(json.dumps({'verdict':c.verdict.conclusion,'states':sorted(c.verdicts.values_list("
            "'state',flat=True)),'file':e.document.read().hex(),'log':list(c.log.values_list("
            "'action',flat=True)),'orphan':ClaimLog.objects.get(action='claim.comment').actor_name,"
            "'bob_reviews':User.objects.get(username='bob').has_perm('claims.review_claim'),"
            "'new_article':Article.objects.create(title='after').pk>Article.objects.order_by('pk')"
            ".first().pk}))"
        ),
    )
    assert facts.returncode == 0, facts.stderr
    got = json.loads(facts.stdout.strip().splitlines()[-1])
    assert got["verdict"] == "The letter says almost 100."
    assert got["states"] == ["published", "sent_back"]
    assert bytes.fromhex(got["file"]) == PDF
    assert got["log"] == list(desk.log.values_list("action", flat=True))
    assert got["orphan"].startswith("user #")  # history outlives its users
    assert got["bob_reviews"] is True
    assert got["new_article"] is True  # ids carry on after the restored ones

    # A second import into the now non-empty desk is refused and changes nothing.
    twice = manage(env, "import_desk", str(archive))
    assert twice.returncode == 1 and "empty one" in twice.stderr
    count = manage(
        env, "shell", "-c", "from claims.models import ClaimLog; print(ClaimLog.objects.count())"
    )
    assert int(count.stdout.strip().splitlines()[-1]) == ClaimLog.objects.count()


@pytest.mark.django_db
def test_a_damaged_archive_is_refused_and_restores_nothing(tmp_path, media):
    Article.objects.create(title="only", content_hash="only")
    archive = tmp_path / "desk.tar.gz"
    call_command("export_desk", str(archive))
    Article.objects.all().delete()
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:-200])
    with pytest.raises(CommandError, match="Cannot read the archive"):
        call_command("import_desk", str(truncated))
    assert not Article.objects.exists()
    not_ours = tmp_path / "other.tar.gz"
    with tarfile.open(not_ours, "w:gz") as tar:
        tar.add(__file__, arcname="data/000-claims.article.jsonl")
    with pytest.raises(CommandError, match="no manifest"):
        call_command("import_desk", str(not_ours))
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(gzip.compress(b"not a tar at all" * 100))
    with pytest.raises(CommandError):
        call_command("import_desk", str(garbage))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_desk", str(tmp_path / "missing.tar.gz"))
    assert not Article.objects.exists()
    # The intact archive still restores.
    call_command("import_desk", str(archive))
    assert Article.objects.get().title == "only"


@pytest.mark.django_db
def test_a_media_path_that_climbs_out_is_refused(tmp_path, media):
    archive = tmp_path / "desk.tar.gz"
    call_command("export_desk", str(archive))
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(evil, "w:gz") as dst:
        for member in src:
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
        payload = tmp_path / "payload"
        payload.write_bytes(b"owned")
        dst.add(payload, arcname="media/../../escaped.txt")
    with pytest.raises(CommandError):
        call_command("import_desk", str(evil))
    assert not (tmp_path / "escaped.txt").exists()
    assert not (media.parent / "escaped.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_the_import_only_inserts(desk, tmp_path, media):
    from django.db import connection

    archive = tmp_path / "desk.tar.gz"
    call_command("export_desk", str(archive))
    logged = ClaimLog.objects.count()
    call_command("flush", interactive=False)  # migrate's groups come back (post_migrate)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call_command("import_desk", str(archive))
    changes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "DELETE"))]
    assert all('"auth_group"' in s for s in changes), changes
    assert any(
        s.lstrip().upper().startswith("INSERT") and "claims_claimlog" in s for s in statements
    )
    assert ClaimLog.objects.count() == logged


@pytest.mark.django_db
def test_times_keep_their_microseconds_through_a_backup():
    """Django's JSON encoder cuts times to milliseconds, so a row stamped at
    12:00:00.000123 came back as 12:00:00 and the restore was not exact."""
    from datetime import UTC, datetime

    from django.core import serializers

    from claims.backoffice.backup import ExactJSONEncoder

    stamp = datetime(2026, 3, 1, 12, 0, 0, 123, tzinfo=UTC)
    article = Article.objects.create(title="t", content_hash="micro", submitted_at=stamp)
    line = serializers.serialize("jsonl", [article], cls=ExactJSONEncoder)
    (restored,) = serializers.deserialize("jsonl", line)
    assert restored.object.submitted_at == stamp
