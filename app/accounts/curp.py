"""CURP, Mexico's personal identifier: the one place that knows its rules.

Validation is python-stdnum's; this module turns its exceptions into messages a user can act on.
"""

from flask_babel import lazy_gettext as _l
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)
from stdnum.mx import curp as stdnum_curp


class InvalidCurp(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _component_problem(number: str) -> str:
    """stdnum reports a bad date and a bad state the same way; tell the user which one it is."""
    try:
        stdnum_curp.get_birth_date(number)
    except ValidationError:
        return _l("The birth date in the CURP (characters 5 to 10) is not a real date.")
    if number[11:13] not in stdnum_curp._valid_states:  # noqa: SLF001 - stdnum's own list
        return _l("The state code in the CURP (characters 12 and 13) does not exist.")
    return _l("The CURP contains a component that is not valid.")


def normalize_curp(value: str) -> str:
    """Return the CURP in canonical form, or raise InvalidCurp with a message for the user."""
    number = stdnum_curp.compact(value or "")
    try:
        return stdnum_curp.validate(number)
    except InvalidLength:
        raise InvalidCurp(_l("A CURP has exactly 18 characters.")) from None
    except InvalidChecksum:
        raise InvalidCurp(
            _l("The check digit of the CURP does not match; check it was typed correctly.")
        ) from None
    except InvalidComponent:
        raise InvalidCurp(_component_problem(number)) from None
    except InvalidFormat:
        raise InvalidCurp(
            _l("The CURP does not have the right format (4 letters, 6 digits, 8 characters).")
        ) from None


def mask_curp(curp: str) -> str:
    """Hide the birth date and inner consonants: BOXW310820HNERXN09 → BOXW******HNE***09."""
    return f"{curp[:4]}******{curp[10:13]}***{curp[16:]}"
