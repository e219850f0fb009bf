"""The standard builder in a real browser: with JavaScript each line is added, moved or deleted
in place, without reloading the page, and the cursor is back in the criterion's text at once;
the pages pass the accessibility checks, and so do the public catalogue's."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import scenarios
from tests.browser.steps import log_in
from tests.browser.support import PHONE, TABLET, check_page

pytestmark = pytest.mark.browser


def test_criteria_are_added_and_moved_without_a_page_reload(live_server, new_page):
    busy = scenarios.centre_with_work_in_every_stage(live_server)
    admin = new_page(TABLET)
    log_in(admin, busy.centre.body_admin, "es")
    admin.goto(f"/standards/{busy.draft_standard_id}")
    check_page(admin, "8-builder-draft")
    admin.evaluate("() => { window.stillTheSamePage = true; }")

    text = admin.locator("#criterion-text")
    for n in (1, 2):
        text.fill(f"Verifica el equipo, paso {n}")
        admin.get_by_role("button", name="Agregar criterio").click()
        expect(admin.locator("ol.criteria > li", has_text=f"paso {n}")).to_be_visible()
        expect(admin.locator("#criterion-text")).to_be_focused()  # type the next one at once
        expect(admin.locator("#criterion-text")).to_have_value("")
    # Each criterion brought its instrument item, with the same text.
    expect(admin.get_by_role("cell", name="Verifica el equipo, paso 2")).to_be_visible()

    admin.get_by_role("button", name=re.compile("Subir: criterio 1.7")).click()
    expect(admin.locator("ol.criteria").first.locator("> li").nth(5)).to_contain_text("paso 2")
    admin.get_by_role("button", name=re.compile("Eliminar: criterio 1.7")).click()
    expect(admin.locator("ol.criteria > li", has_text="paso 1")).to_have_count(0)
    assert admin.evaluate("() => window.stillTheSamePage === true"), "the page was reloaded"
    check_page(admin, "8-builder-after-lines")

    admin.get_by_role("button", name="Publicar…").click()
    expect(admin.get_by_role("heading", name=re.compile("¿Publicar"))).to_be_visible()
    check_page(admin, "8-builder-publish-confirmation")
    admin.goto("/standards/import")
    check_page(admin, "8-standards-import")


def test_the_public_catalogue_passes_the_checks_on_a_phone(live_server, new_page):
    scenarios.centre_with_work_in_every_stage(live_server)
    visitor = new_page(PHONE)
    visitor.goto("/catalogo/?q=EC")
    expect(
        visitor.get_by_role("heading", name="Estándares de Competencia encontrados")
    ).to_be_visible()
    check_page(visitor, "8-public-catalogue-search")
    visitor.get_by_role("table").get_by_role("link").first.click()
    expect(visitor.get_by_role("heading", name="Elementos y criterios")).to_be_visible()
    check_page(visitor, "8-public-catalogue-standard")
    assert visitor.context.cookies() == []
