"""Language: a non-English article is not scored as English, and its page says so."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from django.urls import reverse

from claims.extraction import detect_language, extract, language_name
from claims.intake import submission
from claims.models import Article, Claim
from tests.realpages import DATA as REAL_PAGES
from tests.realpages import load_pages

SAMPLES = Path(__file__).resolve().parent / "data" / "languages"


def sample(name: str, encoding: str = "utf-8") -> str:
    return (SAMPLES / f"sample-{name}.txt").read_text(encoding=encoding)


def as_page(text: str, title: str) -> str:
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>\n" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


@pytest.mark.parametrize(
    "name,encoding,code",
    [
        ("french", "utf-8", "fr"),
        ("spanish", "utf-8", "es"),
        ("turkish", "iso-8859-9", "tr"),
        ("english.bom", "utf-8-sig", "en"),
    ],
)
def test_real_text_samples_are_recognised(name, encoding, code):
    assert detect_language(sample(name, encoding)) == code


def test_a_few_words_are_taken_as_english_rather_than_guessed():
    assert detect_language("Oui.") == "en"
    assert detect_language("") == "en"


def test_language_names():
    assert language_name("fr") == "French"
    assert language_name("xx") == "xx"


def test_a_french_article_gets_no_checkworthy_sentence():
    result = extract(as_page(sample("french"), "Molière"))
    assert result.document.language == "fr"
    assert len(result.sentences) > 10
    assert not any(s.checkworthy for s in result.sentences)
    assert all(s.score == 0.0 for s in result.sentences)
    assert result.to_json()["language"] == "fr"


@pytest.mark.skipif(not (REAL_PAGES / "expected.json").exists(), reason="no real pages")
def test_the_german_page_among_the_real_pages_is_german_and_not_scored():
    page = next(p for p in load_pages() if p.name == "prof-pc.de")
    result = extract(page.html)
    assert result.document.language == "de"
    assert not any(s.checkworthy for s in result.sentences)


def test_an_english_article_is_still_scored(seed_html):
    result = extract(seed_html)
    assert result.document.language == "en"
    assert sum(s.checkworthy for s in result.sentences) >= 3


@pytest.mark.django_db
def test_the_worker_stores_the_language_and_queues_nothing_for_a_french_article(alice):
    page = as_page(sample("french"), "Molière")
    article = submission.submit_article(actor=alice, html=page).article
    submission.extract_and_store(article)
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    assert article.language == "fr"
    assert article.sentence_count > 10
    assert not Claim.objects.filter(article=article).exists()


@pytest.mark.django_db
def test_the_article_page_says_a_french_article_was_not_scored(client, alice):
    french = Article.objects.create(
        title="Molière",
        text="Texte.",
        language="fr",
        status=Article.Status.EXTRACTED,
        submitted_by=alice,
    )
    english = Article.objects.create(
        title="Budget",
        text="Text.",
        language="en",
        status=Article.Status.EXTRACTED,
        submitted_by=alice,
        authors=["Jane Doe", "John Roe"],
    )
    client.force_login(alice)
    page = client.get(reverse("claims:article", args=[french.pk])).content.decode()
    assert "This article is in French; claims were not scored." in page
    page = client.get(reverse("claims:article", args=[english.pk])).content.decode()
    assert "claims were not scored" not in page
    assert "By Jane Doe, John Roe" in page
