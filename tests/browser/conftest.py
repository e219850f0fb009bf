"""A real Avala server on a free loopback port, and headless Chromium contexts that watch it.

The server runs in a thread of the test process (werkzeug's threaded server) with TestingConfig,
but with real CSRF protection. Its database is its own SQLite file built by the migrations, with
its own certificate storage and signing key; PUBLIC_BASE_URL is the server's own address, so the
QR code printed on a certificate leads back to it. Tests create their data through the services
(tests/factories.py, see scenarios.py) inside `live_server.data()` and then drive the pages.

The browser server always uses SQLite: the PostgreSQL pass of `make test` excludes these tests
(`-m "not browser"`), so they run once, in the SQLite pass.
"""

import threading
from collections.abc import Iterator

import pytest
from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.certificates.keys import create_key
from app.extensions import db
from config import TestingConfig
from tests.browser.support import (
    CHROMIUM_ARGS,
    DESKTOP,
    Checks,
    LiveServer,
    find_chromium,
    skip_or_fail,
)
from tests.conftest import smtp_settings

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the dev requirements install it
    sync_playwright = expect = None

# Fail fast and clearly rather than wait 30 s; issuing a certificate renders a PDF (slower).
ACTION_TIMEOUT_MS = 10_000


class QuietHandler(WSGIRequestHandler):
    """No line per request in the test output; errors are still logged."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, mail_server) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("browser-server")
    instance = root / "instance"
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'avala.db'}",
            "INSTANCE_DIR": instance,
            "STORAGE_URL": str(instance),
            "SIGNING_KEY_PATH": instance / "signing_key.pem",
            "WTF_CSRF_ENABLED": True,
            # Its e-mail reaches the run's SMTP server on loopback (tests/conftest.py).
            **smtp_settings(mail_server),
        },
    )
    with app.app_context():
        upgrade()
        create_key()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="avala-browser-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, url)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if sync_playwright is None:
        skip_or_fail(
            "the playwright package is not installed (pip install -r requirements-dev.txt)"
        )
    executable = find_chromium()
    if executable is None:
        skip_or_fail(
            "no Chromium found: install Debian's chromium (apt-get install chromium) "
            "or set AVALA_CHROMIUM to a Chromium executable"
        )
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport, locale="es-MX", color_scheme="light") -> a page in a fresh context
    (no cookies) watched for requests outside the app, broken resources and CSP refusals."""
    opened = []

    def open_page(viewport=DESKTOP, locale="es-MX", color_scheme="light"):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale=locale,
            color_scheme=color_scheme,
            accept_downloads=True,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        checks = Checks(live_server.url)
        checks.watch(context)
        checks.add_axe(context)
        opened.append((context, checks))
        return context.new_page()

    yield open_page
    for context, _ in opened:
        context.close()
    for _, checks in opened:
        checks.assert_clean()
