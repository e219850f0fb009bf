"""The candidate accepts their assessment plan on a phone, from "Mis evaluaciones"."""

import re

import pytest
from playwright.sync_api import expect

from app.assessments import plans
from tests import factories
from tests.browser.scenarios import _centre
from tests.browser.steps import expect_notice, log_in
from tests.browser.support import PHONE, check_page

pytestmark = pytest.mark.browser


def plan_to_accept(live):
    """A session under way whose plan the centre prepared and the candidate has not accepted."""
    with live.data():
        world = factories.make_world()
        assessment = world.schedule(planned=False)
        plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
        return _centre(world), world.standard.full_code


def test_candidate_accepts_the_plan_on_a_phone(live_server, new_page):
    centre, code = plan_to_accept(live_server)
    page = new_page(PHONE)
    log_in(page, centre.candidate, "es")
    page.get_by_role("link", name="Mis evaluaciones", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis evaluaciones")
    card = page.locator("article.my-assessment").filter(has_text=code)
    expect(card).to_contain_text("Pendiente de tu aceptación")
    check_page(page, "plan-candidate-es-mine")

    card.get_by_role("button", name="Leer y aceptar el plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan de evaluación")
    expect(page.get_by_text("Observación, Producto, Cuestionario")).to_be_visible()
    check_page(page, "plan-candidate-es-plan")
    page.get_by_role("button", name="Aceptar el plan").click()
    expect(page.get_by_text("Marca la casilla para aceptar el plan.")).to_be_visible()
    check_page(page)
    page.get_by_label("Leí el plan y estoy de acuerdo").check()
    page.get_by_role("button", name="Aceptar el plan").click()
    expect(page).to_have_url(re.compile(r"/assessments/mine$"))
    expect_notice(page, "Aceptaste el plan de evaluación.")
    expect(card).to_contain_text("Lo aceptaste el")
    check_page(page, "plan-candidate-es-accepted")
