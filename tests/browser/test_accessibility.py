"""Accessibility and quality beyond the journeys: the result-entry form with the keyboard alone,
visible focus, errors announced next to their field, and every other page of the app measured
on a phone (axe-core, labels, no sideways scrolling at 360 px, nothing loaded from elsewhere).

These tests run on SQLite only: `make test` runs its PostgreSQL pass with -m "not browser".
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import scenarios
from tests.browser.steps import expect_judgement, expect_notice, log_in
from tests.browser.support import PHONE, TABLET, assert_focus_is_visible, check_page
from tests.browser.texts import NOT_YET_COMPETENT, TEXT

pytestmark = pytest.mark.browser
MAX_TABS = 60


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {id: el.id, tag: el.tagName.toLowerCase(), text: el.innerText || '',
                checked: el.checked === true, className: String(el.className)};
    }""")


def tab_to(page, element_id: str) -> None:
    """Press Tab until the element with this id has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(page)["id"] == element_id:
            assert_focus_is_visible(page)
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def expect_focus_on(page, element_id: str) -> None:
    assert focused(page)["id"] == element_id, f"focus is on {focused(page)}, not #{element_id}"
    assert_focus_is_visible(page)


def test_result_entry_form_can_be_completed_with_the_keyboard_alone(live_server, new_page):
    centre, assessment, _ = scenarios.two_assessments_to_record(live_server)
    t = TEXT["es"]
    page = new_page(TABLET)
    page.goto("/login")

    page.keyboard.press("Tab")  # the first stop is the skip link, shown when it has the focus
    assert focused(page)["className"] == "skip-link"
    assert_focus_is_visible(page)
    expect(page.locator(".skip-link")).to_be_in_viewport()
    tab_to(page, "email")
    page.keyboard.type(centre.evaluator.email)
    page.keyboard.press("Tab")
    expect_focus_on(page, "password")
    page.keyboard.type(centre.evaluator.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=t["log_out"])).to_be_visible()

    page.goto(f"/assessments/{assessment.id}")
    critical = next(item for item in centre.items if item.is_critical)
    tab_to(page, f"item_{centre.items[0].id}-0")
    for item in centre.items:
        expect_focus_on(page, f"item_{item.id}-0")  # Tab enters a group on its first choice
        page.keyboard.press("Space")
        if item.id == critical.id:
            page.keyboard.press("ArrowRight")  # arrows move within the group and choose
            expect_focus_on(page, f"item_{item.id}-1")
        assert focused(page)["checked"]
        page.keyboard.press("Tab")
        expect_focus_on(page, f"observation_{item.id}")
        page.keyboard.type(f"Observación del reactivo {item.position}")
        page.keyboard.press("Tab")
    assert focused(page)["text"].strip() == t["save_results"]
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect_notice(page, t["results_saved"])
    for item in centre.items:
        answer = 1 if item.id == critical.id else 0
        expect(page.locator(f"#item_{item.id}-{answer}")).to_be_checked()
        expect(page.locator(f"#observation_{item.id}")).to_have_value(
            f"Observación del reactivo {item.position}"
        )

    tab_to(page, "feedback")
    page.keyboard.type("Falta presentar el encuadre del curso; lo demás, muy bien.")
    page.keyboard.press("Tab")
    assert focused(page)["text"].strip() == t["check_and_sign"]
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(t["preview_title"])
    tab_to(page, "confirm")  # the feedback typed is there; the signature needs its confirmation
    expect(page.locator("#feedback")).to_have_value(re.compile("encuadre"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["text"].strip() == t["sign_off"]
    page.keyboard.press("Enter")
    expect_judgement(page, "es", NOT_YET_COMPETENT)


def test_errors_are_announced_next_to_their_field(live_server, new_page):
    centre, assessment = scenarios.assessment_with_all_results(live_server)
    t = TEXT["es"]
    page = new_page(TABLET)
    page.goto("/login")
    page.get_by_label(t["email"], exact=True).fill(centre.evaluator.email)
    page.get_by_label(t["password"], exact=True).fill("not-the-password")
    page.get_by_role("button", name=t["log_in"], exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "5-errors-login-refused")

    log_in(page, centre.evaluator, "es")
    page.goto(f"/assessments/{assessment.id}/sign-off")
    page.locator("#feedback").fill("Muy corto")
    page.get_by_label(t["confirm_sign"]).check()
    page.get_by_role("button", name=t["sign_off"]).click()
    error = page.locator("#feedback-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("20")
    feedback = page.locator("#feedback")
    expect(feedback).to_have_attribute("aria-describedby", re.compile(r"\bfeedback-error\b"))
    expect(feedback).to_have_attribute("aria-invalid", "true")
    expect(feedback).to_have_value("Muy corto")  # what was typed is kept
    # "Next to": the message follows the field inside the same form, before the next control.
    assert page.evaluate("""() => {
        const field = document.getElementById('feedback');
        const error = document.getElementById('feedback-error');
        const described = field.getAttribute('aria-describedby').split(' ');
        const between = [...field.form.elements].filter(el =>
            field.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING &&
            el.compareDocumentPosition(error) & Node.DOCUMENT_POSITION_FOLLOWING);
        return field.form.contains(error) && between.length === 0 &&
               described.every(id => document.getElementById(id));
    }"""), "the feedback error is not right after its field"
    check_page(page, "5-errors-feedback-too-short")


def test_every_other_page_passes_the_checks_on_a_phone(live_server, new_page):
    busy = scenarios.centre_with_work_in_every_stage(live_server)
    visitor = new_page(PHONE)
    for name, url in [
        ("welcome", "/"),
        ("verify", "/verify"),
        ("verify-unknown-folio", "/verify?folio=CONALEP-EC0000.01-2026-999999"),
        ("verify-folio-en", f"/verify?folio={busy.certificate.folio}&lang=en"),
        ("verification-en", f"/v/{busy.certificate.public_id}?lang=en"),
        ("verification-not-found", "/v/no-such-certificate"),
        ("error-404", "/no-such-page"),
    ]:
        visitor.goto(url)
        check_page(visitor, f"6-public-{name}")

    admin = new_page(PHONE)
    log_in(admin, busy.centre.admin, "es")
    for name, url in [
        ("assessments", "/assessments/"),
        ("schedule", "/assessments/new"),
        ("assessment-reviewed", f"/assessments/{busy.reviewed_assessment_id}"),
        ("standards", "/standards/"),
        ("standards-offered", "/standards/offered"),
        ("standard-published", f"/standards/{busy.standard_id}"),
        ("candidates", "/candidates/"),
        ("evaluators", "/evaluators/"),
        ("centre", "/centre/"),
        ("certificates", "/certificates/"),
        ("certificate", f"/certificates/{busy.certificate.public_id}"),
    ]:
        admin.goto(url)
        check_page(admin, f"6-admin-{name}")

    # The catalogue's drafts are the body administrator's.
    body = new_page(PHONE)
    log_in(body, busy.centre.body_admin, "es")
    for name, url in [
        ("standard-new", "/standards/new"),
        ("standard-draft", f"/standards/{busy.draft_standard_id}"),
        ("centre-edit", "/centres/"),
    ]:
        body.goto(url)
        check_page(body, f"6-body-{name}")

    # Forms sent back with their errors are pages too.
    admin.goto("/candidates/")
    admin.locator("main article form button[type=submit]").click()
    expect(admin.locator(".field-error").first).to_be_visible()
    check_page(admin, "6-admin-candidates-errors")
    admin.goto("/assessments/new")
    admin.locator("main form button[type=submit]:not([name])").click()  # "Programar"
    expect(admin.locator(".field-error").first).to_be_visible()
    check_page(admin, "6-admin-schedule-errors")


def test_status_colours_stay_readable_when_the_phone_uses_a_dark_theme(live_server, new_page):
    """Pico follows prefers-color-scheme; Avala's own status colours must follow it too."""
    busy = scenarios.centre_with_work_in_every_stage(live_server)
    visitor = new_page(PHONE, color_scheme="dark")
    visitor.goto(f"/v/{busy.certificate.public_id}")
    check_page(visitor, "7-dark-public-verification")
    visitor.keyboard.press("Tab")  # axe now also measures the skip link that has appeared
    assert focused(visitor)["className"] == "skip-link"
    check_page(visitor)

    admin = new_page(PHONE, color_scheme="dark")
    log_in(admin, busy.centre.admin, "es")
    for name, url in [
        ("assessments", "/assessments/"),
        ("standards", "/standards/"),
        ("certificates", "/certificates/"),
        ("certificate", f"/certificates/{busy.certificate.public_id}"),
    ]:
        admin.goto(url)
        check_page(admin, f"7-dark-admin-{name}")
    admin.goto("/candidates/")
    admin.locator("main article form button[type=submit]").click()
    expect(admin.locator(".field-error").first).to_be_visible()
    check_page(admin, "7-dark-admin-candidates-errors")


def test_batch_progress_page_passes_the_checks_on_a_phone(live_server, new_page):
    centre, batch_id = scenarios.batch_waiting_to_run(live_server)
    admin = new_page(PHONE)
    log_in(admin, centre.admin, "es")
    admin.goto(f"/certificates/batches/{batch_id}")
    check_page(admin, "6-admin-batch-progress")
