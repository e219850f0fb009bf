"""The candidate, on their phone, downloads their cédula de evaluación and confirms receiving
it; the centre's administrator, on a tablet in English, sees when they did."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.scenarios import Person, _person
from tests.browser.steps import expect_notice, log_in, switch_language
from tests.browser.support import PHONE, TABLET, check_page
from tests.pdf_tools import pdf_text

pytestmark = pytest.mark.browser


def approved_judgement(live) -> tuple[int, Person, Person]:
    with live.data():
        world = factories.make_world()
        assessment = world.approved()
        return assessment.id, _person(world.candidate.user), _person(world.admin)


def test_the_candidate_downloads_and_acknowledges_their_cedula_on_a_phone(live_server, new_page):
    assessment_id, candidate, admin = approved_judgement(live_server)
    page = new_page(PHONE)
    log_in(page, candidate, "es")
    page.goto(f"/assessments/{assessment_id}")
    check_page(page, "cedula-candidate-phone")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar la cédula (PDF)").click()
    pdf = Path(download_info.value.path()).read_bytes()
    text = " ".join(pdf_text(pdf).split())
    assert candidate.name in text and "Cédula de evaluación" in text and "Competente" in text
    page.get_by_role("button", name="He recibido mi cédula").click()
    expect_notice(page, "Gracias: registramos que recibiste tu cédula.")
    expect(page.get_by_role("button", name="He recibido mi cédula")).to_have_count(0)
    check_page(page)

    staff = new_page(TABLET)
    log_in(staff, admin, "es")
    switch_language(staff, "en")
    staff.goto(f"/assessments/{assessment_id}")
    expect(
        staff.get_by_text(re.compile("The candidate confirmed receiving the cédula on"))
    ).to_be_visible()
    expect(staff.get_by_text(re.compile("Quality review"))).to_be_visible()
    check_page(staff, "cedula-admin-tablet-en")
