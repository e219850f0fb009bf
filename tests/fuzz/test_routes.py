"""Every route, fuzzed: hostile fields, ids, encodings and headers never cause a server error,
a refused request (4xx) changes nothing in the database, and no page reflects markup unescaped.

The routes come from the app's url_map, so a new route is fuzzed as soon as it exists (with a
generic plan until it gets its own in plans.py, which test_every_route_has_a_fuzz_plan asks for).
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from app import create_app
from app.accounts.models import Centre
from app.extensions import db
from config import TestingConfig
from tests.fuzz.plans import GENERIC, PLANS
from tests.fuzz.routes import edge_requests, requests_for, routes_of
from tests.fuzz.site import ANON
from tests.fuzz.strategies import XSS_MARKER

pytestmark = pytest.mark.fuzz


def _routes_of_a_fresh_app():
    with tempfile.TemporaryDirectory() as instance:
        config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": Path(instance)}
        return routes_of(create_app(TestingConfig, config))


ROUTES = _routes_of_a_fresh_app()


def test_every_route_has_a_fuzz_plan():
    """A new route needs a plan in tests/fuzz/plans.py: the fields it reads and valid values."""
    routes = {route.key for route in ROUTES}
    assert routes - PLANS.keys() == set(), "routes without a fuzz plan"
    assert PLANS.keys() - routes == set(), "plans for routes that no longer exist"


def test_the_fingerprint_sees_any_change_and_restore_undoes_it(site):
    before = site.fingerprint()
    mark = site.write_mark()
    assert site.write_mark() == mark and site.fingerprint_since(mark, before) is before
    with site.app.app_context():
        db.session.execute(update(Centre).values(city="Otra ciudad"))
        db.session.commit()
    assert site.write_mark() != mark  # so the fingerprint is read again
    assert site.fingerprint_since(mark, before) != before
    changed = site.fingerprint()
    assert changed != before
    site.restore(changed)  # only the tables that changed are put back
    assert site.fingerprint() == before


def _changed_tables(before: dict, after: dict) -> list[str]:
    return [
        f"{table} {before[table]} -> {after[table]}"
        for table in before
        if before[table] != after[table]
    ]


def _is_local(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


def _check_page(response, request) -> None:
    assert response.status_code < 500, f"{response.status_code} for {request}"
    if response.mimetype == "text/html":
        page = response.get_data().lower()
        assert XSS_MARKER.encode() not in page, f"markup reflected unescaped: {request}"


def exchange(site, request) -> None:
    """Send `request` and check what the app did; undo whatever it stored afterwards."""
    client = site.client(request.role)
    before = after = site.baseline
    mark = site.write_mark()
    try:
        response = request.send(client)
        after = site.fingerprint_since(mark, before)
        _check_page(response, request)
        if 400 <= response.status_code < 500:
            changed = _changed_tables(before, after)
            assert not changed, f"refused with {response.status_code} but changed {changed}"
        location = response.headers.get("Location", "")
        if request.role != ANON and location.startswith("/login?next="):
            pytest.fail(f"the fuzzer lost the {request.role}'s session: {request}")
        if response.status_code in (301, 302, 303) and _is_local(location):
            _check_page(client.get(location), request)  # the page showing what was stored
    except BaseException:
        after = site.fingerprint_since(mark, before)
        raise
    finally:
        if after != before:
            site.restore(after)


def _fuzz(site, route, data) -> None:
    plan = PLANS.get(route.key, GENERIC)
    request = data.draw(requests_for(route, plan, site.scenario), label="request")
    exchange(site, request)


# A form gets more examples than a page that reads no input (only its path and stray fields).
FORMS = [route for route in ROUTES if PLANS.get(route.key, GENERIC).reads_input]
PAGES = [route for route in ROUTES if route not in FORMS]
PROFILE_EXAMPLES = settings.default.max_examples


def _short(value, limit: int = 60) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else f"{shown[:limit]}… ({len(shown)} characters)"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_each_edge_value_in_each_field_and_path_parameter(site, route):
    """Each path parameter and field in turn gets each edge value of its kind
    (tests/fuzz/strategies.py), the rest of the request valid; the same checks as for the random
    requests, and every failure listed."""
    failures = []
    for where, edge, request in edge_requests(route, PLANS.get(route.key, GENERIC), site.scenario):
        try:
            exchange(site, request)
        except Exception as error:  # noqa: BLE001 - all are listed, then the test fails
            failures.append(f"{where}={_short(edge)}: {type(error).__name__}: {_short(error, 200)}")
    assert not failures, f"{len(failures)} edge values failed:\n" + "\n".join(failures)


@pytest.mark.parametrize("route", FORMS, ids=str)
@settings(max_examples=2 * PROFILE_EXAMPLES)
@given(data=st.data())
def test_form_survives_hostile_input(site, route, data):
    _fuzz(site, route, data)


@pytest.mark.parametrize("route", PAGES, ids=str)
@settings(max_examples=max(1, PROFILE_EXAMPLES // 2))
@given(data=st.data())
def test_page_survives_hostile_requests(site, route, data):
    _fuzz(site, route, data)
