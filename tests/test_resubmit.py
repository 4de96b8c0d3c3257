"""Submitting again: a failed article is tried again in place (one row, a log
entry, a new extraction), and the submit form says what is wrong once and
refuses a URL together with pasted HTML."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from claims.intake import lifecycle, submission
from claims.jobs import pipeline
from claims.models import Article

from .test_fetch import HTML

pytestmark = pytest.mark.django_db
A = Article.Status
SUBMIT = reverse("claims:submit")
INTERRUPTED = "Processing was interrupted 5 times; giving up. Submit it again to retry."


@pytest.fixture
def editor(client, alice):
    client.force_login(alice)
    return client


def _failed_paste(seed_html, alice) -> Article:
    article = submission.submit_article(actor=alice, html=seed_html).article
    assert lifecycle.fail(article.pk, INTERRUPTED)
    return article


def test_a_failed_pasted_article_is_retried_when_pasted_again(
    editor, alice, seed_html, django_capture_on_commit_callbacks
):
    failed = _failed_paste(seed_html, alice)
    with django_capture_on_commit_callbacks() as nudges:
        page = editor.post(SUBMIT, {"html": seed_html.decode()}, follow=True)
    assert page.redirect_chain[-1][0] == failed.get_absolute_url()
    assert "it is being processed again" in page.content.decode()
    assert len(nudges) == 1  # the extraction, queued on commit

    article = Article.objects.get(pk=failed.pk)
    assert (article.status, article.error, article.deliveries) == (A.RECEIVED, "", 0)
    entry = article.log.get(action="article.resubmitted")
    assert entry.actor == alice and (entry.from_status, entry.to_status) == ("failed", "received")
    assert entry.data == {"previous_error": INTERRUPTED}

    pipeline.extract_article_claims(article.pk)
    article.refresh_from_db()
    assert article.status == A.EXTRACTED and article.claims.exists()
    assert Article.objects.count() == 1


def test_a_failed_uploaded_article_is_retried_when_uploaded_again(editor, alice, seed_html):
    from django.core.files.uploadedfile import SimpleUploadedFile

    failed = _failed_paste(seed_html, alice)
    upload = SimpleUploadedFile("story.html", seed_html, content_type="text/html")
    editor.post(SUBMIT, {"file": upload})
    assert Article.objects.get(pk=failed.pk).status == A.RECEIVED
    assert Article.objects.count() == 1


def test_an_extracted_article_submitted_again_is_left_as_it_is(editor, alice, seed_html):
    article = submission.submit_article(actor=alice, html=seed_html).article
    submission.extract_and_store(lifecycle.take_lease(article.pk))
    again = submission.submit_article(actor=alice, html=seed_html)
    assert again.duplicate and not again.retried
    assert not Article.objects.get(pk=article.pk).log.filter(action="article.resubmitted").exists()


def test_a_failed_url_is_fetched_again_in_the_same_row(editor, site, seed_html):
    site.routes["/story"] = (503, HTML, b"down")
    url = site.base + "/story"
    editor.post(SUBMIT, {"url": url})
    first = Article.objects.get(url=url)
    lifecycle.fail(first.pk, f"{url} answered 503.")

    site.routes["/story"] = (200, HTML, seed_html)
    editor.post(SUBMIT, {"url": url})
    editor.post(SUBMIT, {"url": url})  # a second click while it runs: still one row
    assert list(Article.objects.filter(url=url).values_list("pk", flat=True)) == [first.pk]

    pipeline.extract_article_claims(first.pk)
    assert Article.objects.get(pk=first.pk).status == A.EXTRACTED
    assert Article.objects.count() == 1  # nothing piles up in the article list


def test_an_empty_submit_says_what_to_do_once(editor):
    page = editor.post(SUBMIT, {}).content.decode()
    assert page.count("Paste HTML, upload a file, or give a URL.") == 1


def test_a_url_and_pasted_html_together_are_refused_and_nothing_is_stored(editor, seed_html):
    page = editor.post(
        SUBMIT, {"html": seed_html.decode(), "url": "https://example.org/story"}
    ).content.decode()
    assert len(re.findall("You gave both pasted HTML and a URL", page)) == 1
    assert "clear the pasted HTML" in page and "clear the URL" in page
    assert not Article.objects.exists()
