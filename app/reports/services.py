"""Who may read which reports, over which centres, and the reports themselves as tables.

A report is counted over a `Scope`: one centre, or every centre (None). A centre administrator
gets their own centre, whatever they ask. A body administrator (Role.BODY_ADMIN, when it
exists) will get every centre or the one they choose: `scope_for` is the one place to add it.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.accounts.queries import list_centres
from app.accounts.roles import Role
from app.errors import PermissionDenied
from app.reports import queries
from app.reports.rules import (
    PERIODS,
    Filters,
    Grouping,
    Scope,
    bar_chart,
    difference_in_points,
    line_chart,
    period_keys,
)


def ensure_may_read_reports(actor: User) -> None:
    """Reports count a centre's assessments and certificates: its administrator reads them, and
    the body's administrator reads every centre's."""
    if actor.role not in (Role.ADMIN, Role.BODY_ADMIN):
        raise PermissionDenied(_l("Only a centre administrator can read the reports."))


def scope_for(actor: User, centre_id: int | None = None) -> Scope:
    """The centres `actor` may count. A centre administrator: their own centre, never another
    (the `centre_id` asked for is ignored). The body administrator: the centre asked for, or
    every centre (None)."""
    ensure_may_read_reports(actor)
    if actor.role == Role.BODY_ADMIN:
        return Scope(centre_id)
    return Scope(actor.centre_id)


def groupings_for(scope: Scope) -> list[Grouping]:
    """A report of one centre is not grouped by centre."""
    return [g for g in Grouping if scope.is_all_centres or g != Grouping.CENTRE]


@dataclass
class Chart:
    title: str
    description: str
    kind: str  # "line" or "bars"
    geometry: dict
    rows: list  # queries.Row, the numbers in the table beside the chart


@dataclass
class SummaryReport:
    scope: Scope
    filters: Filters
    scope_name: str
    rows: list  # queries.Row, per filters.grouping
    charts: list[Chart]


def summary_report(actor: User, filters: Filters, centre_id: int | None = None) -> SummaryReport:
    return summary_for(scope_for(actor, centre_id), filters)


def summary_for(scope: Scope, filters: Filters) -> SummaryReport:
    """The summary of a scope the caller may read (summary_report asks scope_for first)."""
    if filters.grouping == Grouping.CENTRE and not scope.is_all_centres:
        filters = Filters(**{**filters.__dict__, "grouping": Grouping.MONTH})
    # The judgements are counted once for the table and every chart (one pass in the database).
    groupings = [filters.grouping, filters.period, Grouping.STANDARD]
    if scope.is_all_centres:
        groupings.append(Grouping.CENTRE)
    judged = queries.count_judged_by(scope, filters, groupings)
    rows = queries.summary(scope, filters, filters.grouping, judged[filters.grouping])
    charts = _charts(scope, filters, judged)
    return SummaryReport(scope, filters, _scope_name(scope), rows, charts)


def _scope_name(scope: Scope) -> str:
    return _("All centres") if scope.is_all_centres else queries.centre_name(scope.centre_id)


def _charts(scope: Scope, filters: Filters, judged: dict) -> list[Chart]:
    def rates(grouping):
        return queries.pass_rates(scope, filters, grouping, judged[grouping])

    over_time = {r.key: r for r in rates(filters.period)}
    keys = period_keys(filters.date_from, filters.date_to, filters.period)
    timeline = [over_time.get(k) or queries.Row(k, label=k) for k in keys]
    charts = [
        Chart(
            _("Pass rate over time"),
            _(
                "Share of judgements that were Competente, per %(period)s.",
                period=_period_word(filters.period),
            ),
            "line",
            line_chart([(r.label, r.pass_rate) for r in timeline]),
            timeline,
        )
    ]
    by_standard = rates(Grouping.STANDARD)
    charts.append(
        Chart(
            _("Pass rate by standard"),
            _("Share of judgements that were Competente, per standard."),
            "bars",
            bar_chart([(r.label, r.pass_rate) for r in by_standard]),
            by_standard,
        )
    )
    if scope.is_all_centres:
        by_centre = rates(Grouping.CENTRE)
        charts.append(
            Chart(
                _("Pass rate by centre"),
                _("Share of judgements that were Competente, per centre."),
                "bars",
                bar_chart([(r.label, r.pass_rate) for r in by_centre]),
                by_centre,
            )
        )
    return charts


def _period_word(period: Grouping) -> str:
    return {Grouping.MONTH: _("month"), Grouping.QUARTER: _("quarter"), Grouping.YEAR: _("year")}[
        period
    ]


@dataclass
class EvaluatorReport:
    scope: Scope
    filters: Filters
    scope_name: str
    rows: list  # queries.EvaluatorRow


def evaluator_report(
    actor: User, filters: Filters, centre_id: int | None = None
) -> EvaluatorReport:
    return evaluators_for(scope_for(actor, centre_id), filters)


def evaluators_for(scope: Scope, filters: Filters) -> EvaluatorReport:
    """The evaluator statistics of a scope the caller may read (see evaluator_report)."""
    rows = queries.evaluator_statistics(scope, filters)
    return EvaluatorReport(scope, filters, _scope_name(scope), rows)


def filter_choices(actor: User, centre_id: int | None = None) -> dict:
    scope = scope_for(actor, centre_id)
    return {
        "centres": list_centre_choices() if actor.role == Role.BODY_ADMIN else [],
        "standards": queries.list_standards_in(scope),
        "evaluators": queries.list_evaluators_in(scope),
        "groupings": groupings_for(scope),
    }


# Tables as exported (CSV, XLSX): a title, the column names in the user's language, the rows.
@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]


def _rate(value: float | None):
    return None if value is None else round(value * 100, 1)


def summary_tables(report: SummaryReport) -> list[Table]:
    main = Table(
        _("Summary"),
        [
            report.filters.grouping.label,
            _("Assessments scheduled"),
            _("Judgements"),
            _("Competente"),
            _("Pass rate (%)"),
            _("Certificates issued"),
            _("Suspended"),
            _("Revoked"),
            _("Median days from sign-off to certificate"),
        ],
        [
            [
                r.label,
                r.scheduled,
                r.judged,
                r.competent,
                _rate(r.pass_rate),
                r.issued,
                r.suspended,
                r.revoked,
                r.median_days,
            ]
            for r in report.rows
        ],
    )
    tables = [main]
    for chart in report.charts:
        first = _("Period") if chart.kind == "line" else chart.title
        tables.append(
            Table(
                chart.title,
                [first, _("Judgements"), _("Competente"), _("Pass rate (%)")],
                [[r.label, r.judged, r.competent, _rate(r.pass_rate)] for r in chart.rows],
            )
        )
    return tables


def evaluator_tables(report: EvaluatorReport) -> list[Table]:
    return [
        Table(
            _("Evaluators"),
            [
                _("Evaluator"),
                _("Centre"),
                _("Judgements signed"),
                _("Returned by reviewers"),
                _("Returned (%)"),
                _("Appeals upheld (%)"),
                _("Judgements"),
                _("Pass rate (%)"),
                _("Centre's pass rate, same standards (%)"),
                _("Difference (points)"),
            ],
            [
                [
                    r.name,
                    r.centre_name,
                    r.signed,
                    r.returned,
                    _rate(r.returned_share),
                    _rate(r.appeals_upheld_share),
                    r.judged,
                    _rate(r.pass_rate),
                    _rate(r.centre_pass_rate),
                    difference_in_points(r.pass_rate, r.centre_pass_rate),
                ]
                for r in report.rows
            ],
        )
    ]


def filter_lines(report, names: dict) -> list[tuple[str, str]]:
    """The filters applied, as (name, value) lines printed above every export."""
    f = report.filters
    return [
        (_("Centres"), report.scope_name),
        (_("From"), f.date_from.isoformat()),
        (_("To"), f.date_to.isoformat()),
        (_("Standard"), names.get("standard") or _("All")),
        (_("Evaluator"), names.get("evaluator") or _("All")),
        (_("Group by"), str(f.grouping.label)),
        (_("Period"), str(f.period.label) if f.period in PERIODS else ""),
    ]


def list_centre_choices() -> list[tuple[int, str]]:
    """Every centre, for the body administrator's choice of one (or all)."""
    return [(centre.id, centre.name) for centre in list_centres()]
