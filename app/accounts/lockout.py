"""Failed logins counted per e-mail address; too many lock the address for a while.

Counted with the `limits` library (which Flask-Limiter is built on) in RATELIMIT_STORAGE_URI,
Redis when several workers serve the app, not in the database: a refused login writes nothing
there, and an address without an account is counted exactly like one with, so a lock tells
nothing about who has an account. The lock is a moving window: LOGIN_LOCK_AFTER_FAILURES
failures within LOGIN_LOCK_MINUTES lock the address until the oldest of them is that old.
"""

from flask import Flask, current_app
from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

NAMESPACE = "avala-login-failures"


def register(app: Flask) -> None:
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions["avala.login_lock"] = MovingWindowRateLimiter(storage)


def _window():
    config = current_app.config
    return RateLimitItemPerMinute(
        config["LOGIN_LOCK_AFTER_FAILURES"], config["LOGIN_LOCK_MINUTES"], namespace=NAMESPACE
    )


def _key(email: str) -> str:
    return " ".join(email.split()).lower()


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions["avala.login_lock"]


def is_locked(email: str) -> bool:
    return not _limiter().test(_window(), _key(email))


def note_failure(email: str) -> None:
    _limiter().hit(_window(), _key(email))


def forget_failures(email: str) -> None:
    _limiter().clear(_window(), _key(email))
