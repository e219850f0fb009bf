"""Pure pieces of the reports: groupings, periods, rates, chart geometry, safe spreadsheet cells.

No database and nothing of the app: unit-tested directly (tests/unit/test_report_rules.py).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app.labels import LabelledEnum


class Grouping(LabelledEnum):
    MONTH = "month", _l("Month")
    QUARTER = "quarter", _l("Quarter")
    YEAR = "year", _l("Year")
    STANDARD = "standard", _l("Standard")
    EVALUATOR = "evaluator", _l("Evaluator")
    CENTRE = "centre", _l("Centre")


PERIODS = (Grouping.MONTH, Grouping.QUARTER, Grouping.YEAR)


@dataclass(frozen=True)
class Scope:
    """Whose numbers a report counts: one centre (`centre_id`), or every centre (None)."""

    centre_id: int | None

    @property
    def is_all_centres(self) -> bool:
        return self.centre_id is None


@dataclass(frozen=True)
class Filters:
    """What the user asked for. Dates are local calendar days, both included."""

    date_from: date
    date_to: date
    standard_id: int | None = None
    evaluator_id: int | None = None
    grouping: Grouping = Grouping.MONTH
    period: Grouping = Grouping.MONTH  # the time axis of the pass-rate-over-time chart


def period_key(day: date, period: Grouping) -> str:
    """The key SQL gives a day's period: 2026-03, 2026-Q1, 2026 (queries.period_key_sql)."""
    if period == Grouping.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if period == Grouping.QUARTER:
        return f"{day.year:04d}-Q{(day.month + 2) // 3}"
    if period == Grouping.YEAR:
        return f"{day.year:04d}"
    raise ValueError(f"{period} is not a period")


def period_keys(first: date, last: date, period: Grouping) -> list[str]:
    """Every period from `first` to `last`, in order, so a chart shows empty periods too."""
    keys, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        key = period_key(date(year, month, 1), period)
        if not keys or keys[-1] != key:
            keys.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def pass_rate(competent: int, judged: int) -> float | None:
    """The Competente share of the judgements, 0..1; None when nothing was judged."""
    return competent / judged if judged else None


def percent(rate: float | None) -> str:
    """A rate as people read it in a table: 66.7 %; a dash when there is none."""
    return "—" if rate is None else f"{rate * 100:.1f} %"


def difference_in_points(rate: float | None, baseline: float | None) -> float | None:
    if rate is None or baseline is None:
        return None
    return round((rate - baseline) * 100, 1)


# Spreadsheets run a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value as a spreadsheet cell: text that a spreadsheet would run is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Chart geometry, in the SVG's own units; the templates draw it (templates/reports/_charts.html).
CHART_WIDTH, CHART_HEIGHT = 640, 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 16, 48
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 22, 8, 170


@dataclass(frozen=True)
class Point:
    label: str
    rate: float | None
    x: float
    y: float | None


def line_chart(values: list[tuple[str, float | None]]) -> dict:
    """Points of a pass-rate-over-time line: x spread evenly, y from 0 % (bottom) to 100 %."""
    inner_w = CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    inner_h = CHART_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = inner_w / max(len(values) - 1, 1)
    points = []
    for index, (label, rate) in enumerate(values):
        x = MARGIN_LEFT + (index * step if len(values) > 1 else inner_w / 2)
        y = None if rate is None else MARGIN_TOP + inner_h * (1 - rate)
        points.append(Point(label, rate, round(x, 1), None if y is None else round(y, 1)))
    # One polyline per run of periods that have a rate: an empty period breaks the line.
    runs, run = [], []
    for point in points:
        if point.y is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(point)
    if run:
        runs.append(run)
    every = max(1, len(points) // 12)  # at most about twelve labels under the axis
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "points": points,
        "lines": [" ".join(f"{p.x},{p.y}" for p in run) for run in runs],
        "labelled": [p for i, p in enumerate(points) if i % every == 0],
        "gridlines": [
            (int(share * 100), round(MARGIN_TOP + inner_h * (1 - share), 1))
            for share in (0, 0.25, 0.5, 0.75, 1)
        ],
        "left": MARGIN_LEFT,
        "right": CHART_WIDTH - MARGIN_RIGHT,
        "bottom": CHART_HEIGHT - MARGIN_BOTTOM,
    }


def bar_chart(values: list[tuple[str, float | None]]) -> dict:
    """Horizontal bars of a pass rate per standard or centre, 0..100 % of the bar area."""
    inner_w = CHART_WIDTH - LABEL_WIDTH - MARGIN_RIGHT - 48
    bars = []
    for index, (label, rate) in enumerate(values):
        y = MARGIN_TOP + index * (BAR_HEIGHT + BAR_GAP)
        width = 0 if rate is None else round(inner_w * rate, 1)
        bars.append(
            {
                "label": label,
                "rate": rate,
                "y": y,
                "width": width,
                "text_y": y + BAR_HEIGHT * 0.7,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    height = MARGIN_TOP * 2 + max(len(values), 1) * (BAR_HEIGHT + BAR_GAP)
    return {
        "width": CHART_WIDTH,
        "height": height,
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "left": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
    }
