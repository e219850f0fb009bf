from datetime import date

from app.certificates.rules import canonical_json, format_folio, valid_until


def test_folio_is_readable_and_zero_padded():
    assert format_folio("CONALEP", "EC0217.01", 2026, 123) == "CONALEP-EC0217.01-2026-000123"


def test_validity_counts_whole_years_from_the_judgement():
    assert valid_until(date(2026, 3, 15), 3) == date(2029, 3, 15)


def test_indefinite_validity_has_no_end():
    assert valid_until(date(2026, 3, 15), None) is None


def test_validity_from_29_february_ends_on_28_february():
    assert valid_until(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_canonical_json_is_independent_of_key_order_and_keeps_accents():
    assert canonical_json({"b": 1, "a": "Núñez"}) == canonical_json({"a": "Núñez", "b": 1})
    assert canonical_json({"a": "Núñez"}) == '{"a":"Núñez"}'
