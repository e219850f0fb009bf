"""Form pieces shared by every area, and the one place a broken rule becomes words on a page."""

from contextlib import contextmanager
from datetime import date

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, TextAreaField

from app.errors import Conflict, DomainError, NotFound
from app.inputs import (
    FIRST_YEAR,
    LAST_YEAR,
    has_control_characters,
    is_plausible_date,
    is_storable_integer,
)
from app.transactions import rollback_request

REQUIRED = _l("This field is required.")
CONTROL_CHARACTERS = _l("Remove the invisible control characters from this text.")
NUMBER_OUT_OF_RANGE = _l("This number is out of range.")
DATE_OUT_OF_RANGE = _l(
    "Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR
)


class BaseForm(FlaskForm):
    """The form every form of the app derives from (tests/unit/test_architecture.py checks it).

    Besides its own validators, every field is held to what no input may hold (app/inputs.py):
    text without control characters (a text area keeps tabs and line breaks), numbers an
    INTEGER column can store, dates between 1900 and 2100. A value that breaks one is a field
    error in the user's language, never a 500 from the database or the calendar.
    """

    def validate(self, extra_validators=None) -> bool:
        # Checked first: WTForms' NumberRange compares with floats, and an integer of a few
        # hundred digits cannot become one (OverflowError, a 500) before our check could say so.
        problems = {field.name: input_problem(field) for field in self}
        for field in self:
            if problems[field.name] == NUMBER_OUT_OF_RANGE:
                field.data = None
        is_valid = super().validate(extra_validators)
        for field in self:
            if problems[field.name] is not None:
                field.errors.append(problems[field.name])
                is_valid = False
        return is_valid


def input_problem(field: Field):
    """The message for a value no field may hold, or None."""
    values = field.data if isinstance(field.data, list) else [field.data]
    for value in values:
        if isinstance(value, str):
            if has_control_characters(value, multiline=isinstance(field, TextAreaField)):
                return CONTROL_CHARACTERS
        elif isinstance(value, int) and not isinstance(value, bool):
            if not is_storable_integer(value):
                return NUMBER_OUT_OF_RANGE
        elif isinstance(value, date) and not is_plausible_date(value):
            return DATE_OUT_OF_RANGE
    return None


class ActionForm(BaseForm):
    """An empty form: a POST button that still carries the CSRF token."""


def show_errors(form: FlaskForm, error: DomainError) -> None:
    """Put a DomainError's reasons next to the fields they concern; the rest go on the form."""
    form.error_status = error.status_code
    for field_name, messages in error.reasons.items():
        field = getattr(form, field_name, None) if field_name else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, *messages]
        else:
            form.form_errors = [*getattr(form, "form_errors", []), *messages]


@contextmanager
def explained_on(*forms: FlaskForm):
    """Run service calls; a broken rule undoes them and shows its reasons on the forms.

    Use it around the calls and the redirect that follows them: when a rule is broken the
    block stops, nothing it did is kept, and the view goes on to render the form again with
    the reasons beside their fields (`status_of(form)` then answers 422).

    A Conflict (someone else changed the record a moment ago) is no fault of the form: the page
    then shows the record as it is now, perhaps without that form, so its reasons are shown
    as messages above the page instead, answered with 409.
    """
    try:
        yield
    except NotFound:
        raise  # nothing on the form can fix a missing record: the 404 page says so
    except Conflict as error:
        rollback_request()
        _flash(error)
        for form in forms:
            form.error_status = error.status_code
    except DomainError as error:
        rollback_request()
        for form in forms:
            show_errors(form, error)


@contextmanager
def flashed_on_failure():
    """Like `explained_on`, for a POST button without fields: the reasons become messages."""
    try:
        yield
    except DomainError as error:
        rollback_request()
        _flash(error)


def _flash(error: DomainError) -> None:
    for messages in error.reasons.values():
        for message in messages:
            flash(str(message), "error")


def status_of(form: FlaskForm) -> int:
    """The status of a form shown again: 422 for its errors (or the broken rule's own status,
    e.g. 403 or 409), 200 when it is shown for the first time."""
    if hasattr(form, "error_status"):
        return form.error_status
    return 422 if form.errors or form.form_errors else 200
