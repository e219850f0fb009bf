"""Reports on a large PostgreSQL database: the body-wide summary, one centre's report page,
the evaluator statistics and one centre's XLSX export of a year, each timed warm.

The data is generated inside PostgreSQL with INSERT ... SELECT generate_series (not through the
services, which would take days at this size): by default 300 centres, 2,000 evaluators,
1,000,000 judgements spread evenly over the last five years (with their audit trail: a
sign-off each, and for one in twenty a return and a first sign-off) and about 600,000
certificates (2 % suspended, 1 % revoked). Smaller sizes by flags.

Targets (issue 14): each report under 500 ms warm; the XLSX export of one year for one centre
under 5 s. The baseline, timed in the same run, is the floor any report of the body pays: one
`count(*)` of the judgements signed off in the last twelve months.

    .venv/bin/python bench/reports.py --database-url postgresql+psycopg://...:5432/avala_bench \
        --reset
    .venv/bin/python bench/reports.py ... --judgements 100000 --certificates 60000   # smaller
    .venv/bin/python bench/reports.py ... --reuse       # time again without generating
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

STANDARDS = 50
TARGET_MS, EXPORT_TARGET_MS = 500, 5000


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database of yours")
    parser.add_argument("--centres", type=int, default=300)
    parser.add_argument("--evaluators", type=int, default=2000)
    parser.add_argument("--judgements", type=int, default=1_000_000)
    parser.add_argument("--certificates", type=int, default=600_000)
    parser.add_argument("--runs", type=int, default=5, help="timed runs after one warm-up")
    parser.add_argument("--reset", action="store_true", help="drop schema public first")
    parser.add_argument("--reuse", action="store_true", help="time the data already there")
    return parser.parse_args(argv)


def _sql(connection, statement: str, **params) -> None:
    from sqlalchemy import text

    started = time.monotonic()
    connection.execute(text(statement), params)
    first_line = " ".join(statement.split())[:70]
    print(f"  {time.monotonic() - started:6.1f} s  {first_line}", flush=True)


def generate(app, args) -> None:
    from werkzeug.security import generate_password_hash

    from app.extensions import db

    c, e, j = args.centres, args.evaluators, args.judgements
    candidates = max(j // 10, c)
    password_hash = generate_password_hash(benchlib.PASSWORD, method="pbkdf2:sha256:1000")
    # Users: administrators 1..C, reviewers C+1..2C, evaluators 2C+1..2C+E, then candidates.
    with app.app_context(), db.engine.begin() as connection:
        _sql(
            connection,
            "INSERT INTO centres (id, code, name, city) SELECT g, 'CE-' || g, "
            "'Centro de Evaluación ' || g, 'Ciudad ' || (g % 32) FROM generate_series(1, :c) g",
            c=c,
        )
        _sql(
            connection,
            "INSERT INTO standards (id, code, version, title, title_en, purpose, level, sector, "
            "search_text, published_on, validity_years, status, created_at) SELECT g, "
            "'EC' || lpad(g::text, 4, '0'), '01', 'Estándar de competencia ' || g, '', '', "
            "1 + g % 5, 'Sector ' || (g % 9), 'estandar de competencia ' || g, "
            "DATE '2019-01-01', 3, 'published', now() "
            "FROM generate_series(1, :s) g",
            s=STANDARDS,
        )
        _sql(
            connection,
            "INSERT INTO users (id, email, full_name, password_hash, role, centre_id, "
            "is_active_account, created_at, session_token) "
            "SELECT g, 'persona' || g || '@bench.example.mx', 'Persona ' || g, :hash, "
            "CASE WHEN g <= :c THEN 'admin' WHEN g <= 2 * :c THEN 'reviewer' "
            "WHEN g <= 2 * :c + :e THEN 'evaluator' ELSE 'candidate' END, "
            "CASE WHEN g <= :c THEN g WHEN g <= 2 * :c THEN g - :c "
            "ELSE 1 + (g - 2 * :c - 1) % :c END, true, now(), md5(g::text) "
            "FROM generate_series(1, 2 * :c + :e + :n) g",
            hash=password_hash,
            c=c,
            e=e,
            n=candidates,
        )
        _sql(
            connection,
            "INSERT INTO candidates (id, user_id, centre_id, curp, is_publicly_listed, "
            "registered_at) SELECT k + 1, 2 * :c + :e + 1 + k, 1 + k % :c, "
            "'BENCH' || lpad(k::text, 13, '0'), false, now() FROM generate_series(0, :n - 1) k",
            c=c,
            e=e,
            n=candidates,
        )
        # Judgement i: evaluator k = i % E of centre 1 + k % C, a candidate of that centre,
        # signed off evenly over five years; each evaluator passes 55..94 % of candidates, and
        # about `certificates` of the Competente ones are certified. The two hashes below are
        # not independent: 0.697 (measured: 561,078 certificates with 0.745) corrects for it.
        certified_per_10000 = min(10_000, round(10_000 * args.certificates / (0.697 * j)))
        _sql(
            connection,
            "INSERT INTO assessments (id, centre_id, candidate_id, standard_id, evaluator_id, "
            "starts_at, ends_at, location, no_conflict_declared_at, status, judgement, "
            "score_percent, feedback, signed_off_at, reviewer_id, reviewed_at, return_reason, "
            "created_at) "
            "SELECT i + 1, 1 + k % :c, 1 + k % :c + :c * ((i / :e) % (:n / :c)), "
            "1 + (k + i / 97) % :s, 2 * :c + 1 + k, signed - interval '2 days', "
            "signed - interval '2 days' + interval '2 hours', 'Taller', "
            "signed - interval '9 days', "
            "CASE WHEN i >= :j - :j / 200 THEN 'judged' "
            "WHEN competent AND (i::bigint * 7919) % 10000 < :certified THEN 'certified' "
            "ELSE 'reviewed' END, "
            "CASE WHEN competent THEN 'competent' ELSE 'not_yet_competent' END, "
            "90, 'Retroalimentación', signed, 1 + :c + k % :c, "
            "signed + interval '1 day', '', signed - interval '10 days' "
            "FROM (SELECT i, i % :e AS k, (now() AT TIME ZONE 'UTC') - interval '5 years' "
            "+ i * (interval '5 years' / :j) AS signed, "
            "(i::bigint * 2654435761) % 100 < 55 + (i % :e) % 40 AS competent "
            "FROM generate_series(0, :j - 1) i) g",
            c=c,
            e=e,
            n=candidates,
            j=j,
            s=STANDARDS,
            certified=certified_per_10000,
        )
        _sql(
            connection,
            "INSERT INTO audit_events (occurred_at, actor_id, action, object_type, object_id, "
            "details) SELECT signed_off_at, evaluator_id, 'judgement.signed_off', "
            "'assessments', id, '{}' FROM assessments",
        )
        _sql(
            connection,
            "INSERT INTO audit_events (occurred_at, actor_id, action, object_type, object_id, "
            "details) SELECT signed_off_at - interval '1 day' * n, "
            "CASE n WHEN 1 THEN reviewer_id ELSE evaluator_id END, "
            "CASE n WHEN 1 THEN 'judgement.returned' ELSE 'judgement.signed_off' END, "
            "'assessments', id, '{}' FROM assessments, generate_series(1, 2) n "
            "WHERE id % 20 = 0",
        )
        _sql(
            connection,
            "INSERT INTO certificates (folio, public_id, assessment_id, candidate_id, centre_id, "
            "holder_name, curp_masked, standard_code, standard_title, standard_level, "
            "centre_name, body_name, evaluator_name, judged_on, issued_at, valid_until, status, "
            "status_reason, public_reason, public_note, revoked_at, design, pdf_path, pdf_sha256, "
            "signed_payload, signature, key_id) "
            "SELECT 'BENCH-' || a.id, md5(a.id::text), a.id, a.candidate_id, a.centre_id, "
            "'Titular ' || a.candidate_id, 'BENC******', 'EC0001', 'Estándar', 3, 'Centro', "
            "'CONALEP', 'Evaluador', a.signed_off_at::date, issued, "
            "(issued + interval '3 years')::date, "
            "CASE WHEN a.id % 100 = 1 THEN 'revoked' WHEN a.id % 50 = 3 THEN 'suspended' "
            "ELSE 'valid' END, CASE WHEN a.id % 100 = 1 THEN 'Evidencia no auténtica' ELSE '' END, "
            "CASE WHEN a.id % 100 = 1 THEN 'body_decision' WHEN a.id % 50 = 3 THEN 'under_review' "
            "END, '', "
            "CASE WHEN a.id % 100 = 1 THEN issued + interval '30 days' END, "
            "'clasico-v2', 'bench/' || a.id || '.pdf', md5(a.id::text) || md5(a.id::text), '{}', "
            "'sig', 'key' "
            "FROM (SELECT *, signed_off_at + interval '1 day' * (1 + id % 20) + interval '3 hours' "
            "AS issued FROM assessments WHERE status = 'certified') a",
        )
        for table in ("centres", "standards", "users", "candidates", "assessments"):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    with (
        app.app_context(),
        db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
    ):
        _sql(connection, "VACUUM ANALYZE")


def counts(app) -> dict:
    from app.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        return {
            table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in ("centres", "users", "assessments", "certificates", "audit_events")
        }


def timed(function, runs: int) -> float:
    """The median of `runs` timings in milliseconds, after one warm-up call."""
    function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(app, args) -> list[tuple[str, float, int]]:
    from sqlalchemy import text

    from app.extensions import db
    from app.reports import services
    from app.reports.forms import default_range
    from app.reports.queries import utc_bounds
    from app.reports.rules import Filters, Scope

    with app.app_context():
        first, last = default_range(date.today())
        filters = Filters(first, last)
        start, _ = utc_bounds(filters)
        client = app.test_client()
        login = client.post(
            "/login", data={"email": "persona1@bench.example.mx", "password": benchlib.PASSWORD}
        )
        assert login.status_code == 302, "the bench administrator could not log in"

        def get(url, **query):
            response = client.get(url, query_string=query)
            assert response.status_code == 200, (url, response.status_code)
            return response

        def baseline():
            db.session.execute(
                text("SELECT count(*) FROM assessments WHERE signed_off_at >= :start"),
                {"start": start.replace(tzinfo=None)},
            ).scalar_one()
            db.session.rollback()

        def body_wide():
            services.summary_for(Scope(None), filters)
            db.session.rollback()

        def body_evaluators():
            services.evaluators_for(Scope(None), filters)
            db.session.rollback()

        year = date.today().year - 1
        results = [
            ("baseline: count(*) of the judgements of 12 months", timed(baseline, args.runs), 0),
            (
                "body-wide report (all centres, 12 months, charts)",
                timed(body_wide, args.runs),
                TARGET_MS,
            ),
            (
                "one centre's report page (GET /reports/)",
                timed(lambda: get("/reports/"), args.runs),
                TARGET_MS,
            ),
            (
                "evaluator statistics page, one centre (GET /reports/evaluators)",
                timed(lambda: get("/reports/evaluators"), args.runs),
                TARGET_MS,
            ),
            (
                "evaluator statistics, all centres (service)",
                timed(body_evaluators, args.runs),
                TARGET_MS,
            ),
            (
                f"XLSX export of {year}, one centre",
                timed(
                    lambda: get(
                        "/reports/export/xlsx",
                        date_from=f"{year}-01-01",
                        date_to=f"{year}-12-31",
                        grouping="evaluator",
                    ),
                    args.runs,
                ),
                EXPORT_TARGET_MS,
            ),
        ]
    return results


def main(argv=None):
    args = parse_args(argv)
    benchlib.ensure_postgres_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="avala-reports-") as instance:
        app = benchlib.make_app(
            args.database_url, Path(instance), WTF_CSRF_ENABLED=False, SESSION_COOKIE_SECURE=False
        )
        if not args.reuse:
            benchlib.prepare_schema(app, args.reset)
            started = time.monotonic()
            print("generating the data in PostgreSQL...", flush=True)
            generate(app, args)
            print(f"generated in {time.monotonic() - started:.0f} s")
        print("rows: " + ", ".join(f"{t} {n:,}" for t, n in counts(app).items()))
        results = measure(app, args)
    base = results[0][1]
    print(f"\nmedian of {args.runs} warm runs:")
    for name, ms, target in results:
        verdict = "" if not target else ("  pass" if ms < target else "  FAIL")
        goal = f"target < {target:,} ms" if target else ""
        print(f"  {name:<66} {ms:9.1f} ms  {ms / base:6.1f}x baseline  {goal}{verdict}")


if __name__ == "__main__":
    sys.exit(main())
