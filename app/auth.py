"""The view decorator that lets only the given roles reach a route, and asks it back for pages.

Object-level rules (this assessment, this certificate) live in each area's services as
`ensure_may_*` functions; pages ask them through `app.errors.allows`.
"""

from functools import wraps

from flask import abort, current_app
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

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def may_open(endpoint: str, user=None) -> bool:
    """Whether `user` (the current one by default) gets past the route's own role check.

    Navigation and buttons ask this, so a link is shown exactly when its route lets the user in.
    Routes open to everyone have no `allowed_roles`.
    """
    user = user if user is not None else current_user
    view = current_app.view_functions[endpoint]
    allowed = getattr(view, "allowed_roles", None)
    if allowed is None:
        return True
    return user.is_authenticated and user.role in allowed
