"""Form pieces shared by every area."""

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
