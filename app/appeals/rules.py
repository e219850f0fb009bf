"""Pure rules of appeals and re-assessments: working-day arithmetic and waiting periods."""

from datetime import date, timedelta

SATURDAY = 5  # date.weekday(): Monday is 0, so 5 and 6 are the weekend


def is_working_day(day: date) -> bool:
    """Monday to Friday."""
    return day.weekday() < SATURDAY


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself is not counted, whatever day it
    is); `start` when `days` is 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def appeal_deadline(judged_on: date, window_working_days: int) -> date:
    """The last day on which a judgement signed off on `judged_on` may be appealed: the window
    counts working days from the day after the sign-off, and its last day counts whole."""
    return add_working_days(judged_on, window_working_days)


def is_within_window(on: date, deadline: date) -> bool:
    return on <= deadline


def earliest_reassessment_day(judged_on: date, wait_days: int) -> date:
    """The first day a re-assessment may start after a judgement of `judged_on`, with a waiting
    period of `wait_days` calendar days (0: any day)."""
    return judged_on + timedelta(days=max(wait_days, 0))
