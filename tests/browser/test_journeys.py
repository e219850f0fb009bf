"""The three journeys in a real browser: evaluation on a tablet, review and issue, and the
certificate on the candidate's and the employer's phones; each in Spanish and in English.

Every page visited is measured by check_page (axe-core, labels, the 360 px fit), either in the
shared steps or here, and every browser context fails the test if a page asks for anything
outside the app (see support.py). The key pages are saved to tests/browser/screenshots/.
These tests run on SQLite only: `make test` runs its PostgreSQL pass with -m "not browser".
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import scenarios
from tests.browser.steps import (
    ISSUE_TIMEOUT_MS,
    download_pdf,
    expect_judgement,
    expect_notice,
    go_to,
    log_in,
    open_assessment,
    record_every_item,
    sign_off,
    switch_language,
)
from tests.browser.support import (
    DESKTOP,
    PHONE,
    TABLET,
    check_page,
    save_screenshot,
)
from tests.browser.texts import COMPETENT, NOT_YET_COMPETENT, TEXT
from tests.pdf_tools import pdf_text, qr_codes_in

pytestmark = pytest.mark.browser
LANGUAGES = ["es", "en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_evaluator_records_results_and_signs_off_on_a_tablet(live_server, new_page, lang):
    centre, first, second = scenarios.two_assessments_to_record(live_server)
    t = TEXT[lang]
    page = new_page(TABLET)
    page.goto("/login")
    check_page(page, f"1-evaluator-{lang}-login")
    if lang == "en":
        switch_language(page, "en")
    log_in(page, centre.evaluator, lang)
    save_screenshot(page, f"1-evaluator-{lang}-assessments")

    # A critical item not met: "Todavía no competente" whatever the score.
    open_assessment(page, first.candidate)
    save_screenshot(page, f"1-evaluator-{lang}-results-form")
    critical = next(item for item in centre.items if item.is_critical)
    record_every_item(page, centre.items, lang, not_met={critical.id})
    sign_off(page, lang, "Domina la conducción del grupo; falta presentar el encuadre completo.")
    expect_judgement(page, lang, NOT_YET_COMPETENT)
    save_screenshot(page, f"1-evaluator-{lang}-not-yet-competent")

    go_to(page, t["assessments"])
    open_assessment(page, second.candidate)
    record_every_item(page, centre.items, lang)
    sign_off(page, lang, "Planeación clara y conducción segura del grupo en todo momento.")
    expect_judgement(page, lang, COMPETENT)
    save_screenshot(page, f"1-evaluator-{lang}-competent")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reviewer_approves_and_administrator_issues_the_certificate(live_server, new_page, lang):
    centre, assessment = scenarios.competent_judgement_to_review(live_server)
    t = TEXT[lang]
    reviewer = new_page(DESKTOP)
    reviewer.goto("/login")
    check_page(reviewer)
    if lang == "en":
        switch_language(reviewer, "en")
    log_in(reviewer, centre.reviewer, lang)
    open_assessment(reviewer, assessment.candidate)
    save_screenshot(reviewer, f"2-reviewer-{lang}-review-form")
    reviewer.get_by_label(t["approve"]).check()
    reviewer.get_by_role("button", name=t["record_review"]).click()
    expect_notice(reviewer, t["review_recorded"])
    expect(reviewer.locator("input[name=decision]")).to_have_count(0)
    check_page(reviewer, f"2-reviewer-{lang}-approved")

    # The administrator's browser asks for English itself (Accept-Language) in the English run.
    admin = new_page(DESKTOP, locale="es-MX" if lang == "es" else "en")
    log_in(admin, centre.admin, lang)
    go_to(admin, t["certificates"])
    expect(admin.get_by_role("region", name=t["ready"])).to_contain_text(assessment.candidate)
    save_screenshot(admin, f"2-admin-{lang}-ready-to-certify")
    go_to(admin, t["assessments"])
    open_assessment(admin, assessment.candidate)
    admin.get_by_role("button", name=t["issue"]).click()
    issued = re.compile(re.escape(t["issued"]).replace(re.escape("{folio}"), r"\S+"))
    expect(admin.get_by_role("status").filter(has_text=issued)).to_be_visible(
        timeout=ISSUE_TIMEOUT_MS
    )
    expect(
        admin.locator("article.certificate-card").filter(has_text=assessment.candidate)
    ).to_be_visible()
    check_page(admin, f"2-admin-{lang}-issued")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_candidate_downloads_the_certificate_on_a_phone(live_server, new_page, lang):
    centre, certificate = scenarios.issued_certificate(live_server)
    t = TEXT[lang]
    page = new_page(PHONE)
    log_in(page, centre.candidate, "es")
    expect(page).to_have_url(re.compile(r"/certificates/$"))
    if lang == "en":
        switch_language(page, "en")  # back on the same page, now in English
    expect(page.get_by_role("button", name=t["log_out"])).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["my_certificates"])
    card = page.locator("article.certificate-card").filter(has_text=certificate.folio)
    expect(card).to_contain_text(certificate.holder)
    expect(card.get_by_role("heading", level=2)).to_have_text(certificate.standard_title)
    save_screenshot(page, f"3-candidate-{lang}-certificates")

    pdf = download_pdf(page, certificate.folio, lang)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert certificate.folio in text.replace("\n", "")
    assert certificate.holder in text

    card.get_by_role("link", name=certificate.standard_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(certificate.standard_title)
    # Download, credential, LinkedIn and the link to share, all without script.
    expect(page.get_by_role("button", name=t["badge"])).to_be_visible()  # links styled as buttons
    linkedin = page.get_by_role("button", name=t["linkedin"])
    expect(linkedin).to_have_attribute("href", re.compile(r"^https://www\.linkedin\.com/"))
    expect(page.get_by_label(t["share"])).to_have_value(
        re.compile(re.escape(f"/v/{certificate.public_id}") + "$")
    )
    check_page(page, f"3-candidate-{lang}-certificate")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_employer_scans_the_qr_code_and_later_sees_the_revocation(
    live_server, new_page, lang, tmp_path
):
    centre, certificate = scenarios.issued_certificate(live_server, listed=False)
    t = TEXT[lang]
    candidate = new_page(PHONE)
    log_in(candidate, centre.candidate, "es")
    pdf = download_pdf(candidate, certificate.folio, "es")
    [url] = qr_codes_in(pdf)
    assert url == f"{live_server.url}/v/{certificate.public_id}"

    # A phone that has never seen the app, in its owner's language (Accept-Language).
    employer = new_page(PHONE, locale="es-MX" if lang == "es" else "en-US")
    employer.goto(url)
    expect(employer.locator("#verdict")).to_contain_text(t["valid"])
    expect(employer.locator(".holder")).to_have_text(certificate.holder)
    check_page(employer, f"4-employer-{lang}-valid")
    received = tmp_path / f"{certificate.folio}.pdf"
    received.write_bytes(pdf)
    employer.locator("input[type=file]").set_input_files(received)
    employer.get_by_role("button", name=t["check_file"]).click()
    answer = employer.get_by_role("status").filter(has_text=t["genuine"])
    expect(answer).to_be_visible()
    expect(answer).to_be_in_viewport()  # where the eye is, on a phone
    check_page(employer, f"4-employer-{lang}-pdf-genuine")

    # Typed from paper: the holder did not consent to the public register, so the folio alone
    # confirms the certificate without the name; the first surname as printed shows it.
    typist = new_page(PHONE, locale="es-MX" if lang == "es" else "en-US")
    typist.goto("/verify")
    typist.get_by_label(t["folio"]).fill(certificate.folio.lower())
    typist.get_by_role("button", name=t["verify"], exact=True).click()
    expect(typist.locator("#verdict")).to_contain_text(t["valid"])
    expect(typist.locator("main")).not_to_contain_text(certificate.holder)
    check_page(typist, f"4-employer-{lang}-folio-without-name")
    typist.get_by_label(t["holder_data"]).fill("nunez")
    typist.get_by_role("button", name=t["confirm"], exact=True).click()
    expect(typist.locator(".holder")).to_have_text(certificate.holder)
    check_page(typist, f"4-employer-{lang}-folio-with-name")

    reason = "La evaluación se realizó con suplantación de identidad."
    admin = new_page(DESKTOP)
    log_in(admin, centre.admin, "es")
    if lang == "en":
        switch_language(admin, "en")
    admin.goto(f"/certificates/{certificate.public_id}")
    check_page(admin, f"4-admin-{lang}-certificate")
    admin.locator("#status").select_option("revoked")
    admin.locator("#public_reason").select_option("body_decision")
    admin.locator("#reason").fill(reason)
    admin.get_by_role("button", name=t["change_status"]).click()
    expect_notice(admin, t["status_changed"])
    check_page(admin, f"4-admin-{lang}-revoked")

    employer.goto(url)
    expect(employer.locator("#verdict")).to_contain_text(t["revoked"])
    verdict = employer.locator("section.verdict")
    expect(verdict).to_contain_text(f"{t['reason']} {t['body_decision']}")
    expect(employer.locator("main")).not_to_contain_text(reason)  # the internal reason
    expect(employer.locator(".validity")).not_to_contain_text(t["valid_until"])
    expect(employer.locator(".holder")).to_have_text(certificate.holder)
    check_page(employer, f"4-employer-{lang}-revoked")

    # The original file is still the original, and the answer says the certificate is revoked.
    employer.locator("input[type=file]").set_input_files(received)
    employer.get_by_role("button", name=t["check_file"]).click()
    answer = employer.get_by_role("alert").filter(has_text=t["original_but"])
    expect(answer).to_contain_text(t["revoked_label"])
    expect(answer).to_be_in_viewport()
    check_page(employer, f"4-employer-{lang}-pdf-original-but-revoked")
