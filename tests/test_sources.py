"""Monitored sources: a real feed on loopback, polled through the real worker."""

from __future__ import annotations

import gzip
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from claims.intake import sources
from claims.jobs import sources as source_jobs
from claims.models import Article, Source, SourceItem

from .conftest import queue_drained, wait_until

PAGES = Path("/work/shared/data/extraction/real-pages-en/html")
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
XML = {"Content-Type": "application/xml"}


def real_page(name: str) -> bytes:
    return gzip.decompress((PAGES / f"{name}.html.gz").read_bytes())


def rss(base: str, links: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Item {i}</title><link>{link if '://' in link else base + link}</link>"
        f"<guid>{i}</guid></item>"
        for i, link in enumerate(links)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Loopback news</title><link>{base}/</link><description>Test</description>"
        f"{items}</channel></rss>"
    ).encode()


def serve_news(site):
    """Two real articles, one of them again at a second address, a dead link and
    an address the desk refuses, plus one already on the desk."""
    site.routes["/bbc"] = (200, HTML, real_page("bbc.com.52241221"))
    site.routes["/axios"] = (200, HTML, real_page("axios.com.future"))
    site.routes["/axios-copy"] = (200, HTML, real_page("axios.com.future"))
    links = ["/bbc", "/axios", "/axios-copy", "/gone", "ftp://example.org/story", "/known"]
    site.routes["/feed.rss"] = (200, RSS, rss(site.base, links))
    Article.objects.create(
        url=site.base + "/known",
        title="Known",
        content_hash="known",
        status=Article.Status.EXTRACTED,
    )


def settled():
    done = (Article.Status.EXTRACTED, Article.Status.DUPLICATE, Article.Status.FAILED)
    return (
        SourceItem.objects.count() == 6
        and not Article.objects.exclude(status__in=done).exists()
        and queue_drained()
    )


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_beat_polls_a_loopback_feed_through_the_worker_and_counts_each_outcome(
    celery_worker, site, alice
):
    from factcheck.celery import app

    serve_news(site)
    source = Source.objects.create(
        name="Loopback news",
        url=site.base + "/feed.rss",
        poll_interval_minutes=15,
        created_by=alice,
    )
    # What beat sends every minute, by the name in the schedule.
    entry = app.conf.beat_schedule["poll-due-sources"]
    app.send_task(entry["task"])
    wait_until(settled, timeout=90, message="feed polled and its articles processed")

    source = Source.objects.with_counts().get(pk=source.pk)
    assert (source.new_count, source.duplicate_count, source.failed_count) == (2, 2, 2)
    assert source.last_polled_at and source.last_error == ""
    assert source.next_poll_at > timezone.now() + timedelta(minutes=14)
    items = {i.url.removeprefix(site.base): i for i in SourceItem.objects.select_related("article")}
    assert items["/bbc"].final_outcome == "new"
    assert items["/axios-copy"].final_outcome == "duplicate"  # same text, other address
    assert items["/known"].outcome == "duplicate"  # same address
    assert items["/gone"].final_outcome == "failed"
    assert "404" in items["/gone"].final_reason
    assert items["ftp://example.org/story"].outcome == "failed"
    assert "http://" in items["ftp://example.org/story"].reason
    assert site.hits.count("/bbc") == 1

    # Not due yet: the next tick leaves it alone.
    site.routes["/feed.rss"] = (200, RSS, rss(site.base, ["/bbc", "/later"]))
    app.send_task(entry["task"])
    wait_until(queue_drained, message="second tick done")
    assert site.hits.count("/feed.rss") == 1

    # "Poll now": only the item it has not listed before is submitted.
    site.routes["/later"] = (200, HTML, real_page("abc13.com-Copperfield"))
    sources.request_poll(source)
    source_jobs.poll_due_sources.delay()
    wait_until(lambda: SourceItem.objects.count() == 7 and queue_drained(), message="the new item")
    assert site.hits.count("/bbc") == 1
    assert SourceItem.objects.get(url=site.base + "/later").outcome == "new"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_given_the_tick_twice_poll_a_source_once(site, redis_server, tmp_path):
    """Two beat ticks (or two beats) land on a prefork worker with two processes at
    once; the lease is taken before the slow fetch, so the feed is fetched once.
    (The race between two reads of one due source is pinned down by the next test.)"""
    import os
    import subprocess
    import sys

    from django.db import connection

    from factcheck.celery import app

    site.routes["/feed.rss"] = (200, RSS, rss(site.base, ["/a"]), 1.0)  # a slow answer
    Source.objects.create(name="Slow", url=site.base + "/feed.rss")
    redis_server.flush()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{connection.settings_dict['NAME']}",
        REDIS_URL=redis_server.url,
        FETCH_ALLOW_PRIVATE="true",
    )
    if not connection.settings_dict["ENGINE"].endswith("sqlite3"):
        from .test_ingest_commands import _database_url

        env["DATABASE_URL"] = _database_url()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "factcheck",
            "worker",
            "-P",
            "prefork",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=open(tmp_path / "worker.log", "wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(2):
            app.send_task("claims.jobs.sources.poll_due_sources")
        wait_until(
            lambda: SourceItem.objects.exists() and queue_drained(),
            timeout=90,
            message="the polls done",
        )
        assert site.hits.count("/feed.rss") == 1
        assert SourceItem.objects.count() == 1
    finally:
        worker.terminate()
        worker.wait(30)


@pytest.mark.django_db
def test_of_two_pollers_that_read_one_due_source_only_one_polls_it():
    source = Source.objects.create(
        name="S", url="https://example.org/feed", poll_interval_minutes=10
    )
    now = timezone.now()
    seen_by_a = list(sources.due_sources(now))
    seen_by_b = list(sources.due_sources(now))
    assert sources.lease_source(seen_by_a[0], now) is True
    assert sources.lease_source(seen_by_b[0], now) is False
    source.refresh_from_db()
    assert source.next_poll_at == now + timedelta(minutes=10)
    # Its next turn comes round, once.
    later = now + timedelta(minutes=10)
    again = list(sources.due_sources(later))
    assert [s.pk for s in again] == [source.pk]
    assert sources.lease_source(again[0], later) and not sources.lease_source(again[0], later)


@pytest.mark.django_db
def test_paused_sources_are_not_polled():
    Source.objects.create(name="S", url="https://example.org/feed", active=False)
    assert sources.claim_due_source() is None


@pytest.mark.django_db
def test_a_source_that_cannot_be_read_records_why_and_waits_its_turn(site, redis_server):
    site.routes["/down"] = (503, {}, b"busy")
    site.routes["/page"] = (200, HTML, real_page("bbc.com.52241221"))
    down = Source.objects.create(name="Down", url=site.base + "/down")
    page = Source.objects.create(name="Page", url=site.base + "/page")
    assert sources.poll_due_sources() == 2
    down.refresh_from_db()
    page.refresh_from_db()
    assert "503" in down.last_error and down.next_poll_at > timezone.now()
    assert "Not an RSS or Atom feed" in page.last_error
    assert not SourceItem.objects.exists()
    assert sources.poll_due_sources() == 0  # nobody is due again yet


@pytest.mark.django_db
def test_sitemaps_index_news_and_gzip_are_read(site, redis_server):
    news = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{site.base}/a</loc><news:news><news:title>A</news:title></news:news></url>"
        f"<url><loc>{site.base}/b</loc></url></urlset>"
    ).encode()
    index = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.base}/news.xml.gz</loc><lastmod>2026-11-30</lastmod></sitemap>"
        "</sitemapindex>"
    ).encode()
    site.routes["/sitemap.xml"] = (200, XML, index)
    site.routes["/news.xml.gz"] = (200, {"Content-Type": "application/x-gzip"}, gzip.compress(news))
    source = Source.objects.create(
        name="Sitemap", url=site.base + "/sitemap.xml", kind=Source.Kind.SITEMAP
    )
    tally = sources.poll_source(source)
    assert (tally.new, tally.duplicate, tally.failed, tally.error) == (2, 0, 0, "")
    assert sorted(SourceItem.objects.values_list("url", flat=True)) == [
        site.base + "/a",
        site.base + "/b",
    ]


def test_a_sitemap_with_an_external_entity_is_not_expanded():
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://example.org/&x;</loc></url></urlset>"
    )
    pages, _ = sources.parse_sitemap(evil)
    assert not any("root:" in p for p in pages)


def test_a_gzip_bomb_is_refused(settings):
    settings.MAX_ARTICLE_BYTES = 10_000
    with pytest.raises(sources.SourceError, match="too large"):
        sources.parse_sitemap(gzip.compress(b"<urlset>" + b" " * 50_000 + b"</urlset>"))


# ---------------------------------------------------------------------------
# The desk, the admin and the API


@pytest.fixture
def loopback_source(db, alice):
    source = Source.objects.create(name="Loopback news", url="https://news.example.org/rss")
    article = Article.objects.create(
        url="https://news.example.org/gone",
        status="failed",
        error="https://news.example.org/gone answered 404.",
    )
    SourceItem.objects.create(source=source, url=article.url, article=article, outcome="new")
    SourceItem.objects.create(
        source=source,
        url="ftp://x",
        outcome="failed",
        reason="Give an http:// or https:// address.",
    )
    ok = Article.objects.create(
        url="https://news.example.org/ok",
        title="A fine story",
        status="extracted",
        content_hash="ok",
    )
    SourceItem.objects.create(source=source, url=ok.url, article=ok, outcome="new")
    return source


def test_the_desk_lists_sources_with_counts_and_each_failure_with_its_reason(
    client, alice, loopback_source
):
    client.force_login(alice)
    page = client.get("/sources/").content.decode()
    assert "Loopback news" in page and 'href="/sources/"' in page
    row = page[page.index("Loopback news") :]
    assert [c.split("<")[0] for c in row.split("<td>")[4:7]] == ["1", "0", "2"]
    detail = client.get(f"/sources/{loopback_source.pk}/").content.decode()
    assert "answered 404." in detail
    assert "Give an http:// or https:// address." in detail
    assert "A fine story" in detail


def test_only_editors_see_sources(client, bob, loopback_source):
    client.force_login(bob)
    assert client.get("/sources/").status_code == 403
    assert client.get(f"/sources/{loopback_source.pk}/").status_code == 403
    assert client.post(f"/sources/{loopback_source.pk}/poll/").status_code == 403
    assert 'href="/sources/"' not in client.get("/").content.decode()


def test_poll_now_on_the_desk_makes_the_source_due(client, alice, loopback_source, redis_server):
    later = timezone.now() + timedelta(hours=1)
    Source.objects.filter(pk=loopback_source.pk).update(next_poll_at=later)
    client.force_login(alice)
    r = client.post(f"/sources/{loopback_source.pk}/poll/", follow=True)
    assert "Polling" in r.content.decode()
    loopback_source.refresh_from_db()
    assert loopback_source.next_poll_at <= timezone.now()


def test_the_admin_lists_counts_and_polls_now(client, root, loopback_source, redis_server):
    client.force_login(root)
    page = client.get("/admin/claims/source/").content.decode()
    assert "Loopback news" in page and 'class="field-failed_items">2<' in page
    Source.objects.filter(pk=loopback_source.pk).update(
        next_poll_at=timezone.now() + timedelta(hours=1)
    )
    r = client.post(
        "/admin/claims/source/",
        {"action": "poll_now", "_selected_action": [loopback_source.pk]},
        follow=True,
    )
    assert "Polling 1 sources now." in r.content.decode()
    loopback_source.refresh_from_db()
    assert loopback_source.next_poll_at <= timezone.now()
    items = client.get("/admin/claims/sourceitem/?outcome=failed").content.decode()
    assert "Give an http:// or https:// address." in items


def test_the_admin_refuses_a_private_source_address(client, root, settings):
    settings.FETCH_ALLOW_PRIVATE = False
    client.force_login(root)
    r = client.post(
        "/admin/claims/source/add/",
        {
            "name": "Inside",
            "url": "http://127.0.0.1/feed",
            "kind": "feed",
            "poll_interval_minutes": 5,
            "active": "on",
        },
    )
    assert r.status_code == 200 and "private or local address" in r.content.decode()
    assert not Source.objects.exists()


def test_the_api_manages_sources_for_editors_only(client, alice, bob, settings, redis_server):
    settings.FETCH_ALLOW_PRIVATE = False
    client.force_login(bob)
    assert client.get("/api/sources/").status_code == 403
    client.force_login(alice)
    refused = client.post(
        "/api/sources/",
        {"name": "Inside", "url": "http://127.0.0.1/x"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "private" in refused.json()["detail"]
    settings.FETCH_ALLOW_PRIVATE = True  # example.org need not resolve here
    made = client.post(
        "/api/sources/",
        {"name": "Wire", "url": "https://example.org/rss", "poll_interval_minutes": 5},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["new_count"] == 0 and body["created_by"]["username"] == "alice"
    pk = body["id"]
    SourceItem.objects.create(source_id=pk, url="ftp://x", outcome="failed", reason="Nope.")
    listed = client.get("/api/sources/").json()["results"]
    assert listed[0]["failed_count"] == 1
    items = client.get(f"/api/sources/{pk}/items/").json()["results"]
    assert items[0]["outcome"] == "failed" and items[0]["reason"] == "Nope."
    polled = client.post(f"/api/sources/{pk}/poll/")
    assert polled.status_code == 202
    assert Source.objects.get(pk=pk).next_poll_at <= timezone.now()
    zero = client.patch(
        f"/api/sources/{pk}/", {"poll_interval_minutes": 0}, content_type="application/json"
    )
    assert zero.status_code == 400


def test_urls_already_submitted_are_duplicates(db, alice, settings, redis_server):
    settings.FETCH_ALLOW_PRIVATE = True
    first = sources.submit_url("https://example.org/story", actor=alice)
    again = sources.submit_url("https://example.org/story", actor=alice)
    assert first.outcome == "new" and again.outcome == "duplicate"
    assert again.article_id == first.article_id


def test_a_worker_process_knows_every_task_by_the_name_it_is_sent_by():
    # A worker registers what claims.jobs imports; the beat schedule, the routes and
    # the outbox name tasks as strings, so each name must be a registered task.
    import subprocess
    import sys

    code = (
        "import django; django.setup(); "
        "from factcheck.celery import app, QUEUE_OF_TASK; from claims import outbox; "
        "app.loader.import_default_modules(); "
        "names = [e['task'] for e in app.conf.beat_schedule.values()] + list(QUEUE_OF_TASK) "
        "+ [v for k, v in vars(outbox).items() if k.isupper()]; "
        "print(sorted(n for n in names if n not in app.tasks) or True)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        timeout=120,
    )
    assert run.stdout.strip().splitlines()[-1] == "True", run.stderr
