"""Bulk ingest from the command line: ingest_urls and ingest_feed, as scripts run them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from claims.models import Article

from .test_sources import HTML, RSS, real_page, rss

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_env(settings, redis_server):
    settings.REDIS_URL_FROM_ENV = redis_server.url  # don't start the dev Redis
    return redis_server


def url_file(tmp_path, lines):
    path = tmp_path / "urls.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_all_accepted_prints_the_summary_and_succeeds(
    tmp_path,
    site,
    redis_env,
    alice,  # noqa: F811
    capsys,
):
    site.routes["/bbc"] = (200, HTML, real_page("bbc.com.52241221"))
    Article.objects.create(url=site.base + "/old", content_hash="old", status="extracted")
    path = url_file(
        tmp_path, ["# today's wire", "", site.base + "/bbc", "   " + site.base + "/old  ", ""]
    )
    call_command("ingest_urls", str(path), user="alice", progress="always")
    out, err = capsys.readouterr()
    assert out.strip() == "new: 1, duplicate: 1, failed: 0"
    assert "2/2" in err  # the progress bar, on stderr
    assert Article.objects.get(url=site.base + "/bbc").submitted_by == alice


@pytest.mark.django_db
def test_a_refused_url_is_listed_with_its_reason_and_exits_1(tmp_path, redis_env, settings, capsys):
    settings.FETCH_ALLOW_PRIVATE = True
    path = url_file(tmp_path, ["https://example.org/a", "ftp://example.org/b", "not a url"])
    with pytest.raises(CommandError) as refused:
        call_command("ingest_urls", str(path), progress="never")
    assert refused.value.returncode == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "new: 1, duplicate: 0, failed: 2"
    assert out[1] == "failed: ftp://example.org/b: Give an http:// or https:// address."
    assert out[2].startswith("failed: not a url: ")
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_nothing_to_do_and_bad_input_exit_2(tmp_path, redis_env, capsys):
    empty = url_file(tmp_path, ["# nothing today", ""])
    with pytest.raises(CommandError) as nothing:
        call_command("ingest_urls", str(empty))
    assert nothing.value.returncode == 2
    with pytest.raises(CommandError) as missing:
        call_command("ingest_urls", str(tmp_path / "nope.txt"))
    assert missing.value.returncode == 2 and "cannot read" in str(missing.value)
    with pytest.raises(CommandError) as nobody:
        call_command("ingest_urls", str(empty), user="nobody")
    assert nobody.value.returncode == 2
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError) as unreadable:
        call_command("ingest_urls", str(binary))
    assert unreadable.value.returncode == 2
    assert not Article.objects.exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_waiting_counts_unfetchable_pages_and_repeated_texts(
    celery_worker,
    tmp_path,
    site,
    redis_env,
    capsys,
):
    site.routes["/a"] = (200, HTML, real_page("axios.com.future"))
    site.routes["/a-again"] = (200, HTML, real_page("axios.com.future"))
    path = url_file(tmp_path, [site.base + "/a"])
    call_command("ingest_urls", str(path), wait=60, progress="never")
    assert capsys.readouterr().out.strip() == "new: 1, duplicate: 0, failed: 0"
    # Both are new addresses; with --wait, what the worker found is counted.
    path = url_file(tmp_path, [site.base + "/a-again", site.base + "/gone2"])
    with pytest.raises(CommandError) as failed:
        call_command("ingest_urls", str(path), wait=60, progress="never")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "new: 0, duplicate: 1, failed: 1"
    assert out[1] == f"failed: {site.base}/gone2: {site.base}/gone2 answered 404."


@pytest.mark.django_db
def test_ingest_feed_submits_what_the_feed_lists(site, redis_env, capsys):
    site.routes["/feed.rss"] = (200, RSS, rss(site.base, ["/one", "/two", "mailto:x@y.z"]))
    with pytest.raises(CommandError) as some_failed:
        call_command("ingest_feed", site.base + "/feed.rss", progress="never")
    assert some_failed.value.returncode == 1
    assert capsys.readouterr().out.startswith("new: 2, duplicate: 0, failed: 1")
    assert Article.objects.count() == 2

    site.routes["/page"] = (200, HTML, b"<p>Not a feed at all.</p>")
    with pytest.raises(CommandError) as unreadable:
        call_command("ingest_feed", site.base + "/page")
    assert unreadable.value.returncode == 2 and "Not an RSS or Atom feed" in str(unreadable.value)


def _database_url() -> str:
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_a_script_reads_urls_from_stdin_and_gets_the_exit_status(site, redis_server):
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        REDIS_URL=redis_server.url,
        FETCH_ALLOW_PRIVATE="true",
    )

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = run("ingest_urls", "-", stdin=f"{site.base}/x\n# note\n{site.base}/y\n")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "new: 2, duplicate: 0, failed: 0"
    assert "url/s" not in ok.stderr and "it/s" not in ok.stderr  # no bar: not a terminal
    some = run("ingest_urls", "-", stdin=f"{site.base}/x\nftp://nope\n")
    assert some.returncode == 1
    assert "new: 0, duplicate: 1, failed: 1" in some.stdout
    assert "1 of 2 URLs failed." in some.stderr
    assert run("ingest_urls", "-", stdin="\n# nothing\n").returncode == 2
    assert run("ingest_urls").returncode == 2  # argparse: the file is required
    assert Article.objects.count() == 2
