from datetime import date

import pytest

from app.appeals import rules

THURSDAY = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)
SATURDAY = date(2026, 11, 28)


def test_working_days_skip_the_weekend():
    assert rules.add_working_days(THURSDAY, 1) == FRIDAY
    assert rules.add_working_days(THURSDAY, 2) == date(2026, 11, 30)  # Monday
    assert rules.add_working_days(FRIDAY, 1) == date(2026, 11, 30)


def test_ten_working_days_are_two_calendar_weeks():
    assert rules.add_working_days(THURSDAY, 10) == date(2026, 12, 10)


def test_a_judgement_signed_at_the_weekend_counts_from_monday():
    assert rules.add_working_days(SATURDAY, 1) == date(2026, 11, 30)
    assert rules.add_working_days(SATURDAY, 5) == date(2026, 12, 4)


def test_zero_working_days_is_the_same_day_and_negative_is_refused():
    assert rules.add_working_days(SATURDAY, 0) == SATURDAY
    with pytest.raises(ValueError):
        rules.add_working_days(THURSDAY, -1)


def test_the_last_day_of_the_window_counts_whole():
    deadline = rules.appeal_deadline(THURSDAY, 10)
    assert rules.is_within_window(deadline, deadline)
    assert not rules.is_within_window(date(2026, 12, 11), deadline)


def test_the_waiting_period_is_in_calendar_days():
    assert rules.earliest_reassessment_day(THURSDAY, 0) == THURSDAY
    assert rules.earliest_reassessment_day(THURSDAY, 30) == date(2026, 12, 26)
