"""The reports page in a real browser: axe clean, every control labelled, no sideways scrolling
at 360 px, the charts drawn under the app's Content-Security-Policy (no refusal reported), in
Spanish and English, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.scenarios import Person
from tests.browser.steps import log_in
from tests.browser.support import DESKTOP, PHONE, check_page
from tests.report_world import build_report_world

pytestmark = pytest.mark.browser
QUARTER = "date_from=2026-01-01&date_to=2026-03-31"


@pytest.fixture(scope="module")
def admin(live_server) -> Person:
    with live_server.data():
        # The live server's database is shared: the people walk imports the real EC0217.
        world = build_report_world(codes=("EC9217", "EC9301"))
        return Person(world.admin_a.email, world.admin_a.full_name)


@pytest.mark.parametrize(("lang", "locale"), [("es", "es-MX"), ("en", "en")])
def test_reports_pages_pass_the_checks(new_page, admin, lang, locale):
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport, locale=locale)
        log_in(page, admin, lang)
        page.goto(f"/reports/?{QUARTER}&grouping=standard")
        charts = page.get_by_role("img")
        expect(charts).to_have_count(2)
        # Each chart has its numbers beside it, in a table with a caption.
        expect(page.locator("table caption")).to_have_count(2)
        check_page(page, f"8-reports-{lang}-{viewport['width']}")
        page.goto(f"/reports/evaluators?{QUARTER}")
        expect(page.locator("table.report-table tbody tr")).to_have_count(2)
        check_page(page, f"8-reports-evaluators-{lang}-{viewport['width']}")
        page.goto("/reports/?date_from=2026-03-01&date_to=2026-01-01")
        expect(page.locator(".field-error").first).to_be_visible()
        check_page(page)
