"""Passwords that are easy to guess are refused, with the reasons in the person's language."""

import pytest
from flask_babel import force_locale

from app.accounts import services
from app.accounts.models import User
from app.accounts.roles import Role
from app.errors import ValidationFailed
from app.extensions import db
from tests import factories


def reasons(error: ValidationFailed, field: str) -> list[str]:
    return [str(message) for message in error.value.reasons[field]]


WEAK_PASSWORDS = ["aaaaaaaaaa", "1234567890", "password123", "qwertyuiop", "contraseña"]


@pytest.mark.parametrize("weak", WEAK_PASSWORDS)
def test_common_and_guessable_passwords_are_refused(world, weak):
    with pytest.raises(ValidationFailed) as refused:
        factories.make_user(world.centre, Role.EVALUATOR, password=weak)
    assert reasons(refused, "password")


def test_a_password_made_of_the_persons_own_name_and_email_is_refused(world):
    with pytest.raises(ValidationFailed):
        services.create_user(
            centre=world.centre,
            email="rosalinda.quintanilla@example.com",
            full_name="Rosalinda Quintanilla",
            role=Role.EVALUATOR,
            password="rosalinda.quintanilla",
        )


def advice(locale: str, make) -> str:
    """The reasons `make()` is refused for, as a person using `locale` reads them."""
    with force_locale(locale), pytest.raises(ValidationFailed) as refused:
        make()
    with force_locale(locale):
        return " ".join(reasons(refused, "password"))


def test_a_weak_password_is_explained_in_spanish_and_in_english(world):
    def weak():
        factories.make_candidate(world.admin, password="aaaaaaaaaa")

    spanish = advice("es_MX", weak)
    assert "fácil de adivinar" in spanish and 'Las repeticiones como "aaa"' in spanish
    english = advice("en", weak)
    assert "easy to guess" in english and 'Repeats like "aaa"' in english


def test_a_short_password_is_still_refused_for_its_length(world):
    def short():
        factories.make_user(world.centre, Role.EVALUATOR, password="x7$Lq!9")

    assert "at least 10 characters" in advice("en", short)


def test_a_refused_password_creates_nothing(world):
    users = db.session.query(User).count()
    with pytest.raises(ValidationFailed):
        factories.make_candidate(world.admin, password="1234567890")
    db.session.rollback()
    assert db.session.query(User).count() == users


def test_changing_the_password_refuses_a_weak_one(world):
    with pytest.raises(ValidationFailed) as refused:
        services.change_password(
            world.admin, current_password=factories.PASSWORD, password="1234567890"
        )
    assert reasons(refused, "password")
    assert world.admin.check_password(factories.PASSWORD)
