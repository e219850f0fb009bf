"""The view decorator that lets only the given roles reach a route, and asks it back for pages.

Object-level rules (this assessment, this certificate) live in each area's services as
`ensure_may_*` functions; pages ask them through `app.errors.allows`.
"""

from functools import wraps

from flask import abort, current_app, request
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


def public(view):
    """Mark a view whose page is the same for everyone (the verification pages, the keys).

    Its response keeps the caching headers the view sets itself: it is where the verification
    pages will add their ETags. Every other page of a signed-in user is private (below).
    """
    view.is_public = True
    return view


def is_private_response() -> bool:
    """Whether the current response is meant for one signed-in user only, so that no browser
    or proxy may store it: a page of a route that needs a role, or any page but a public one
    shown to a signed-in user (an error page, the login form)."""
    if request.endpoint == "static":
        return False
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False):
        return False
    return hasattr(view, "allowed_roles") or current_user.is_authenticated
