from datetime import date

import pytest

from app.reports.rules import (
    Grouping,
    bar_chart,
    difference_in_points,
    line_chart,
    pass_rate,
    percent,
    period_key,
    period_keys,
    safe_cell,
)


@pytest.mark.parametrize(
    ("period", "key"),
    [(Grouping.MONTH, "2026-11"), (Grouping.QUARTER, "2026-Q4"), (Grouping.YEAR, "2026")],
)
def test_period_keys_are_what_sql_writes(period, key):
    assert period_key(date(2026, 11, 30), period) == key


def test_every_period_of_a_range_in_order():
    assert period_keys(date(2025, 11, 15), date(2026, 2, 1), Grouping.MONTH) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert period_keys(date(2025, 11, 15), date(2026, 4, 1), Grouping.QUARTER) == [
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
    ]
    assert period_keys(date(2024, 6, 1), date(2026, 1, 1), Grouping.YEAR) == [
        "2024",
        "2025",
        "2026",
    ]


def test_rates_and_their_text():
    assert pass_rate(0, 0) is None and pass_rate(1, 4) == 0.25
    assert percent(None) == "—" and percent(2 / 3) == "66.7 %"
    assert difference_in_points(1.0, 0.75) == 25.0 and difference_in_points(None, 0.5) is None


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_stays_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Laura", "1-2", 5, -3, 2.5, None, ""])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_the_line_breaks_where_a_period_has_no_judgements():
    chart = line_chart([("a", 0.5), ("b", None), ("c", 1.0), ("d", 0.0)])
    assert len(chart["lines"]) == 2
    ys = [p.y for p in chart["points"]]
    assert ys[1] is None and ys[2] < ys[0] < ys[3]  # 100 % is at the top


def test_bars_are_as_long_as_their_rate():
    chart = bar_chart([("a", 1.0), ("b", 0.5), ("c", None)])
    widths = [b["width"] for b in chart["bars"]]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
