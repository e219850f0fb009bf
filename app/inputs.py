"""What any input may hold, checked once for every URL and every form (app/forms.py BaseForm).

Without these bounds a typed value reaches the database or the calendar and fails there, as a
500: an id beyond the INTEGER columns overflows (PostgreSQL and SQLite both refuse it), a date
in the year 9999 overflows when converted to UTC, and PostgreSQL refuses a NUL in a text.
"""

import re
from datetime import date

from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

from app.db_types import MAX_INTEGER

FIRST_YEAR, LAST_YEAR = 1900, 2100

# C0 controls, DEL and C1 controls: invisible, never typed on purpose, NUL refused by PostgreSQL.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A text area keeps the tab and the line breaks people type into it.
_CONTROLS_BUT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    pattern = _CONTROLS_BUT_LINE_BREAKS if multiline else _CONTROLS
    return pattern.search(text) is not None


def is_storable_integer(number: int) -> bool:
    return -MAX_INTEGER - 1 <= number <= MAX_INTEGER


def is_plausible_date(day: date) -> bool:
    """Within the years the app deals with, far from the ends of Python's and SQL's calendars."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in a route: a number an INTEGER id column can hold, else the route does not
    match and the answer is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INTEGER, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        # Longer than the largest id: refused before int() (which refuses over 4300 digits).
        if len(value) > len(str(MAX_INTEGER)):
            raise ValidationError()
        return super().to_python(value)


class PlainTextConverter(UnicodeConverter):
    """A text part of a URL (`<public_id>`): without control characters, else a 404."""

    def to_python(self, value: str) -> str:
        if has_control_characters(value):
            raise ValidationError()
        return value
