"""Who is signed in, and when a session ends by itself.

A session cookie carries the user's id together with their session token (User.get_id); the
cookie is honoured only while the token still matches, so replacing it (logout, a new password,
a deactivated account) ends every session of that user, copies of the cookie included. A
session also ends after a while without requests, shorter for staff than for candidates.
"""

import hmac
import time

from flask import Flask, current_app, flash, g, request, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.accounts.roles import Role
from app.extensions import db

LAST_SEEN = "last_seen_at"


def user_of_session(session_id: str) -> User | None:
    """The active user whose current session id is `session_id`, else None."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdecimal() or not token:
        return None  # e.g. a bare id, from a cookie made before session tokens
    # With the centre in the same query: whether it is active decides too (User.is_active).
    user = db.session.scalar(
        select(User).where(User.id == int(user_id)).options(joinedload(User.centre))
    )
    if user is None or not user.is_active:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def idle_limit_seconds(user: User) -> int:
    role = "CANDIDATE" if user.role == Role.CANDIDATE else "STAFF"
    return current_app.config[f"{role}_SESSION_IDLE_MINUTES"] * 60


def forget_previous_user() -> None:
    # The signed-in user belongs to the request, not to an app context that may outlive it
    # (tests share one across requests): each request reads its own cookie.
    g.pop("_login_user", None)


def end_idle_session() -> None:
    """Log out a session unused for longer than its limit; otherwise note this request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = time.time()
    last_seen = session.get(LAST_SEEN)
    # A signed-in session without the stamp was never stamped at login: treat it as stale.
    if last_seen is None or now - last_seen > idle_limit_seconds(current_user):
        logout_user()
        session.pop(LAST_SEEN, None)
        flash(_("Your session ended after a period of inactivity. Please log in again."), "info")
        return
    session[LAST_SEEN] = now


def _stamp_login(_app, user, **_extra) -> None:
    session[LAST_SEEN] = time.time()


def register(app: Flask) -> None:
    app.before_request(forget_previous_user)
    app.before_request(end_idle_session)
    user_logged_in.connect(_stamp_login)
