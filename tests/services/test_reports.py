"""The reports' numbers, counted by the database, against the world of tests/report_world.py
whose every figure is worked out by hand there."""

from datetime import date

import pytest

from app.dates import today
from app.errors import PermissionDenied
from app.reports import queries, services
from app.reports.rules import Filters, Grouping, Scope
from tests.report_world import build_report_world

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture(scope="module")
def w(module_app):
    return build_report_world()


def q1(**kwargs) -> Filters:
    return Filters(*Q1, **kwargs)


def by_key(rows):
    return {r.key: r for r in rows}


def figures(row):
    return (
        row.scheduled,
        row.judged,
        row.competent,
        row.issued,
        row.suspended,
        row.revoked,
        row.median_days,
    )


def test_monthly_figures_of_one_centre(w):
    rows = by_key(queries.summary(Scope(w.centre_a.id), q1(), Grouping.MONTH))
    assert list(rows) == ["2026-01", "2026-02", "2026-03"]
    # scheduled, judged, competent, issued, suspended, revoked, median days
    assert figures(rows["2026-01"]) == (2, 2, 1, 1, 0, 0, 4.0)
    assert figures(rows["2026-02"]) == (2, 2, 2, 2, 1, 1, 6.0)  # median of 2 and 10 days
    # a6, signed at 23:30 on 31 March in Mexico City (1 April in UTC), counts in March
    assert figures(rows["2026-03"]) == (2, 1, 1, 0, 0, 0, None)
    assert rows["2026-01"].pass_rate == 0.5


def test_quarter_and_year_periods(w):
    (quarter,) = queries.summary(Scope(w.centre_a.id), q1(), Grouping.QUARTER)
    assert quarter.key == "2026-Q1"
    assert figures(quarter) == (6, 5, 4, 3, 1, 1, 4.0)  # median of 2, 4 and 10 days
    (year,) = queries.summary(Scope(w.centre_a.id), q1(), Grouping.YEAR)
    assert year.key == "2026" and figures(year) == figures(quarter)


def test_by_standard_and_by_evaluator(w):
    rows = by_key(queries.summary(Scope(w.centre_a.id), q1(), Grouping.STANDARD))
    assert figures(rows[w.standard_1.id]) == (5, 4, 3, 2, 0, 1, 7.0)
    assert figures(rows[w.standard_2.id]) == (1, 1, 1, 1, 1, 0, 2.0)
    assert rows[w.standard_1.id].label.startswith("EC0217.01 ")
    rows = by_key(queries.summary(Scope(w.centre_a.id), q1(), Grouping.EVALUATOR))
    assert figures(rows[w.evaluator_1.id]) == (4, 4, 3, 2, 1, 0, 3.0)
    assert figures(rows[w.evaluator_2.id]) == (2, 1, 1, 1, 0, 1, 10.0)
    assert rows[w.evaluator_1.id].label == "Laura Méndez Ochoa"


def test_filters_by_date_standard_and_evaluator(w):
    scope = Scope(w.centre_a.id)
    (row,) = queries.summary(scope, q1(standard_id=w.standard_2.id), Grouping.YEAR)
    assert figures(row) == (1, 1, 1, 1, 1, 0, 2.0)
    (row,) = queries.summary(scope, q1(evaluator_id=w.evaluator_2.id), Grouping.YEAR)
    assert figures(row) == (2, 1, 1, 1, 0, 1, 10.0)
    february = Filters(date(2026, 2, 1), date(2026, 2, 28))
    assert list(by_key(queries.summary(scope, february, Grouping.MONTH))) == ["2026-02"]
    # The last day is included, in local time: a6 was signed at 23:30 on 31 March.
    march_31 = Filters(date(2026, 3, 31), date(2026, 3, 31))
    (row,) = queries.summary(scope, march_31, Grouping.MONTH)
    assert (row.scheduled, row.judged) == (1, 1)
    assert (
        queries.summary(scope, Filters(date(2026, 4, 1), date(2026, 4, 30)), Grouping.MONTH) == []
    )


def test_one_centre_never_counts_another_and_all_centres_count_both(w):
    (b,) = queries.summary(Scope(w.centre_b.id), q1(), Grouping.YEAR)
    assert figures(b) == (2, 2, 1, 1, 0, 0, 1.0)
    (everything,) = queries.summary(Scope(None), q1(), Grouping.YEAR)
    assert figures(everything) == (8, 7, 5, 4, 1, 1, 3.0)  # median of 1, 2, 4 and 10 days
    rows = by_key(queries.summary(Scope(None), q1(), Grouping.CENTRE))
    assert set(rows) == {w.centre_a.id, w.centre_b.id}
    assert rows[w.centre_b.id].label == "CONALEP Plantel Tlalnepantla"


def test_a_centre_administrator_gets_their_own_centre_whatever_they_ask(w):
    assert services.scope_for(w.admin_a, centre_id=w.centre_b.id) == Scope(w.centre_a.id)
    report = services.summary_report(w.admin_a, q1(grouping=Grouping.CENTRE))
    assert report.filters.grouping == Grouping.MONTH  # no centre grouping inside one centre
    # Over time and by standard; no chart by centre inside one centre.
    assert [c.kind for c in report.charts] == ["line", "bars"]


@pytest.mark.parametrize("who", ["evaluator_1", "reviewer_a"])
def test_other_roles_may_not_read_reports(w, who):
    with pytest.raises(PermissionDenied):
        services.summary_report(getattr(w, who), q1())
    with pytest.raises(PermissionDenied):
        services.evaluator_report(getattr(w, who), q1())


def test_charts_cover_every_period_of_the_range(w):
    report = services.summary_report(w.admin_a, Filters(date(2025, 12, 1), date(2026, 4, 30)))
    over_time = report.charts[0]
    assert [r.key for r in over_time.rows] == [
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
    ]
    assert [r.pass_rate for r in over_time.rows] == [None, 0.5, 1.0, 1.0, None]
    assert len(over_time.geometry["lines"]) == 1  # the empty months do not join the line


def test_evaluator_statistics(w):
    # The audit trail's sign-offs and returns are dated the day the world was built.
    filters = Filters(date(2026, 1, 1), today())
    rows = {r.evaluator_id: r for r in queries.evaluator_statistics(Scope(w.centre_a.id), filters)}
    assert set(rows) == {w.evaluator_1.id, w.evaluator_2.id}
    e1, e2 = rows[w.evaluator_1.id], rows[w.evaluator_2.id]
    assert (e1.signed, e1.returned, e1.judged, e1.competent) == (4, 0, 4, 3)
    # E1 judged S1 and S2: the centre's S1 (3 of 4) and S2 (1 of 1) judgements
    assert (e1.centre_judged, e1.centre_competent) == (5, 4)
    assert e1.pass_rate == 0.75 and e1.centre_pass_rate == 0.8
    # E2 signed a4 twice; the reviewer returned it once
    assert (e2.signed, e2.returned, e2.returned_share) == (2, 1, 0.5)
    assert (e2.pass_rate, e2.centre_pass_rate) == (1.0, 0.75)
    assert e2.appeals_upheld_share is None  # appeals are not recorded yet
    # The trail's events fall outside the first quarter: nothing signed in it, same judgements.
    rows = {r.evaluator_id: r for r in queries.evaluator_statistics(Scope(w.centre_a.id), q1())}
    assert (rows[w.evaluator_2.id].signed, rows[w.evaluator_2.id].judged) == (0, 1)


def test_evaluator_statistics_by_scope_and_filter(w):
    everything = queries.evaluator_statistics(Scope(None), Filters(date(2026, 1, 1), today()))
    e3 = next(r for r in everything if r.evaluator_id == w.evaluator_3.id)
    assert (e3.signed, e3.judged, e3.competent, e3.centre_judged) == (2, 2, 1, 2)
    assert e3.centre_name == "CONALEP Plantel Tlalnepantla"
    only_e2 = queries.evaluator_statistics(
        Scope(w.centre_a.id), Filters(date(2026, 1, 1), today(), evaluator_id=w.evaluator_2.id)
    )
    # Filtered to E2, the centre's pass rate is still the whole centre's (3 of 4 for S1).
    assert [(r.evaluator_id, r.centre_judged, r.centre_competent) for r in only_e2] == [
        (w.evaluator_2.id, 4, 3)
    ]


def test_the_body_wide_summary_has_a_chart_by_centre(w):
    report = services.summary_for(Scope(None), q1(grouping=Grouping.CENTRE))
    assert report.filters.grouping == Grouping.CENTRE
    assert {r.key: figures(r) for r in report.rows} == {
        w.centre_a.id: (6, 5, 4, 3, 1, 1, 4.0),
        w.centre_b.id: (2, 2, 1, 1, 0, 0, 1.0),
    }
    over_time, by_standard, by_centre = report.charts
    assert [(r.key, r.judged, r.competent) for r in over_time.rows] == [
        ("2026-01", 3, 2),
        ("2026-02", 3, 2),
        ("2026-03", 1, 1),
    ]
    assert {r.key: (r.judged, r.competent) for r in by_standard.rows} == {
        w.standard_1.id: (6, 4),
        w.standard_2.id: (1, 1),
    }
    assert {r.key: r.pass_rate for r in by_centre.rows} == {
        w.centre_a.id: 0.8,
        w.centre_b.id: 0.5,
    }
