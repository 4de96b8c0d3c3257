"""The desk in Spanish in a real browser: a Spanish browser signs in and walks the
desk, the claim list, a claim and the triage inbox, all accessible (axe) and
marked lang="es"; an English browser whose user chose Spanish gets it too."""

from __future__ import annotations

import pytest

from claims.models import Claim, Source

from .conftest import axe_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = Claim.Status


@pytest.fixture
def desk(make_claim, bob):
    wire = Source.objects.create(name="Wire", url="https://wire.example.org/rss", beat="politics")
    waiting = make_claim(status=S.TRIAGE, text="The minister said 40,000 nurses were hired.")
    waiting.source, waiting.triage_reasons = wire, "High score"
    waiting.save()
    return make_claim(status=S.ASSIGNED, assignee=bob, text="Prices rose 40% last year.")


def spanish_browser(browser, live_server):
    context = browser.new_context(
        locale="es-ES", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    return context


def check(page, heading):
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1, name=heading).is_visible()
    assert axe_violations(page) == [], page.url


def test_a_spanish_editor_walks_the_desk_in_spanish(browser, live_server, alice, desk):
    context = spanish_browser(browser, live_server)
    try:
        page = context.new_page()
        page.goto("/")
        check(page, "Iniciar sesión")
        page.get_by_label("Usuario").fill("alice")
        page.get_by_label("Contraseña").fill("pw-alice")
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(live_server.url + "/")
        check(page, "Mesa")
        nav = page.get_by_role("navigation", name="Principal")
        assert nav.get_by_role("link", name="Por clasificar").is_visible()

        nav.get_by_role("link", name="Afirmaciones").click()
        page.wait_for_url("**/claims/")
        check(page, "Afirmaciones")
        assert page.get_by_role("button", name="Filtrar").is_visible()
        assert "Asignada" in page.locator("table.claims-table").inner_text()

        page.get_by_role("link", name="Prices rose 40% last year.").click()
        page.wait_for_url(f"**/claims/{desk.pk}/")
        check(page, f"Afirmación {desk.pk}")
        assert page.get_by_role("heading", name="Acciones").is_visible()
        assert page.get_by_role("heading", name="Historial").is_visible()

        nav = page.get_by_role("navigation", name="Principal")
        nav.get_by_role("link", name="Por clasificar").click()
        page.wait_for_url("**/triage/")
        check(page, "Por clasificar 1 en espera")
        assert page.get_by_role("button", name="Aceptar las seleccionadas").is_visible()
        screenshot(page, "spanish-triage")
    finally:
        context.close()


def test_an_english_browser_gets_the_language_its_user_chose(new_page, alice, desk):
    page = new_page(alice)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Language").click()
    page.get_by_label("Language of the desk").select_option("es")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/settings/")
    check(page, "Tus ajustes")
    assert page.get_by_role("status").get_by_text("Se ha guardado tu idioma.").is_visible()
    page.goto("/")
    check(page, "Mesa")
