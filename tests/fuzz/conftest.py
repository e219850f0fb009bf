"""Hypothesis profiles for the fuzz suite, and the app it fuzzes, built once per module.

Profiles (HYPOTHESIS_PROFILE picks one; CI=true picks `ci`):
- `ci`: the same examples on every run (derandomize), so a failure in CI fails again locally;
- `dev` (the default elsewhere): new random examples each run, failures replayed first from
  the local example database (.hypothesis/);
- `deep`: twenty times the examples, for a long hunt before a release.
"""

import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

from app.extensions import db
from tests.conftest import POSTGRES_URL, _app, install_signing_key, truncate_all_tables
from tests.fuzz.site import (
    PostgresSnapshot,
    Site,
    SqliteSnapshot,
    build_scenario,
    log_in_everyone,
)

# Per route: twice this for a form, half of it for a page that reads no input (test_routes.py).
EXAMPLES_PER_ROUTE = 20
COMMON = {
    "deadline": None,  # a request may render a PDF; time is not what this suite checks
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("ci", max_examples=EXAMPLES_PER_ROUTE, derandomize=True, **COMMON)
settings.register_profile("dev", max_examples=EXAMPLES_PER_ROUTE, **COMMON)
settings.register_profile("deep", max_examples=20 * EXAMPLES_PER_ROUTE, **COMMON)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") == "true" else "dev")
)


@pytest.fixture(scope="module")
def site(database_template, tmp_path_factory):
    """Avala with a whole world in its database, restored after each request that changed it."""
    root = tmp_path_factory.mktemp("fuzz")
    if POSTGRES_URL:
        url = POSTGRES_URL
    else:
        shutil.copyfile(database_template, root / "fuzz.db")
        url = f"sqlite:///{root / 'fuzz.db'}"
    app = _app(url, root / "instance")
    install_signing_key(app)
    with app.app_context():
        scenario = build_scenario(app)
        cookies = log_in_everyone(app, scenario.emails)
        db.session.remove()
        snapshot = PostgresSnapshot() if POSTGRES_URL else SqliteSnapshot(root / "fuzz.db")
    yield Site(app, scenario, cookies, snapshot)
    with app.app_context():
        db.session.remove()
        truncate_all_tables()
        db.engine.dispose()
