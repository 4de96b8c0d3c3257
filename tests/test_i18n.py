"""A second language: Spanish, chosen per user or by Accept-Language; the public
site speaks one publishing language whatever the visitor asks for."""

from __future__ import annotations

import gettext
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, DeskPreference, Notification
from claims.ratings import review_rating_jsonld
from claims.review import workflow

S = Claim.Status
CLAIMS = Path(__file__).resolve().parent.parent / "claims"
PO = CLAIMS / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
HTML_LANG = re.compile(r'<html lang="([^"]+)">')


def _entries(po_text: str) -> list[dict]:
    """The entries of a .po file: msgid, msgstr(s), flags (no polib needed)."""
    entries = []
    for block in po_text.split("\n\n"):
        lines = [ln for ln in block.strip().splitlines() if not ln.startswith("#~")]
        if not any(ln.startswith("msgid ") for ln in lines):
            continue
        entry, key = {"flags": set(), "msgstr": []}, None
        for ln in lines:
            if ln.startswith("#,"):
                entry["flags"] |= {f.strip() for f in ln[2:].split(",")}
            elif ln.startswith("#"):
                continue
            elif ln.startswith("msgid "):
                key, entry["msgid"] = "msgid", json.loads(ln[6:])
            elif ln.startswith("msgid_plural "):
                key = "plural"
            elif ln.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(json.loads(ln.split(" ", 1)[1]))
            elif ln.startswith('"') and key == "msgid":
                entry["msgid"] += json.loads(ln)
            elif ln.startswith('"') and key == "msgstr":
                entry["msgstr"][-1] += json.loads(ln)
        entries.append(entry)
    return entries


def _untranslated_or_fuzzy(po_text: str) -> list[str]:
    return [
        e["msgid"]
        for e in _entries(po_text)
        if e["msgid"] and ("fuzzy" in e["flags"] or not all(e["msgstr"]))
    ]


# ---------------------------------------------------------------------------
# The catalogue


def test_the_spanish_catalogue_is_complete_and_compiles_cleanly():
    assert _untranslated_or_fuzzy(PO.read_text()) == []
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_the_po_reader_sees_untranslated_and_fuzzy_entries():
    po = (
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n\n'
        'msgid "Desk"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Claims"\nmsgstr "Afirmaciones"\n\n'
        'msgid "claim"\nmsgid_plural "claims"\nmsgstr[0] "afirmación"\nmsgstr[1] ""\n\n'
        'msgid "Save"\nmsgstr "Guardar"\n'
    )
    assert _untranslated_or_fuzzy(po) == ["Desk", "Claims", "claim"]


def test_makemessages_finds_every_string_already_translated(tmp_path, monkeypatch):
    """A string wrapped for translation but missing from the Spanish catalogue
    comes back from makemessages untranslated; run it over a copy of the app."""
    copy = tmp_path / "claims"
    shutil.copytree(
        CLAIMS,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "static", "model", "migrations", "*.mo"),
    )
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)
    assert _untranslated_or_fuzzy((copy / PO.relative_to(CLAIMS)).read_text()) == []


def test_the_committed_mo_matches_the_po(tmp_path):
    """bin/run and CI do not compile: the committed .mo must say what the .po says."""
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(PO)], check=True)
    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        assert gettext.GNUTranslations(committed)._catalog == (
            gettext.GNUTranslations(compiled)._catalog
        )


# ---------------------------------------------------------------------------
# The desk in Spanish


def test_the_desk_speaks_english_by_default(client, alice):
    client.force_login(alice)
    page = client.get(reverse("claims:desk")).content.decode()
    assert HTML_LANG.search(page).group(1) == "en"
    assert "<h1>Desk</h1>" in page and "To triage" in page


def test_the_desk_follows_accept_language(client, alice, make_claim):
    make_claim(status=S.QUEUED)
    client.force_login(alice)
    response = client.get(reverse("claims:desk"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    page = response.content.decode()
    assert HTML_LANG.search(page).group(1) == "es"
    assert response["Content-Language"] == "es"
    assert "<h1>Mesa</h1>" in page and "Por clasificar" in page and "Afirmaciones" in page
    claims = client.get(reverse("claims:claims"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "En cola" in claims and "Cualquier estado" in claims  # choices and form labels


def test_a_users_chosen_language_wins_over_accept_language(client, alice):
    client.force_login(alice)
    response = client.post(reverse("claims:preferences"), {"language": "es"}, follow=True)
    page = response.content.decode()
    assert DeskPreference.language_of(alice.pk) == "es"
    assert "Se ha guardado tu idioma." in page and HTML_LANG.search(page).group(1) == "es"
    page = client.get(reverse("claims:desk"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Mesa</h1>" in page
    # On another device (a new session), from the stored choice.
    client.logout()
    client.force_login(alice)
    page = client.get(reverse("claims:desk"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Mesa</h1>" in page
    # Back to the browser's language.
    client.post(reverse("claims:preferences"), {"language": ""})
    page = client.get(reverse("claims:desk"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Desk</h1>" in page


def test_the_language_setting_refuses_an_unknown_language(client, alice):
    client.force_login(alice)
    response = client.post(reverse("claims:preferences"), {"language": "xx"})
    assert response.status_code == 200 and "xx" in response.content.decode()
    assert DeskPreference.language_of(alice.pk) == ""


def test_workflow_refusals_and_messages_come_in_spanish(client, alice, bob, make_claim):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    client.force_login(bob)
    url = reverse("claims:claim_act", args=[claim.pk, "propose"])
    page = client.post(
        url,
        {"propose-version": claim.version, "propose-rating": "false", "propose-conclusion": ""},
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    assert "Corrige los errores de abajo; no se guardó nada." in page
    assert "Este campo es requerido." in page  # Django's own Spanish
    response = client.post(
        url,
        {
            "propose-version": claim.version,
            "propose-rating": "false",
            "propose-conclusion": "No es cierto.",
        },
        HTTP_ACCEPT_LANGUAGE="es",
        follow=True,
    )
    page = response.content.decode()
    assert "Veredicto propuesto para su aprobación." in page
    assert "Falso" in page  # the rating label
    from django.utils import translation

    claim.refresh_from_db()
    with translation.override("es"):  # refusals are translated where they are raised
        refusal = workflow._refusal(workflow.ACTIONS["publish"], claim, alice)
    assert (
        str(refusal)
        == "Ahora no puedes publicar: la afirmación está en estado «veredicto propuesto»."
    )


def test_dates_are_localised(client, alice, make_claim):
    claim = make_claim()
    client.force_login(alice)
    page = client.get(reverse("claims:articles"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    month_es = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]
    local = timezone.localtime(claim.article.submitted_at)
    assert f"{local.day} {month_es[local.month - 1]}" in page.lower()  # "4 Dic 2026"
    assert f"{local:%H:%M}" in page  # 24-hour clock in Spanish too


# ---------------------------------------------------------------------------
# One publishing language


@pytest.fixture
def published(make_claim, alice, bob):
    claim = make_claim(status=S.IN_REVIEW, assignee=bob, speaker="Sofia Patel")
    workflow.propose_verdict(
        claim, actor=bob, rating="mostly_false", conclusion="Not quite.", sources=[]
    )
    claim.refresh_from_db()
    workflow.sign_off(claim, actor=alice)
    claim.refresh_from_db()
    workflow.publish(claim, actor=alice)
    claim.refresh_from_db()
    return claim


def _jsonld(page: str) -> dict:
    body = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_claimreview_follows_the_publishing_language_not_the_visitor(client, published, settings):
    url = f"/factchecks/{published.pk}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es", follow=True).content.decode()
    assert _jsonld(page)["reviewRating"]["alternateName"] == "Mostly false"
    assert HTML_LANG.search(page).group(1) == "en" and "Our rating" in page

    settings.PUBLISHING_LANGUAGE = "es"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en", follow=True)
    page = response.content.decode()
    assert _jsonld(page)["reviewRating"]["alternateName"] == "Mayormente falso"
    assert HTML_LANG.search(page).group(1) == "es" and "Nuestra calificación" in page
    assert response["Content-Language"] == "es"
    feed = client.get("/factchecks/feed.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert "Mayormente falso" in json.dumps(feed, ensure_ascii=False)


def test_review_rating_jsonld_ignores_the_active_language(settings):
    from django.utils import translation

    with translation.override("es"):
        assert review_rating_jsonld("false")["alternateName"] == "False"
    settings.PUBLISHING_LANGUAGE = "es"
    with translation.override("en"):
        assert review_rating_jsonld("false")["alternateName"] == "Falso"


def test_a_bad_publishing_language_stops_the_settings(monkeypatch):
    env = {"PUBLISHING_LANGUAGE": "fr", "DEBUG": "1", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import factcheck.settings"],
        capture_output=True,
        text=True,
        env=env,
        cwd=CLAIMS.parent,
    )
    assert result.returncode != 0 and "PUBLISHING_LANGUAGE" in result.stderr


def test_the_article_page_says_a_non_english_article_was_not_scored(client, alice, make_claim):
    claim = make_claim()
    claim.article.language = "fr"
    claim.article.save()
    client.force_login(alice)
    url = claim.article.get_absolute_url()
    assert "This article is in French; claims were not scored." in client.get(url).content.decode()
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Este artículo está en francés; sus afirmaciones no se puntuaron." in page


# ---------------------------------------------------------------------------
# E-mail in the recipient's language


def test_an_email_is_written_in_its_recipients_language(alice, bob, carol, make_claim, settings):
    from django.utils import translation

    from claims.review import notifications

    DeskPreference.objects.create(user=bob, language="es")
    with translation.override("en"):  # whatever language the actor's request spoke
        workflow.assign(make_claim(), bob, actor=alice)
        workflow.assign(make_claim(text="Prices rose 40%."), carol, actor=alice)
    to_bob = Notification.objects.get(user=bob)
    to_carol = Notification.objects.get(user=carol)
    assert to_bob.subject.startswith("Nueva afirmación para verificar: ")
    assert "Estado: Asignada" in to_bob.body and "Ábrela: " in to_bob.body
    assert to_carol.subject.startswith("New claim to check: ")
    assert "Status: Assigned" in to_carol.body

    # A digest's own words follow the recipient too.
    workflow.assign(make_claim(text="Crime fell 10%."), bob, actor=alice)
    mail.outbox.clear()
    notifications.send_due()
    to_bob = next(m for m in mail.outbox if m.to == ["bob@example.org"])
    assert to_bob.subject == "2 novedades de la mesa de verificación"


def test_the_desk_charts_are_cached_per_language(client, alice, bob, make_claim, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    claim = make_claim(status=S.IN_REVIEW, assignee=bob)
    workflow.propose_verdict(claim, actor=bob, rating="false", conclusion="No.", sources=[])
    client.force_login(alice)
    english = client.get(reverse("claims:desk")).content.decode()
    spanish = client.get(reverse("claims:desk"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "under 1 h" in english and "over a week" in english
    assert "menos de 1 h" in spanish and "under 1 h" not in spanish
