"""The candidate accepts their assessment plan on a phone, from "Mis evaluaciones"."""

import pytest
from playwright.sync_api import expect

from app.assessments import plans
from tests import factories
from tests.browser.scenarios import _centre
from tests.browser.steps import accept_plan, log_in
from tests.browser.support import PHONE

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
    accept_plan(page, code)
    card = page.locator("article.my-assessment").filter(has_text=code)
    expect(card).to_contain_text("Lo aceptaste el")
