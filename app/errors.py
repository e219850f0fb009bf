"""Domain errors raised by services, and the one place that turns any error into a page."""

import logging
import math
import time

from flask import Flask, has_request_context, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.extensions import limiter

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


class DomainError(Exception):
    """A business rule was broken. `reasons` maps a field name (or "" for the form) to messages."""

    status_code = 400
    # What the error page suggests instead of its status's usual hint (ERROR_HINTS).
    hint = ""

    def __init__(self, message: str = "", reasons: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.reasons = reasons or ({"": [message]} if message else {})


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class Conflict(DomainError):
    """Someone else changed the same record at the same moment; the loser is told, not lost."""

    status_code = 409


class ValidationFailed(DomainError):
    status_code = 422

    @classmethod
    def on(cls, field: str, message: str) -> "ValidationFailed":
        return cls(message, {field: [message]})


class StoredDataCorrupted(DomainError):
    """Something stored no longer matches what was recorded when it was written."""

    status_code = 500


class ServiceUnavailable(DomainError):
    """Something the operation needs (such as the signing key) is not set up on this server."""

    status_code = 503


def allows(check, *args) -> bool:
    """True when `check(*args)` raises no DomainError: pages ask the services' own rules."""
    try:
        check(*args)
    except DomainError:
        return False
    return True


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    401: _l("A valid API token is needed"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("Someone else changed this at the same time"),
    413: _l("The file is too large"),
    415: _l("This kind of request is not accepted here"),
    422: _l("The request could not be processed"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
    503: _l("This service is not available right now"),
}

ERROR_HINTS = {
    401: _l("Send an active API token of this centre as “Authorization: Bearer <token>”."),
    403: _l("If you think you should have access, ask your centre administrator."),
    404: _l("Check the address, or go back to the start page."),
    409: _l("Nothing was saved. Go back, reload the page and try again."),
    429: _l("Please wait a minute and try again."),
    500: _l("The error has been logged. Please try again in a moment."),
}


def render_error(
    status: int,
    message: str = "",
    hint: str = "",
    errors: dict | None = None,
    headers: dict | None = None,
):
    """The friendly page for `status`, in the user's language; it never shows internals."""
    from app.transactions import rollback_request

    rollback_request()  # the page reads the database; nothing of the failed request may show
    headers = {**(headers or {}), **(_retry_after() if status == 429 else {})}
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    hint = hint or ERROR_HINTS.get(status, "")
    if wants_json():
        error = {"status": status, "title": str(title), "message": message, "hint": str(hint)}
        if errors:
            error["errors"] = errors
        return jsonify({"error": error}), status, headers
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=title,
            message=message,
            hint=hint,
        ),
        status,
        headers,
    )


def wants_json() -> bool:
    """Machines reading the API get errors in JSON, as its successful answers are."""
    if not has_request_context():
        return False
    if request.path.startswith(API_PREFIX):
        return True
    accepted = request.accept_mimetypes
    return accepted.best_match(["text/html", "application/json"]) == "application/json"


def register_error_handlers(app: Flask) -> None:
    for status in ERROR_TITLES:
        app.register_error_handler(
            status,
            lambda error, status=status: render_error(
                status,
                _limit_explanation(error),
                errors=_input_errors(error),
                headers=_allowed_methods(error),
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if error.status_code >= 500:
            log.error("%s: %s", type(error).__name__, error)
        status = error.status_code if error.status_code in ERROR_TITLES else 400
        if status == 404:
            return render_error(404)
        return render_error(status, str(error.message), str(error.hint))

    @app.errorhandler(IntegrityError)
    def constraint_violated(error: IntegrityError):
        # A unique index or check refused a write that a parallel request made first.
        log.warning("write refused by a database constraint: %s", error.orig)
        return render_error(409)


def _limit_explanation(error) -> str:
    """What a breached limit with its own words (e.g. the bulk verification's rows) says."""
    limit = getattr(error, "limit", None)
    return str(error.description) if getattr(limit, "error_message", None) else ""


def _allowed_methods(error) -> dict[str, str]:
    """A 405 names the methods the address does take (`Allow`, as HTTP asks)."""
    methods = getattr(error, "valid_methods", None)
    return {"Allow": ", ".join(sorted(methods))} if methods else {}


def _input_errors(error) -> dict | None:
    """What the API's schema checks found wrong with each input (webargs puts it on the error),
    keyed by where it was (json, query) and field; None for any other error."""
    data = getattr(error, "data", None)
    messages = data.get("messages") if isinstance(data, dict) else None
    return _with_text_keys(messages) if isinstance(messages, dict) else None


def _with_text_keys(value):
    if isinstance(value, dict):
        return {str(key): _with_text_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_text_keys(item) for item in value]
    return str(value)


def _retry_after() -> dict[str, str]:
    """Seconds until the breached allowance refills, as HTTP asks of a 429 answer."""
    breached = limiter.current_limit
    if breached is None:
        return {}
    refills_at, _remaining = breached.window
    return {"Retry-After": str(max(1, math.ceil(refills_at - time.time())))}
