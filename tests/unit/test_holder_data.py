"""When typed holder data match the holder on paper (app/verification/rules.py)."""

import pytest

from app.verification.rules import first_surname, fold, holder_data_matches

NAME, CURP = "María José Núñez Ávila", "BOXW310820HNERXN09"


def test_folding_ignores_case_accents_and_spaces():
    assert fold("  NÚÑEZ   ávila ") == "nunez avila"


@pytest.mark.parametrize(
    ("name", "surname"),
    [(NAME, "Núñez"), ("Juan Pérez", "Pérez"), ("Ana Ruiz López", "Ruiz"), ("", "")],
)
def test_the_first_surname_is_the_second_to_last_word(name, surname):
    assert first_surname(name) == surname


@pytest.mark.parametrize(
    "typed",
    [
        "nunez",
        "NÚÑEZ",
        " Núñez ",
        "maria jose nunez avila",
        "boxw310820hnerxn09",
        "BOXW 310820 HNERXN09",
        "BOXW-310820-HNERXN09",
    ],
)
def test_the_curp_the_first_surname_or_the_whole_name_match(typed):
    assert holder_data_matches(typed, NAME, CURP)


@pytest.mark.parametrize("typed", ["", "   ", "María", "Ávila", "Nuñe", "BOXW310820HNERXN08"])
def test_anything_else_does_not(typed):
    assert not holder_data_matches(typed, NAME, CURP)
