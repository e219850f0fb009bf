"""Form pieces shared by every area."""

from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form: a POST button that still carries the CSRF token."""


def show_errors(form: FlaskForm, error) -> None:
    """Put a DomainError's reasons next to the fields they concern; the rest go on the form."""
    for field_name, messages in error.reasons.items():
        field = getattr(form, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *messages]
        else:
            form.form_errors = [*getattr(form, "form_errors", []), *messages]


@dataclass(frozen=True)
class Saved:
    value: Any


def commit_or_show_errors(form: FlaskForm, action) -> Saved | None:
    """Run `action` (service calls) and commit; on a broken rule roll back and explain on the form.

    Returns Saved(what the action returned) once committed, or None, having written nothing.
    """
    from app.errors import DomainError
    from app.extensions import db

    try:
        value = action()
        db.session.commit()
        return Saved(value)
    except DomainError as error:
        db.session.rollback()
        show_errors(form, error)
        return None


def status_of(form: FlaskForm) -> int:
    """422 when the page is shown again because of errors, so tests and clients can tell."""
    return 422 if form.errors or form.form_errors else 200
