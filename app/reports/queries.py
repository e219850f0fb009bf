"""The reports' reads. Everything is counted by the database (grouped aggregates); Python only
merges the few aggregated rows of each group and puts names on their keys.

Periods are local calendar periods at the centres (BABEL_DEFAULT_TIMEZONE): PostgreSQL converts
with its time zone database (DST rules of the past included), once per hour of the range rather
than per row (see _calendar: exact for zones whose offsets are whole hours); SQLite has no
time zone database, so it shifts by the zone's current UTC offset, exact for America/Mexico_City
since it dropped daylight saving time in October 2022 (SQLite serves development and tests).
Date filters are exact on both: local days become UTC instants before the query.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import (
    Date,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.accounts.models import Centre, User
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.rules import Judgement
from app.audit.models import AuditEvent
from app.certificates.models import Certificate, CertificateStatus
from app.dates import local_zone
from app.extensions import db
from app.reports.rules import PERIODS, Filters, Grouping, Scope, pass_rate
from app.standards.models import Standard

# A judgement counts once signed off and not sent back: the current judgement of an assessment.
JUDGED_STATUSES = (AssessmentStatus.JUDGED, AssessmentStatus.REVIEWED, AssessmentStatus.CERTIFIED)
SIGNED_OFF, RETURNED = "judgement.signed_off", "judgement.returned"


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _is_pg() -> bool:
    return _dialect() == "postgresql"


def _sqlite_shift() -> str:
    """The zone's current UTC offset as an SQLite date modifier, e.g. '-360 minutes'."""
    offset = datetime.now(local_zone()).utcoffset() or timedelta(0)
    return f"{int(offset.total_seconds() // 60):+d} minutes"


def period_key_sql(column, period: Grouping):
    """SQL for the local period of a naive-UTC timestamp column, as rules.period_key writes it:
    '2026-03', '2026-Q1', '2026'. date_trunc on PostgreSQL, strftime on SQLite."""
    if _dialect() == "postgresql":
        local = func.timezone(local_zone().key, func.timezone("UTC", column))
        unit, pattern = {
            Grouping.MONTH: ("month", "YYYY-MM"),
            Grouping.QUARTER: ("quarter", 'YYYY-"Q"Q'),
            Grouping.YEAR: ("year", "YYYY"),
        }[period]
        return func.to_char(func.date_trunc(unit, local), pattern)
    shift = _sqlite_shift()
    if period == Grouping.MONTH:
        return func.strftime("%Y-%m", column, shift)
    if period == Grouping.YEAR:
        return func.strftime("%Y", column, shift)
    month = cast(func.strftime("%m", column, shift), db.Integer)
    return func.strftime("%Y", column, shift) + "-Q" + cast((month + 2) // 3, String)


def local_date_sql(column):
    """The local calendar day of a naive-UTC timestamp column."""
    if _dialect() == "postgresql":
        return cast(func.timezone(local_zone().key, func.timezone("UTC", column)), Date)
    return func.date(column, _sqlite_shift())


def calendar_days_sql(later_timestamp, earlier_day):
    """Calendar days at the centre from a day to a naive-UTC timestamp's local day."""
    if _dialect() == "postgresql":
        return local_date_sql(later_timestamp) - earlier_day
    return func.julianday(local_date_sql(later_timestamp)) - func.julianday(earlier_day)


def utc_bounds(filters: Filters) -> tuple[datetime, datetime]:
    """The filter's local days as UTC instants: [first day 00:00, day after the last 00:00)."""
    zone = local_zone()
    start = datetime.combine(filters.date_from, time.min, zone).astimezone(UTC)
    end = datetime.combine(filters.date_to + timedelta(days=1), time.min, zone).astimezone(UTC)
    return start, end


def _calendar(filters: Filters):
    """PostgreSQL: one row per hour of the range (`bucket`, naive UTC) with its local period
    keys (`key_month`, `key_quarter`, `key_year`) and local `day`.

    Converting every counted row to local time (timezone(), date_trunc, to_char) cost most of
    a body-wide report; joined on date_trunc('hour', ...), which is cheap, the conversion is
    done once per hour of the range instead. Exact for every zone whose UTC offset is a whole
    number of hours, as Mexico's are."""
    start, end = (moment.replace(tzinfo=None) for moment in utc_bounds(filters))
    hour = literal_column("interval '1 hour'")
    hours = func.generate_series(start, end, hour).column_valued("bucket")
    keys = [period_key_sql(hours, period).label(f"key_{period.value}") for period in PERIODS]
    calendar = select(hours.label("bucket"), *keys, local_date_sql(hours).label("day"))
    # MATERIALIZED: worked out once, never folded into the counting query (per row again).
    return calendar.cte("calendar").prefix_with("MATERIALIZED")


def _on_calendar(calendar, moment):
    return calendar.c.bucket == func.date_trunc("hour", moment)


def _key(grouping: Grouping, assessment, moment, calendar=None):
    if grouping in PERIODS:
        if calendar is not None:
            return calendar.c[f"key_{grouping.value}"]
        return period_key_sql(moment, grouping)
    return {
        Grouping.STANDARD: assessment.standard_id,
        Grouping.EVALUATOR: assessment.evaluator_id,
        Grouping.CENTRE: assessment.centre_id,
    }[grouping]


def _conditions(scope: Scope, filters: Filters, assessment, moment, centre=None) -> list:
    start, end = utc_bounds(filters)
    conditions = [moment >= start, moment < end]
    centre = assessment.centre_id if centre is None else centre
    if scope.centre_id is not None:
        conditions.append(centre == scope.centre_id)
    if filters.standard_id is not None:
        conditions.append(assessment.standard_id == filters.standard_id)
    if filters.evaluator_id is not None:
        conditions.append(assessment.evaluator_id == filters.evaluator_id)
    return conditions


def count_scheduled(scope: Scope, filters: Filters, grouping: Grouping) -> dict:
    """Assessments scheduled to start in the range (cancelled ones not counted), per group."""
    a = aliased(Assessment)
    by_hour = _is_pg() and grouping in PERIODS
    key = func.date_trunc("hour", a.starts_at) if by_hour else _key(grouping, a, a.starts_at)
    key = key.label("key")
    query = (
        select(key, func.count().label("n"))
        .where(*_conditions(scope, filters, a, a.starts_at))
        .where(a.status != AssessmentStatus.CANCELLED)
        .group_by(key)
    )
    if by_hour:  # PostgreSQL: counted per hour, then per local period (see _calendar)
        hours, calendar = query.subquery("hours"), _calendar(filters)
        period = calendar.c[f"key_{grouping.value}"]
        query = (
            select(period.label("key"), func.sum(hours.c.n).label("n"))
            .select_from(hours.join(calendar, calendar.c.bucket == hours.c.key))
            .group_by(period)
        )
    return {row.key: int(row.n) for row in db.session.execute(query)}


def count_judged(scope: Scope, filters: Filters, grouping: Grouping) -> dict:
    """Current judgements signed off in the range, and how many are Competente, per group."""
    return count_judged_by(scope, filters, [grouping])[grouping]


def count_judged_by(scope: Scope, filters: Filters, groupings: list[Grouping]) -> dict:
    """count_judged for several groupings at once, in one pass over the judgements.
    Gives {grouping: {key: (judged, competent)}}."""
    groupings = list(dict.fromkeys(groupings))
    if _is_pg():
        return _count_judged_by_pg(scope, filters, groupings)
    a = aliased(Assessment)
    keys = [_key(g, a, a.signed_off_at).label(f"k{i}") for i, g in enumerate(groupings)]
    rows = (
        select(*keys, case((a.judgement == Judgement.COMPETENT, 1), else_=0).label("competent"))
        .where(*_conditions(scope, filters, a, a.signed_off_at))
        .where(a.status.in_(JUDGED_STATUSES))
        .subquery("judged")
    )
    counted = [func.count().label("judged"), func.sum(rows.c.competent).label("competent")]
    # SQLite has no GROUPING SETS: one grouped SELECT per grouping over the same rows.
    parts = [
        select(
            literal(i).label("set"), cast(rows.c[f"k{i}"], String).label("key"), *counted
        ).group_by(rows.c[f"k{i}"])
        for i in range(len(groupings))
    ]
    return _by_set(groupings, db.session.execute(union_all(*parts)), "judged", "competent")


def _by_set(groupings, rows, *counts) -> dict:
    """{grouping: {key: counts}} from rows of (set, key as text, *counts)."""
    result = {g: {} for g in groupings}
    for row in rows:
        grouping = groupings[row.set]
        key = row.key if grouping in PERIODS or row.key is None else int(row.key)
        result[grouping][key] = tuple(int(getattr(row, name) or 0) for name in counts)
    return result


def _count_judged_by_pg(scope: Scope, filters: Filters, groupings: list[Grouping]) -> dict:
    """PostgreSQL: one scan of the covering index, grouped with GROUPING SETS by the hour (for
    every period grouping) and by each id; the hours' few thousand rows then get their local
    period from the calendar, instead of every judgement."""
    a = aliased(Assessment)
    competent = func.sum(case((a.judgement == Judgement.COMPETENT, 1), else_=0))
    raw = {}  # the column each grouping is counted by first: the hour, or an id
    for g in groupings:
        raw["hour" if g in PERIODS else g.value] = (
            func.date_trunc("hour", a.signed_off_at) if g in PERIODS else _key(g, a, None)
        )
    columns = [expression.label(name) for name, expression in raw.items()]
    first = (
        select(
            *columns,
            *[func.grouping(expression).label(f"g_{name}") for name, expression in raw.items()],
            func.count().label("judged"),
            competent.label("competent"),
        )
        .where(*_conditions(scope, filters, a, a.signed_off_at))
        .where(a.status.in_(JUDGED_STATUSES))
        .group_by(func.grouping_sets(*raw.values()))
        .cte("first")
    )
    calendar = _calendar(filters) if "hour" in raw else None
    counted = [func.sum(first.c.judged).label("judged"), func.sum(first.c.competent).label("c")]
    parts = []
    for i, g in enumerate(groupings):
        if g in PERIODS:
            key = calendar.c[f"key_{g.value}"]
            part = select(literal(i).label("set"), key.label("key"), *counted).select_from(
                first.join(calendar, calendar.c.bucket == first.c.hour)
            )
            parts.append(part.where(first.c.g_hour == 0).group_by(key))
        else:
            key = cast(first.c[g.value], String).label("key")
            part = select(literal(i).label("set"), key, *counted)
            parts.append(part.where(first.c[f"g_{g.value}"] == 0).group_by(first.c[g.value]))
    return _by_set(groupings, db.session.execute(union_all(*parts)), "judged", "c")


def count_certificates(scope: Scope, filters: Filters, grouping: Grouping) -> dict:
    """Live certificates (not superseded by a reissue) issued in the range, per group: issued,
    now suspended, now revoked, and the median of the calendar days from the judgement's
    sign-off (the certificate's judged_on, its local day) to the certificate's local day.

    The assessment is joined only when a standard or an evaluator groups or filters: the
    certificate itself holds its centre and both days."""
    a, c = aliased(Assessment), aliased(Certificate)
    needs_assessment = (
        grouping in (Grouping.STANDARD, Grouping.EVALUATOR)
        or filters.standard_id is not None
        or filters.evaluator_id is not None
    )
    is_pg = _is_pg()
    calendar = _calendar(filters) if is_pg else None
    centre = grouping == Grouping.CENTRE
    key = (c.centre_id if centre else _key(grouping, a, c.issued_at, calendar)).label("key")
    days = calendar.c.day - c.judged_on if is_pg else calendar_days_sql(c.issued_at, c.judged_on)
    status_count = lambda status: func.sum(case((c.status == status, 1), else_=0))  # noqa: E731
    median = func.percentile_cont(0.5).within_group(days) if is_pg else literal(None)
    conditions = _conditions(scope, filters, a, c.issued_at, centre=c.centre_id)
    conditions.append(c.status != CertificateStatus.SUPERSEDED)
    query = (
        select(
            key,
            func.count().label("issued"),
            status_count(CertificateStatus.SUSPENDED).label("suspended"),
            status_count(CertificateStatus.REVOKED).label("revoked"),
            median.label("median"),
        )
        .select_from(c)
        .where(*conditions)
        .group_by(key)
    )
    if needs_assessment:
        query = query.join(a, a.id == c.assessment_id)
    if calendar is not None:
        query = query.join(calendar, _on_calendar(calendar, c.issued_at))
    counts = {
        row.key: [row.issued, int(row.suspended or 0), int(row.revoked or 0), row.median]
        for row in db.session.execute(query)
    }
    if not is_pg:
        medians = _median_by_window(c, a, key, days, conditions, needs_assessment)
        for group, median_days in medians.items():
            counts[group][3] = median_days
    return {group: tuple(values) for group, values in counts.items()}


def _median_by_window(c, a, key, days, conditions, needs_assessment) -> dict:
    """The median per group without percentile_cont (SQLite): number the values of each group
    in order, then average the middle one (odd count) or the middle two (even count)."""
    ranked = (
        select(
            key,
            days.label("days"),
            func.row_number().over(partition_by=key, order_by=days).label("position"),
            func.count().over(partition_by=key).label("n"),
        )
        .select_from(c)
        .where(*conditions)
    )
    if needs_assessment:
        ranked = ranked.join(a, a.id == c.assessment_id)
    ranked = ranked.subquery()
    middle = ranked.c.position.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2])
    query = (
        select(ranked.c.key, func.avg(ranked.c.days).label("median"))
        .where(middle)
        .group_by(ranked.c.key)
    )
    return {row.key: row.median for row in db.session.execute(query)}


@dataclass
class Row:
    key: object
    label: str = ""
    scheduled: int = 0
    judged: int = 0
    competent: int = 0
    issued: int = 0
    suspended: int = 0
    revoked: int = 0
    median_days: float | None = None

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.competent, self.judged)


def summary(scope: Scope, filters: Filters, grouping: Grouping, judged=None) -> list[Row]:
    """Every figure of the report per group, groups in order (periods by time, names A-Z).
    `judged`: count_judged's answer for `grouping`, when the caller counted it already."""
    rows: dict = {}

    def row(key) -> Row:
        return rows.setdefault(key, Row(key))

    for key, n in count_scheduled(scope, filters, grouping).items():
        row(key).scheduled = n
    counts = judged if judged is not None else count_judged(scope, filters, grouping)
    for key, (n, competent) in counts.items():
        row(key).judged, row(key).competent = n, competent
    for key, (issued, suspended, revoked, median) in count_certificates(
        scope, filters, grouping
    ).items():
        r = row(key)
        r.issued, r.suspended, r.revoked = issued, suspended, revoked
        r.median_days = None if median is None else round(float(median), 1)
    return _labelled(list(rows.values()), grouping)


def pass_rates(scope: Scope, filters: Filters, grouping: Grouping, judged=None) -> list[Row]:
    """Only judged and Competente per group: what the pass-rate charts need."""
    counts = judged if judged is not None else count_judged(scope, filters, grouping)
    rows = [Row(key, judged=n, competent=competent) for key, (n, competent) in counts.items()]
    return _labelled(rows, grouping)


def _labelled(rows: list[Row], grouping: Grouping) -> list[Row]:
    names = names_of(grouping, [r.key for r in rows])
    for r in rows:
        r.label = names.get(r.key, str(r.key))
    if grouping in PERIODS:
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: (r.label.casefold(), r.key))


def names_of(grouping: Grouping, keys: list) -> dict:
    """The names people read for the ids of a grouping (a period's key is its own name)."""
    ids = [k for k in keys if k is not None]
    if grouping in PERIODS or not ids:
        return {}
    if grouping == Grouping.STANDARD:
        query = select(Standard.id, Standard.code + "." + Standard.version + " " + Standard.title)
    elif grouping == Grouping.EVALUATOR:
        query = select(User.id, User.full_name)
    else:
        query = select(Centre.id, Centre.name)
    id_column = query.selected_columns[0]
    return {key: name for key, name in db.session.execute(query.where(id_column.in_(ids)))}


@dataclass
class EvaluatorRow:
    evaluator_id: int
    name: str = ""
    centre_name: str = ""
    signed: int = 0  # sign-offs in the range, re-signatures after a return included
    returned: int = 0  # of those, sent back by a quality reviewer
    judged: int = 0  # current judgements (as in the summary)
    competent: int = 0
    centre_judged: int = 0  # the centre's judgements of the standards this evaluator judged
    centre_competent: int = 0
    # Appeals (inconformidades) are not in the code yet: the seam for their count is here.
    appeals: int | None = None
    appeals_upheld: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def returned_share(self) -> float | None:
        return pass_rate(self.returned, self.signed)

    @property
    def appeals_upheld_share(self) -> float | None:
        if self.appeals is None or self.appeals_upheld is None:
            return None
        return pass_rate(self.appeals_upheld, self.appeals)

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.competent, self.judged)

    @property
    def centre_pass_rate(self) -> float | None:
        return pass_rate(self.centre_competent, self.centre_judged)


def evaluator_statistics(scope: Scope, filters: Filters) -> list[EvaluatorRow]:
    """Per evaluator: sign-offs and returns (audit trail), pass rate, and the centre's pass rate
    over the same standards, all in the range. Two grouped queries."""
    rows: dict[int, EvaluatorRow] = {}
    for r in db.session.execute(_rates_query(scope, filters)):
        rows[r.evaluator_id] = EvaluatorRow(
            r.evaluator_id,
            judged=int(r.judged or 0),
            competent=int(r.competent or 0),
            centre_judged=int(r.centre_judged or 0),
            centre_competent=int(r.centre_competent or 0),
        )
    if scope.is_all_centres and filters.standard_id is None:
        # Across every centre, the sign-offs are counted by who signed (only the assessment's
        # own evaluator may: assessments.services.ensure_may_record), without reading the
        # assessments; only the few returns are joined to theirs.
        reviews = [
            _sign_offs_by_signer(filters),
            _reviews_query(filters=filters, scope=scope, actions=[RETURNED]),
        ]
    else:
        reviews = [_reviews_query(scope, filters)]
    for query in reviews:
        for r in db.session.execute(query):
            row = rows.setdefault(r.evaluator_id, EvaluatorRow(r.evaluator_id))
            row.signed += int(r.signed or 0)
            row.returned += int(r.returned or 0)
    names = db.session.execute(
        select(User.id, User.full_name, Centre.name)
        .join(Centre, Centre.id == User.centre_id)
        .where(User.id.in_(list(rows)))
    )
    for user_id, name, centre_name in names:
        rows[user_id].name, rows[user_id].centre_name = name, centre_name
    return sorted(rows.values(), key=lambda r: (r.name.casefold(), r.evaluator_id))


def _rates_query(scope: Scope, filters: Filters):
    a = aliased(Assessment)
    whole_centre = Filters(filters.date_from, filters.date_to, filters.standard_id)
    competent = func.sum(case((a.judgement == Judgement.COMPETENT, 1), else_=0))
    per_standard = (
        select(
            a.evaluator_id,
            a.centre_id,
            a.standard_id,
            func.count().label("judged"),
            competent.label("competent"),
        )
        .where(*_conditions(scope, whole_centre, a, a.signed_off_at))
        .where(a.status.in_(JUDGED_STATUSES))
        .group_by(a.evaluator_id, a.centre_id, a.standard_id)
        .cte("per_standard")
    )
    centre = (
        select(
            per_standard.c.centre_id,
            per_standard.c.standard_id,
            func.sum(per_standard.c.judged).label("judged"),
            func.sum(per_standard.c.competent).label("competent"),
        )
        .group_by(per_standard.c.centre_id, per_standard.c.standard_id)
        .cte("centre")
    )
    query = (
        select(
            per_standard.c.evaluator_id,
            func.sum(per_standard.c.judged).label("judged"),
            func.sum(per_standard.c.competent).label("competent"),
            func.sum(centre.c.judged).label("centre_judged"),
            func.sum(centre.c.competent).label("centre_competent"),
        )
        .join(
            centre,
            and_(
                centre.c.centre_id == per_standard.c.centre_id,
                centre.c.standard_id == per_standard.c.standard_id,
            ),
        )
        .group_by(per_standard.c.evaluator_id)
    )
    if filters.evaluator_id is not None:
        query = query.where(per_standard.c.evaluator_id == filters.evaluator_id)
    return query


def _sign_offs_by_signer(filters: Filters):
    e = aliased(AuditEvent)
    start, end = utc_bounds(filters)
    query = (
        select(
            e.actor_id.label("evaluator_id"),
            func.count().label("signed"),
            literal(0).label("returned"),
        )
        .where(e.action == SIGNED_OFF, e.object_type == "assessments")
        .where(e.occurred_at >= start, e.occurred_at < end)
        .group_by(e.actor_id)
    )
    if filters.evaluator_id is not None:
        query = query.where(e.actor_id == filters.evaluator_id)
    return query


def _reviews_query(scope: Scope, filters: Filters, actions=(SIGNED_OFF, RETURNED)):
    a, e = aliased(Assessment), aliased(AuditEvent)
    counted = lambda action: func.sum(case((e.action == action, 1), else_=0))  # noqa: E731
    return (
        select(
            a.evaluator_id,
            counted(SIGNED_OFF).label("signed"),
            counted(RETURNED).label("returned"),
        )
        .select_from(e)
        .join(a, and_(e.object_type == "assessments", e.object_id == a.id))
        .where(e.action.in_(list(actions)))
        .where(*_conditions(scope, filters, a, e.occurred_at))
        .group_by(a.evaluator_id)
    )


def list_standards_in(scope: Scope) -> list[tuple[int, str]]:
    """The standards the scope has assessments of, for the filter's choices."""
    query = select(Standard.id, Standard.code, Standard.version, Standard.title).order_by(
        Standard.code, Standard.version
    )
    if scope.centre_id is not None:
        used = select(Assessment.standard_id).where(Assessment.centre_id == scope.centre_id)
        query = query.where(Standard.id.in_(used))
    return [
        (i, f"{code}.{version} {title}") for i, code, version, title in db.session.execute(query)
    ]


def list_evaluators_in(scope: Scope) -> list[tuple[int, str]]:
    """The evaluators of the scope who have assessments, for the filter's choices."""
    used = select(Assessment.evaluator_id)
    if scope.centre_id is not None:
        used = used.where(Assessment.centre_id == scope.centre_id)
    query = select(User.id, User.full_name).where(User.id.in_(used)).order_by(User.full_name)
    return [(key, name) for key, name in db.session.execute(query)]


def centre_name(centre_id: int) -> str:
    return db.session.scalar(select(Centre.name).where(Centre.id == centre_id)) or ""
