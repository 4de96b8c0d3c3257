"""The desk's source pages in a real browser: readable, accessible, and usable on a phone."""

from __future__ import annotations

import pytest

from claims.models import Article, Source, SourceItem

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "https://news.example.org/2026/11/30/" + "a-very-long-slug-" * 8


@pytest.fixture
def wire(redis_server):
    source = Source.objects.create(name="Loopback wire", url="https://news.example.org/rss")
    failed = Article.objects.create(url=LONG, status="failed", error=f"{LONG} answered 404.")
    SourceItem.objects.create(source=source, url=failed.url, article=failed, outcome="new")
    SourceItem.objects.create(
        source=source,
        url="ftp://example.org/x",
        outcome="failed",
        reason="Give an http:// or https:// address.",
    )
    ok = Article.objects.create(
        url="https://news.example.org/ok",
        title="Council tax rises",
        status="extracted",
        content_hash="ok",
    )
    SourceItem.objects.create(source=source, url=ok.url, article=ok, outcome="new")
    return source


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_reads_a_sources_failures_and_polls_it(new_page, alice, wire, width):
    page = new_page(alice, width=width)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources").click()
    page.wait_for_url("**/sources/")
    row = page.get_by_role("row", name="Loopback wire")
    assert row.get_by_role("cell").all_inner_texts()[-3:] == ["1", "0", "2"]
    assert axe_violations(page) == []
    page.get_by_role("link", name="Loopback wire").click()
    failures = page.get_by_role("region", name="Failures")
    assert "answered 404." in failures.inner_text()
    assert "Give an http:// or https:// address." in failures.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, f"source-detail-{width}")
    page.get_by_role("button", name="Poll now").click()
    assert "Polling “Loopback wire” now" in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []


def test_a_reviewer_has_no_sources_link(new_page, bob, wire):
    page = new_page(bob)
    page.goto("/")
    assert page.get_by_role("link", name="Sources").count() == 0
    response = page.goto("/sources/")
    assert response.status == 403
