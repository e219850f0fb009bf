"""Roles and the access checks shared by every area: who may open which route and object."""

from enum import StrEnum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


class Role(StrEnum):
    ADMIN = "admin"
    EVALUATOR = "evaluator"
    REVIEWER = "reviewer"
    CANDIDATE = "candidate"


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
