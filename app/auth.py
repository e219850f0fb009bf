"""The view decorator that lets only the given roles reach a route."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.accounts.roles import Role


def require_role(*roles: Role):
    """Decorate a view so that only logged-in users holding one of `roles` reach it."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
