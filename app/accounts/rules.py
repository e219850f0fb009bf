"""Rules of accounts, pure logic: how hard to guess a password must be, and what an
evaluator must hold to be accredited.

zxcvbn (Dropbox's estimator) scores a password from 0 to 4 by how many guesses an attacker
would need, knowing common passwords, words, names, keyboard patterns, dates and the
person's own name and e-mail. Its advice is in English only, so each of its messages is
mapped here to one of ours, which the catalogue translates.
"""

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 10
# 3: "safely unguessable", about 10^8 guesses or more (zxcvbn's scale).
MIN_PASSWORD_SCORE = 3
# zxcvbn refuses longer input; the first 72 characters decide whether the rest matters.
ZXCVBN_MAX_LENGTH = 72

# zxcvbn's messages (zxcvbn/feedback.py), word for word, and ours for each.
ZXCVBN_ADVICE = {
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l(
        'Sequences like "abc" or "6543" are easy to guess.'
    ),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "This is a top-10 common password.": _l("This is one of the 10 most common passwords."),
    "This is a top-100 common password.": _l("This is one of the 100 most common passwords."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l(
        "This is similar to a commonly used password."
    ),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l(
        "Names and surnames by themselves are easy to guess."
    ),
    "Common names and surnames are easy to guess.": _l(
        "Common names and surnames are easy to guess."
    ),
    "Use a few words, avoid common phrases.": _l("Use a few words, avoid common phrases."),
    "No need for symbols, digits, or uppercase letters.": _l(
        "No need for symbols, digits, or uppercase letters."
    ),
    "Add another word or two. Uncommon words are better.": _l(
        "Add another word or two. Uncommon words are better."
    ),
    "Use a longer keyboard pattern with more turns.": _l(
        "Use a longer keyboard pattern with more turns."
    ),
    "Avoid repeated words and characters.": _l("Avoid repeated words and characters."),
    "Avoid sequences.": _l("Avoid sequences."),
    "Avoid recent years.": _l("Avoid recent years."),
    "Avoid years that are associated with you.": _l("Avoid years that are associated with you."),
    "Avoid dates and years that are associated with you.": _l(
        "Avoid dates and years that are associated with you."
    ),
    "Capitalization doesn't help very much.": _l("Capital letters do not help very much."),
    "All-uppercase is almost as easy to guess as all-lowercase.": _l(
        "All capitals are almost as easy to guess as all lowercase."
    ),
    "Reversed words aren't much harder to guess.": _l(
        "Words written backwards are not much harder to guess."
    ),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": _l(
        "Predictable substitutions, such as '@' instead of 'a', do not help very much."
    ),
}
GENERAL_ADVICE = _l(
    "Use a few uncommon words together, or a longer phrase only you would think of."
)

# zxcvbn keeps the person's own words in a module-level dictionary during each estimate.
_estimating = threading.Lock()


def password_weaknesses(password: str, guessable: Iterable[str] = ()) -> list[str]:
    """Why `password` is too easy to guess, in the user's language; [] when it is good enough.

    Words in `guessable` (see guessable_words) count as the easiest guesses of all.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return [_l("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)]
    with _estimating:
        estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=list(guessable))
    if estimate["score"] >= MIN_PASSWORD_SCORE:
        return []
    feedback = estimate["feedback"]
    advice = [
        ZXCVBN_ADVICE[message]
        for message in (feedback["warning"], *feedback["suggestions"])
        if message in ZXCVBN_ADVICE
    ]
    return [_l("This password is too easy to guess."), *(advice or [GENERAL_ADVICE])]


def guessable_words(email: str, full_name: str) -> list[str]:
    """What an attacker would try first against this person: their e-mail, the words of it
    and of their name, and the name of this software."""
    email = email.lower()
    local_part = email.split("@", 1)[0]
    words = re.split(r"[\W_]+", f"{local_part} {full_name}".lower())
    return [email, local_part, *filter(None, words), "avala"]


# --- accreditation --------------------------------------------------------------------------

# The national evaluator standard every evaluator must hold ("Evaluación de la competencia de
# candidatos con base en Estándares de Competencia").
EVALUATOR_STANDARD_CODE = "EC0076"


def base_code(code: str) -> str:
    """A standard's code without its version: EC0217.01 → EC0217."""
    return code.strip().upper().split(".", 1)[0]


@dataclass(frozen=True)
class InForce:
    """A period something holds: a cédula or a certificate (valid_until None: indefinite)."""

    valid_from: date | None
    valid_until: date | None

    def covers(self, day: date) -> bool:
        started = self.valid_from is None or self.valid_from <= day
        return started and (self.valid_until is None or day <= self.valid_until)


# What an evaluator lacks, in the order the user should fix them.
LACKS_CEDULA, LACKS_EVALUATOR_STANDARD, LACKS_STANDARD = "cedula", "evaluator_standard", "standard"


def accreditation_gaps(
    *,
    cedulas: Iterable[InForce],
    evaluator_certificates: Iterable[InForce],
    standard_certificates: Iterable[InForce],
    days: Iterable[date],
) -> list[str]:
    """What keeps an evaluator from assessing a standard on every one of `days`: a cédula in
    force, a certificate of the evaluator standard (EC0076) and one of the standard itself,
    each covering every day. Empty when nothing does."""
    days = list(days)
    held = {
        LACKS_CEDULA: list(cedulas),
        LACKS_EVALUATOR_STANDARD: list(evaluator_certificates),
        LACKS_STANDARD: list(standard_certificates),
    }
    return [
        gap
        for gap, periods in held.items()
        if not any(all(period.covers(day) for day in days) for period in periods)
    ]


# --- consents -------------------------------------------------------------------------------

# The versions of the texts a candidate answers (templates/accounts/_consent_text.html and
# _privacy_notice.html): a new wording gets a new version, and answers keep the one they gave.
CONSENT_TEXT_VERSION = "2026-11"
PRIVACY_NOTICE_VERSION = "2026-11"
