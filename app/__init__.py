"""Avala: labor competency certification. create_app reads like a table of contents."""

import importlib
import logging
import secrets
from pathlib import Path

import flask_babel
from flask import Flask

from app.transactions import TransactionalFlask
from config import BASE_DIR, Config, config_from_env

log = logging.getLogger(__name__)


def create_app(config: type[Config] | None = None, overrides: dict | None = None) -> Flask:
    config = config or config_from_env()
    config.validate()
    app = TransactionalFlask(__name__, template_folder=str(BASE_DIR / "templates"))
    app.config.from_object(config)
    app.config.update(overrides or {})
    Path(app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)
    use_instance_secret_key(app)
    trust_proxies(app)
    register_observability(app)
    register_extensions(app)
    register_task_queue(app)
    register_url_converters(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_request_checks(app)
    from app.errors import register_error_handlers

    register_error_handlers(app)
    from app.cli import register_commands

    register_commands(app)
    warn_about_slow_rendering(app)
    return app


def use_instance_secret_key(app: Flask) -> None:
    """Without a configured SECRET_KEY (development, tests) sign cookies with a random key made
    once for this instance folder and kept there, never with a constant anyone could read.

    Production never gets here: ProductionConfig.validate refuses to start without a key, as
    every machine must share the same one.
    """
    if app.config.get("SECRET_KEY"):
        return
    from app.storage import write_atomically

    path = Path(app.config["INSTANCE_DIR"]) / "secret_key"
    if not path.exists():
        write_atomically(path, secrets.token_hex(32).encode(), mode=0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, the client is the address the last of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For; ProxyFix
    takes the entry added by the outermost trusted proxy, so whatever a client wrote in the
    header itself is never believed. Without trusted proxies the headers are ignored: the client
    is the address that connected (and rate limits are counted per that address).
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_observability(app: Flask) -> None:
    """Request ids (and JSON logs in production) and Prometheus metrics; first, so that every
    request is timed and has its id, even one a later check refuses."""
    from app.operations import logs, metrics

    logs.register(app)
    metrics.register(app)


def register_extensions(app: Flask) -> None:
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    # The locale belongs to the request, not to an app context that may outlive it (CLI, tests).
    app.before_request(flask_babel.refresh)
    limiter.init_app(app)
    from app.extensions import mail

    mail.init_app(app)  # Flask-Mailman, used by the worker (app/mail/sending.py)
    from app import models  # noqa: F401 - registers every table with the metadata
    from app.accounts import lockout, sessions

    lockout.register(app)  # failed logins per e-mail address

    # The session id is "<user id>:<session token>" (User.get_id); both must match.
    login_manager.user_loader(sessions.user_of_session)
    sessions.register(app)


def register_task_queue(app: Flask) -> None:
    from app.tasks import configure_queue

    configure_queue(app.config)


def register_url_converters(app: Flask) -> None:
    """Before any route: `<int:...>` and plain `<...>` parts accept only what the database can
    look up (app/inputs.py); anything else does not match, which is a 404."""
    from app.inputs import DatabaseIdConverter, PlainTextConverter

    app.url_map.converters["int"] = DatabaseIdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = PlainTextConverter


# Each area's route modules attach their views to the area's blueprint (blueprint.py).
ROUTE_MODULES = [
    "app.accounts.routes",
    "app.accounts.centre_routes",
    "app.accounts.accreditation_routes",
    "app.accounts.consent_routes",
    "app.accounts.password_routes",
    "app.standards.routes",
    "app.standards.offer_routes",
    "app.assessments.routes",
    "app.diagnostics.routes",
    "app.appeals.routes",
    "app.assessments.record_routes",
    "app.assessments.plan_routes",
    "app.evidence.routes",
    "app.certificates.routes",
    "app.certificates.batch_routes",
    "app.certificates.renewal_routes",
    "app.verification.routes",
    "app.verification.bulk_routes",
    "app.catalogue.routes",
    "app.operations.routes",
    "app.reports.routes",
    "app.api.routes",
    "app.api.token_routes",
]


def register_blueprints(app: Flask) -> None:
    from app.accounts.blueprint import blueprint as accounts
    from app.appeals.blueprint import blueprint as appeals
    from app.assessments.blueprint import blueprint as assessments
    from app.catalogue.blueprint import blueprint as catalogue
    from app.certificates.blueprint import blueprint as certificates
    from app.diagnostics.blueprint import blueprint as diagnostics
    from app.evidence.blueprint import blueprint as evidence
    from app.operations.blueprint import blueprint as operations
    from app.reports.blueprint import blueprint as reports
    from app.standards.blueprint import blueprint as standards
    from app.verification.blueprint import blueprint as verification

    for module in ROUTE_MODULES:
        importlib.import_module(module)
    for blueprint in (
        accounts,
        standards,
        assessments,
        diagnostics,
        appeals,
        evidence,
        certificates,
        verification,
        catalogue,
        operations,
        reports,
    ):
        app.register_blueprint(blueprint)
    if app.config.get("MAIL_OUTBOX_PAGE"):  # development only: production has no such page
        importlib.import_module("app.mail.routes")
        from app.mail.blueprint import blueprint as mail_outbox

        app.register_blueprint(mail_outbox)
    register_api(app)


def register_api(app: Flask) -> None:
    """The JSON API with its OpenAPI document (flask-smorest), and its pages. Its routes take
    an API token in the Authorization header, never the session cookie, so CSRF does not apply."""
    from app.api.blueprint import blueprint, pages
    from app.api.schemas import ErrorSchema
    from app.extensions import OpenApi, csrf

    api = OpenApi()
    api.ERROR_SCHEMA = ErrorSchema
    api.init_app(app)
    api.spec.components.security_scheme(
        "apiToken",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A centre's API token (created on Centro → API tokens).",
        },
    )
    api.register_blueprint(blueprint)
    app.register_blueprint(pages)
    csrf.exempt(blueprint)


def register_template_helpers(app: Flask) -> None:
    from app import templating

    templating.register(app)


def register_security_headers(app: Flask) -> None:
    from app.auth import is_private_response

    hsts = app.config["STRICT_TRANSPORT_SECURITY"]

    @app.after_request
    def secure(response):
        # Everything the pages need is served by the app itself; nothing external may load.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if hsts:
            response.headers.setdefault("Strict-Transport-Security", hsts)
        if is_private_response():
            # Full CURPs, assessments, certificates: never kept in a browser's or proxy's cache,
            # whatever the view said. Public pages keep their own rules (app/auth.py public).
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response


def register_request_checks(app: Flask) -> None:
    from flask import abort, request

    from app.errors import API_PREFIX

    @app.before_request
    def pages_take_forms_not_json():
        # Flask-WTF reads a JSON body as the form, handing fields the numbers, booleans and
        # nulls of JSON where forms and services expect text: a 500 instead of a refusal. No page
        # takes JSON; the JSON API (/api/) checks its bodies against its schemas.
        if request.method == "POST" and request.is_json and not request.path.startswith(API_PREFIX):
            abort(415)


def warn_about_slow_rendering(app: Flask) -> None:
    from app.certificates.rendering import has_fast_font_subsetting

    if not app.testing and not has_fast_font_subsetting():
        log.warning(
            "libharfbuzz-subset0 is not installed: certificates render about 6x slower. "
            "Install it with: sudo apt-get install libharfbuzz-subset0"
        )
