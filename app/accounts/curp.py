"""CURP, Mexico's personal identifier: the one place that knows its rules.

Validation is python-stdnum's; this module turns its exceptions into messages a user can act on.
"""

import unicodedata
from datetime import date

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


# Words that do not count when the CURP takes a surname's or given name's letters (RENAPO).
PARTICLES = frozenset(
    [
        "DA",
        "DAS",
        "DE",
        "DEL",
        "DER",
        "DI",
        "DIE",
        "DD",
        "EL",
        "LA",
        "LAS",
        "LE",
        "LES",
        "LOS",
        "MAC",
        "MC",
        "VAN",
        "VON",
        "Y",
    ]
)
# Common first given names the CURP skips when the person has a second one.
SKIPPED_GIVEN_NAMES = frozenset(["MARIA", "MA", "MA.", "JOSE", "J", "J.", "M", "M."])
VOWELS = "AEIOU"


def _plain_words(full_name: str) -> list[str]:
    """Upper-case words without accents, Ñ as X (as the CURP writes it)."""
    upper = full_name.upper().replace("Ñ", "X")
    plain = "".join(c for c in unicodedata.normalize("NFKD", upper) if not unicodedata.combining(c))
    return [w for w in "".join(c if c.isalpha() or c == "." else " " for c in plain).split()]


def _name_groups(words: list[str]) -> list[str]:
    """Words grouped as names: particles stay with the word that follows them."""
    groups, pending = [], []
    for word in words:
        pending.append(word)
        if word not in PARTICLES:
            groups.append(" ".join(pending))
            pending = []
    if pending:
        groups.append(" ".join(pending))
    return groups


def _significant(name: str) -> str:
    words = [w for w in name.split() if w not in PARTICLES]
    return words[0] if words else name.replace(" ", "")


def _initials(given: list[str], first_surname: str, second_surname: str | None) -> str:
    surname = _significant(first_surname)
    inner_vowel = next((c for c in surname[1:] if c in VOWELS), "X")
    givens = [_significant(g) for g in given]
    if len(givens) > 1 and givens[0] in SKIPPED_GIVEN_NAMES:
        givens = givens[1:]
    second = _significant(second_surname)[0] if second_surname else "X"
    return surname[0] + inner_vowel + second + (givens[0][0] if givens else "X")


def name_fits_curp(full_name: str, curp: str) -> bool:
    """Whether a full name written given names first, then one or two surnames, gives the
    CURP's first four letters (its second letter may be an X that replaced a word the CURP
    avoids)."""
    groups = _name_groups(_plain_words(full_name))
    code = curp[:4].upper()
    candidates = []
    if len(groups) >= 3:
        candidates.append(_initials(groups[:-2], groups[-2], groups[-1]))
    if len(groups) >= 2:
        candidates.append(_initials(groups[:-1], groups[-1], None))

    def same(initials: str) -> bool:
        pairs = enumerate(zip(initials, code, strict=False))
        return all(a == b or (i == 1 and b == "X") for i, (a, b) in pairs)

    return any(same(initials) for initials in candidates)


def birth_date_of(curp: str) -> date:
    """The birth date a valid CURP carries."""
    return stdnum_curp.get_birth_date(curp)
