"""The evaluator attaches photos to an item on a tablet (the file input opens the camera), sees
them listed with their hash, is told clearly when a file is refused; the candidate sees the
files on a phone. Both pages pass the checks (axe, labels, 360 px), in Spanish and English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import scenarios
from tests.browser.steps import attach, expect_notice, log_in
from tests.browser.support import PHONE, TABLET, check_page
from tests.evidence_files import photo

pytestmark = pytest.mark.browser

WORDS = {
    "es": {
        "attached": "Evidencia adjuntada: foto-2.jpg.",
        "two": "(archivos: 2)",
        "refused": "no puede ser evidencia",
        "back": "Volver a la evaluación",
        "locale": "es-MX",
    },
    "en": {
        "attached": "Evidence attached: foto-2.jpg.",
        "two": "(files: 2)",
        "refused": "cannot be evidence",
        "back": "Back to the assessment",
        "locale": "en-US",
    },
}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_evaluator_attaches_photos_on_a_tablet_and_the_candidate_sees_them(
    live_server, new_page, lang
):
    words = WORDS[lang]
    centre, assessment = scenarios.assessment_with_all_results(live_server)
    item = centre.items[0]
    page = new_page(TABLET, locale=words["locale"])
    log_in(page, centre.evaluator, lang)
    page.goto(f"/assessments/{assessment.id}")
    camera = page.locator(f"#evidence-file-{item.id}")
    expect(camera).to_have_attribute("capture", "environment")
    expect(camera).to_have_attribute("accept", re.compile(r"^image/\*,video/\*,\.pdf,"))
    attach(page, item.id, "foto-1.jpg", photo(), "image/jpeg")
    attach(page, item.id, "foto-2.jpg", photo(colour=(10, 200, 10)), "image/jpeg")
    expect_notice(page, words["attached"])
    section = page.locator(f"#evidence-{item.id}")
    expect(section).to_contain_text(words["two"])
    expect(section.locator("code.hash")).to_have_count(2)
    check_page(page, f"evidence-tablet-{lang}")

    attach(page, item.id, "notas.jpg", b"solo texto", "image/jpeg")
    error = page.locator(".field-error")
    expect(error).to_contain_text(words["refused"])
    expect(error).to_have_attribute("role", "alert")
    check_page(page, f"evidence-refused-{lang}")
    page.get_by_role("link", name=words["back"]).click()
    expect(page.locator(f"#evidence-{item.id}")).to_contain_text(words["two"])

    phone = new_page(PHONE, locale=words["locale"])
    log_in(phone, centre.candidate, lang)
    phone.goto(f"/assessments/{assessment.id}")
    expect(phone.get_by_role("link", name="foto-1.jpg")).to_be_visible()
    expect(phone.locator("input[type=file]")).to_have_count(0)
    check_page(phone, f"evidence-candidate-phone-{lang}")
