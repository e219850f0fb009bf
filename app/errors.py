"""Domain errors raised by services, and the friendly HTTP error pages."""

import math
import time

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from app.extensions import limiter


class DomainError(Exception):
    """A business rule was broken. `reasons` maps a field name (or "" for the form) to messages."""

    status_code = 400

    def __init__(self, message: str = "", reasons: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.reasons = reasons or ({"": [message]} if message else {})


class NotFound(DomainError):
    status_code = 404


class PermissionDenied(DomainError):
    status_code = 403


class ValidationFailed(DomainError):
    status_code = 422

    @classmethod
    def on(cls, field: str, message: str) -> "ValidationFailed":
        return cls(message, {field: [message]})


def allows(check, *args) -> bool:
    """True when `check(*args)` raises no DomainError: pages ask the services' own rules."""
    try:
        check(*args)
    except DomainError:
        return False
    return True


ERROR_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    413: _l("The file is too large"),
    422: _l("The request could not be processed"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
}

ERROR_HINTS = {
    403: _l("If you think you should have access, ask your centre administrator."),
    404: _l("Check the address, or go back to the start page."),
    429: _l("Please wait a minute and try again."),
    500: _l("The error has been logged. Please try again in a moment."),
}


def render_error(status: int):
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=ERROR_TITLES.get(status, ERROR_TITLES[500]),
            hint=ERROR_HINTS.get(status, ""),
        ),
        status,
        _retry_after() if status == 429 else {},
    )


def register_error_handlers(app: Flask) -> None:
    for status in ERROR_TITLES:
        app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(error.status_code if error.status_code in ERROR_TITLES else 400)


def _retry_after() -> dict[str, str]:
    """Seconds until the breached allowance refills, as HTTP asks of a 429 answer."""
    breached = limiter.current_limit
    if breached is None:
        return {}
    refills_at, _remaining = breached.window
    return {"Retry-After": str(max(1, math.ceil(refills_at - time.time())))}
