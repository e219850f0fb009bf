"""The password rule: zxcvbn's estimate, with every one of its messages in our own words."""

import ast
from pathlib import Path

import zxcvbn.feedback

from app.accounts.rules import ZXCVBN_ADVICE, guessable_words, password_weaknesses


def zxcvbn_messages() -> set[str]:
    """Every message zxcvbn's feedback module can give, read from its source."""
    tree = ast.parse(Path(zxcvbn.feedback.__file__).read_text(encoding="utf-8"))
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "_"
        and isinstance(node.args[0], ast.Constant)
    }


def test_every_message_zxcvbn_can_give_has_our_words_for_it():
    messages = zxcvbn_messages()
    assert len(messages) > 20  # the source really was read
    assert messages == set(ZXCVBN_ADVICE)


def test_a_long_passphrase_is_good_enough(app):
    assert password_weaknesses("tlacuache-en-la-azotea") == []
    assert password_weaknesses("el tlacuache cruzó la azotea " * 4) == []  # past zxcvbn's 72


def test_a_long_repetition_is_still_too_easy(app):
    assert password_weaknesses("a" * 100)


def test_the_persons_own_words_count_as_easy_guesses(app):
    words = guessable_words("rosa.quintanilla@example.com", "Rosalinda Quintanilla Ortiz")
    assert {"rosa", "quintanilla", "rosalinda", "ortiz"} <= set(words)
    assert password_weaknesses("rosa.quintanilla2026") == []
    assert password_weaknesses("rosa.quintanilla2026", words)
    assert password_weaknesses("rosa.quintanilla@example.com", words)
