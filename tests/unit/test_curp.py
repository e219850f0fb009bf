import pytest

from app.accounts.curp import InvalidCurp, mask_curp, normalize_curp

VALID = "BOXW310820HNERXN09"


def test_valid_curp_is_accepted_and_normalised():
    assert normalize_curp(" boxw310820hnerxn09 ") == VALID


def test_bad_check_digit_is_refused_with_a_check_digit_message():
    with pytest.raises(InvalidCurp) as caught:
        normalize_curp("BOXW310820HNERXN08")
    assert "check digit" in str(caught.value.message)


def test_impossible_birth_date_is_refused_with_a_date_message():
    with pytest.raises(InvalidCurp) as caught:
        normalize_curp("BOXW311320HNERXN09")  # month 13
    assert "birth date" in str(caught.value.message)


def test_unknown_state_is_refused_with_a_state_message():
    with pytest.raises(InvalidCurp) as caught:
        normalize_curp("BOXW310820HZZRXN09")
    assert "state" in str(caught.value.message)


def test_wrong_length_is_refused():
    with pytest.raises(InvalidCurp) as caught:
        normalize_curp("BOXW310820")
    assert "18 characters" in str(caught.value.message)


def test_wrong_format_is_refused():
    with pytest.raises(InvalidCurp):
        normalize_curp("1OXW310820HNERXN09")


def test_mask_hides_birth_date_and_inner_consonants():
    assert mask_curp(VALID) == "BOXW******HNE***09"
