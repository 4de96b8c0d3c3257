"""The command-line tools, run as a user (or another tool) runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import Article, Claim

from .conftest import SEED, wait_until

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, stdin=None, env_extra=None):
    # No database and no Redis: point both at places that cannot work, so a
    # command that touched either would fail.
    env = dict(
        os.environ,
        DATABASE_URL="sqlite:////nonexistent/dir/db.sqlite3",
        REDIS_URL="redis://127.0.0.1:1/0",
        **(env_extra or {}),
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=60,
    )


def test_extract_claims_lists_every_sentence_and_the_seed_claims():
    result = manage("extract_claims", str(SEED))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    sentences = data["sentences"]
    assert set(data) >= {"title", "sentences"}
    assert len(sentences) >= 20
    for s in sentences:
        assert {
            "text",
            "start",
            "end",
            "score",
            "checkworthy",
            "claim_type",
            "speaker",
            "links",
        } <= set(s)
    assert [s["start"] for s in sentences] == sorted(s["start"] for s in sentences)

    def find(needle):
        return next(s for s in sentences if needle in s["text"])

    complaint = find("six-page complaint")
    staff = find("almost 100 current and former staff")
    impeached = find("In 2019 he was impeached")
    assert complaint["checkworthy"] and complaint["speaker"] == "Gary Lawkowski"
    assert staff["checkworthy"] and staff["claim_type"] == "quantity"
    assert any(n["value"] == 100 for n in staff["numbers"])
    assert impeached["checkworthy"]
    assert not find("And that’s really straightforward.")["checkworthy"]


def test_extract_claims_reads_stdin_and_refuses_unreadable_input(tmp_path):
    result = manage("extract_claims", "-", stdin=SEED.read_bytes())
    assert result.returncode == 0 and "six-page complaint" in result.stdout.decode()

    binary = manage("extract_claims", "-", stdin=b"%PDF-1.7\x00\x01\x02binary")
    assert binary.returncode != 0
    errors = [line for line in binary.stderr.decode().splitlines() if "Error" in line]
    assert len(errors) == 1 and "cannot extract" in errors[0]

    missing = manage("extract_claims", str(tmp_path / "nope.html"))
    assert missing.returncode != 0 and b"cannot read" in missing.stderr


def test_score_sentences_answers_one_line_per_line_in_order():
    lines = [
        "Thank you very much.",
        "Unemployment fell to 4.1% in March, the lowest rate since 1975.",
        "",
        "Almost 100 current and former staff were campaigning in four states.",
    ]
    result = manage("score_sentences", stdin="\n".join(lines).encode())
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["text"] for o in out] == lines
    assert all(0 <= o["score"] <= 1 and set(o) == {"text", "score", "checkworthy"} for o in out)
    assert out[1]["checkworthy"] and out[3]["checkworthy"]
    assert not out[0]["checkworthy"]
    assert out[1]["score"] > out[0]["score"]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_ingest_article_stores_extracts_and_queues(
    celery_worker, redis_server, settings, alice, bob, capsys
):
    settings.REDIS_URL_FROM_ENV = redis_server.url  # don't start the dev Redis
    call_command("ingest_article", str(SEED), user="alice", wait=30)
    out = capsys.readouterr().out
    article = Article.objects.get()
    assert out.strip() == f"article {article.pk}: {article.claims.count()} claims"
    assert article.submitted_by == alice
    wait_until(
        lambda: all(c.assignee_id == bob.pk for c in Claim.objects.all()), message="claims assigned"
    )
    call_command("ingest_article", str(SEED), wait=0)
    assert "(already submitted)" in capsys.readouterr().out
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_ingest_article_refuses_unknown_users_and_missing_files(settings, redis_server):
    from django.core.management.base import CommandError

    settings.REDIS_URL_FROM_ENV = redis_server.url
    with pytest.raises(CommandError, match="no such user"):
        call_command("ingest_article", str(SEED), user="nobody")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("ingest_article", "/nonexistent/story.html")
    assert not Article.objects.exists()
