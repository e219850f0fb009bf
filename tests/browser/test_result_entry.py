"""Result entry on a 768 px tablet that loses its connection, and signing after a preview.

Private pages are sent with Cache-Control: no-store (app/__init.py) and the app has no service
worker, so a page cannot be *reloaded* while offline: the browser shows its own error page.
What the evaluator can rely on, and what these tests prove, is that every answer typed offline
stays in the browser and reaches the server when the connection returns — whether the page
stayed open (the "online" event) or was reloaded / opened again once back online (the unsent
answers are put back into the form from localStorage and sent).
"""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from app.assessments.models import ItemResult
from app.extensions import db
from tests.browser.scenarios import Assessment, _centre
from tests.browser.steps import answer, expect_judgement, log_in, sign_off, switch_language
from tests.browser.support import check_page
from tests.browser.texts import NOT_YET_COMPETENT, TEXT
from tests.entry_world import CRITICAL_TEXT, make_course_world

pytestmark = pytest.mark.browser
TABLET_768 = {"width": 768, "height": 1024}


def course_assessment(live):
    with live.data():
        world = make_course_world()
        assessment = world.schedule(hours_from_now=0.5)
        return _centre(world), Assessment(assessment.id, world.candidate.full_name)


def open_entry(live, new_page):
    """An evaluator signed in on a 768 px tablet, on the result-entry page of a new session."""
    centre, assessment = course_assessment(live)
    page = new_page(TABLET_768)
    log_in(page, centre.evaluator, "es")
    page.goto(f"/assessments/{assessment.id}")
    return centre, assessment, page


def results_on_the_server(live, assessment_id: int) -> dict[int, tuple[bool, str]]:
    with live.app.app_context():
        rows = db.session.scalars(
            select(ItemResult).where(ItemResult.assessment_id == assessment_id)
        )
        return {row.item_id: (row.is_met, row.observation) for row in rows}


def test_answers_typed_offline_reach_the_server_when_the_connection_returns(live_server, new_page):
    centre, assessment, page = open_entry(live_server, new_page)
    t = TEXT["es"]
    url = f"/assessments/{assessment.id}"
    check_page(page, "entry-tablet-768")
    state = page.locator("[data-save-state]")
    progress = page.locator("[data-progress]")
    items = centre.items
    critical = page.locator(f"#entry-item-{items[0].id} legend")
    expect(critical).to_contain_text(t["critical"])
    expect(critical.locator("svg")).to_have_count(1)

    answer(page, items[0], True, "Presentó el encuadre completo")
    expect(state).to_have_text(t["saved"])
    expect(progress).to_have_text("1 de 12 respondidos")

    page.context.set_offline(True)
    answer(page, items[1], False, "No verificó el equipo")
    answer(page, items[2], True)
    answer(page, items[6], True, "Buena conducción")
    expect(state).to_contain_text(t["offline"])
    expect(progress).to_have_text("4 de 12 respondidos")
    assert len(results_on_the_server(live_server, assessment.id)) == 1

    # Still offline, the page itself cannot be loaded again (never cached: no-store).
    with pytest.raises(PlaywrightError):
        page.reload()
    page.context.set_offline(False)
    page.goto(url)  # opened again once back online: unsent answers restored, then sent
    expect(page.locator(f"#item_{items[1].id}-1")).to_be_checked()
    expect(page.locator(f"#observation_{items[6].id}")).to_have_value("Buena conducción")
    expect(page.locator("[data-save-state]")).to_have_text(t["saved"])

    # Offline again, the page stays open: the "online" event sends what waited.
    page.context.set_offline(True)
    answer(page, items[3], False, "Respuesta incompleta")
    expect(page.locator("[data-save-state]")).to_contain_text(t["offline"])
    page.context.set_offline(False)
    expect(page.locator("[data-save-state]")).to_have_text(t["saved"])

    assert results_on_the_server(live_server, assessment.id) == {
        items[0].id: (True, "Presentó el encuadre completo"),
        items[1].id: (False, "No verificó el equipo"),
        items[2].id: (True, ""),
        items[6].id: (True, "Buena conducción"),
        items[3].id: (False, "Respuesta incompleta"),
    }
    assert page.evaluate("() => localStorage.length") == 0  # nothing left waiting
    page.reload()
    expect(page.locator("[data-progress]")).to_have_text("5 de 12 respondidos")
    expect(page.locator(f'[data-summary-for="{items[1].id}"]')).to_have_class("row-not-met")


def test_the_preview_shows_the_unmet_critical_item_before_signing_on_a_tablet(
    live_server, new_page
):
    centre, assessment, page = open_entry(live_server, new_page)
    t = TEXT["en"]
    switch_language(page, "en")
    for item in centre.items:
        answer(page, item, not item.is_critical)
    expect(page.locator("[data-progress]")).to_have_text("12 of 12 answered")
    expect(page.locator("[data-save-state]")).to_have_text(t["saved"])
    page.locator("#feedback").fill("Present the course framing; the rest was very good.")
    page.get_by_role("button", name=t["check_and_sign"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["preview_title"])
    expect(page.get_by_role("heading", level=2)).to_contain_text(NOT_YET_COMPETENT)
    expect(page.get_by_text(f"Not met: 1. {CRITICAL_TEXT}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"88\.89 % of 80 % required"))).to_be_visible()
    check_page(page, "sign-off-preview-tablet")
    page.get_by_role("button", name=t["sign_off"]).click()  # without the confirmation
    expect(page.locator("#confirm-error")).to_be_visible()
    page.get_by_label(t["confirm_sign"]).check()
    page.get_by_role("button", name=t["sign_off"]).click()
    expect_judgement(page, "en", NOT_YET_COMPETENT)
    expect(page.get_by_text(f"Not met: 1. {CRITICAL_TEXT}")).to_be_visible()
    check_page(page)


def test_signing_step_is_reused_by_the_journeys(live_server, new_page):
    """The shared step signs through the preview (tests/browser/steps.py)."""
    centre, assessment = course_assessment(live_server)
    page = new_page(TABLET_768)
    log_in(page, centre.evaluator, "es")
    page.goto(f"/assessments/{assessment.id}")
    for item in centre.items:
        answer(page, item, True)
    expect(page.locator("[data-save-state]")).to_have_text(TEXT["es"]["saved"])
    sign_off(page, "es", "Conducción segura del grupo y buen cierre de la sesión.")
    expect_judgement(page, "es", "Competente")


def test_logging_out_with_unsent_answers_asks_first_and_deletes_them_when_told_to(
    live_server, new_page
):
    centre, assessment, page = open_entry(live_server, new_page)
    t = TEXT["es"]
    url = f"/assessments/{assessment.id}"
    items = centre.items
    state = page.locator("[data-save-state]")
    log_out = page.get_by_role("button", name=t["log_out"])
    asked = []

    # Offline, one answer waits in this browser. Asked, the evaluator stays signed in...
    page.context.set_offline(True)
    answer(page, items[0], True, "Presentó el encuadre completo")
    expect(state).to_contain_text(t["offline"])
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    log_out.click()
    expect(log_out).to_be_visible()
    assert len(asked) == 1 and "se borrarán de este dispositivo" in asked[0]
    # ... and the answer reaches the server once the connection returns.
    page.context.set_offline(False)
    expect(state).to_have_text(t["saved"])
    assert set(results_on_the_server(live_server, assessment.id)) == {items[0].id}

    # Offline again with a second answer: logging out anyway deletes it from this device.
    page.context.set_offline(True)
    answer(page, items[1], False, "No verificó el equipo")
    expect(state).to_contain_text(t["offline"])
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    log_out.click()
    assert len(asked) == 2
    page.context.set_offline(False)
    page.goto(url)  # the log-out never reached the server: still signed in, nothing to restore
    expect(page.locator(f"#item_{items[0].id}-0")).to_be_checked()
    expect(page.locator(f"#item_{items[1].id}-1")).not_to_be_checked()
    assert set(results_on_the_server(live_server, assessment.id)) == {items[0].id}
    assert page.evaluate("Object.keys(window.localStorage)") == []

    # Nothing unsent: no question, the evaluator is signed out.
    page.get_by_role("button", name=t["log_out"]).click()
    expect(page.get_by_role("button", name=t["log_in"], exact=True)).to_be_visible()
    assert len(asked) == 2
