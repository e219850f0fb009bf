"""The catalogue: importing a CASE package of 50 standards with 2,000 items, and searching a
public catalogue of 5,000 published standards.

  import  bytes of a CFPackage -> read, check every field, refuse duplicates, create 50 drafts
          with their elements, criteria and items, commit (app/standards/importing.py);
  search  the public search (app/catalogue/queries.search_published) for codes, words,
          sector and level, as the query alone and as the whole page /catalogo/?… through
          the test client.

Baselines in the same run, to read the figures on a slow or fast day: `json.loads` +
`json.dumps` of the same package (import), and fetching one standard by primary key through
the same session (search). Examples:

  .venv/bin/python bench/catalogue.py                  # temporary SQLite
  .venv/bin/python bench/catalogue.py --reset \
      --database-url postgresql+psycopg://postgres@127.0.0.1:5432/avala_bench_catalogue

Targets (issue 12): import under 2 s; under 50 ms per search.
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import benchlib

TARGET_IMPORT_SECONDS = 2.0
TARGET_SEARCH_MS = 50.0
SECTORS = ["Educación y formación de personas", "Tecnologías de la información", "Turismo",
           "Construcción", "Salud", "Agricultura", "Comercio", "Transporte"]  # fmt: skip
WORDS = ["impartición", "cursos", "evaluación", "atención", "servicio", "mantenimiento",
         "instalación", "diseño", "operación", "supervisión", "elaboración", "gestión"]  # fmt: skip


def standard_document(n: int, elements: int, criteria: int) -> dict:
    kinds = ["performance", "product", "knowledge", "attitude"]
    title = f"{WORDS[n % len(WORDS)].capitalize()} de {WORDS[(n * 7 + 3) % len(WORDS)]} {n}"
    return {
        "code": f"EC{n:04d}", "version": "01", "title": title, "title_en": "",
        "purpose": "Referente para la evaluación y certificación.", "level": 1 + n % 5,
        "sector": SECTORS[n % len(SECTORS)], "validity_years": 3, "threshold_percent": 90,
        "approved_on": "2026-01-15", "dof_published_on": "2026-02-01",
        "elements": [
            {"title": f"Elemento {e} del estándar {n}",
             "criteria": [{"kind": kinds[c % 4], "text": f"Criterio {e}.{c} del estándar {n}"}
                          for c in range(1, criteria + 1)]}
            for e in range(1, elements + 1)
        ],
        "items": [
            {"criterion": f"{e}.{c}", "text": f"Reactivo {e}.{c}", "weight": 1 + c % 3,
             "critical": c == 1}
            for e in range(1, elements + 1) for c in range(1, criteria + 1)
        ],
    }  # fmt: skip


def bench_import(app, admin_id: int, first: int) -> dict:
    from app.accounts.models import User
    from app.extensions import db
    from app.standards import case, importing

    document = {"format": "avala-standards", "format_version": 1,
                "standards": [standard_document(first + n, 4, 10) for n in range(50)]}  # fmt: skip
    package = case.to_case(document, creator="CONALEP", base_url="https://avala.example.mx",
                           changed_at="2026-11-26T12:00:00+00:00")  # fmt: skip
    data = json.dumps(package, ensure_ascii=False).encode()
    items = sum(len(r["CFRubricCriteria"]) for r in package["CFRubrics"])
    started = time.perf_counter()
    json.dumps(json.loads(data))
    baseline = time.perf_counter() - started
    with app.app_context():
        admin = db.session.get(User, admin_id)
        started = time.perf_counter()
        parsed, where = importing.read_file(data, "case")
        checked = time.perf_counter()
        created = importing.import_standards(admin, parsed, where)
        db.session.commit()
        finished = time.perf_counter()
    return {
        "bytes": len(data), "standards": len(created), "items": items,
        "read_and_check_s": checked - started, "write_s": finished - checked,
        "total_s": finished - started, "baseline_s": baseline,
    }  # fmt: skip


def fill_catalogue(app, admin_id: int, count: int) -> None:
    """`count` published standards (one element, two criteria, two items each)."""
    from sqlalchemy import update

    from app.accounts.models import User
    from app.extensions import db
    from app.standards import importing
    from app.standards.models import Standard, StandardStatus

    with app.app_context():
        for start in range(0, count, 500):
            numbers = range(1000 + start, 1000 + min(start + 500, count))
            document = {"standards": [standard_document(n, 1, 2) for n in numbers]}
            importing.import_standards(db.session.get(User, admin_id), document)
            db.session.commit()
            db.session.expunge_all()
        db.session.execute(update(Standard).values(status=StandardStatus.PUBLISHED))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # as autovacuum would, after a bulk load
            from sqlalchemy import text

            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("ANALYZE standards")
                )


SEARCHES = [
    ("code", {"q": "EC1234"}),
    ("code prefix", {"q": "EC12"}),
    ("one word", {"q": "cursos"}),
    ("two words, no accents", {"q": "imparticion atencion"}),
    ("word + level", {"q": "diseño", "level": "3"}),
    ("sector", {"sector": "Turismo"}),
    ("sector + level + word", {"sector": "Salud", "level": "2", "q": "gestion"}),
    ("no match", {"q": "astronáutica"}),
]


def bench_search(app, rounds: int) -> tuple[list, float]:
    from app.catalogue.queries import search_published
    from app.extensions import db
    from app.standards.models import Standard

    results = []
    with app.app_context():
        any_id = db.session.query(Standard.id).limit(1).scalar()
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            db.session.get(Standard, any_id)
            samples.append(time.perf_counter() - started)
            db.session.expunge_all()
        baseline_ms = statistics.median(samples) * 1000
        client = app.test_client()
        for name, args in SEARCHES:
            query_samples, page_samples, found = [], [], 0
            level = int(args["level"]) if "level" in args else None
            for _ in range(rounds):
                started = time.perf_counter()
                page = search_published(args.get("q", ""), args.get("sector", ""), level)
                query_samples.append(time.perf_counter() - started)
                found = len(page.standards)
                db.session.expunge_all()
                started = time.perf_counter()
                response = client.get("/catalogo/", query_string=args)
                page_samples.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            results.append((name, found, statistics.median(query_samples) * 1000,
                            max(query_samples) * 1000, statistics.median(page_samples) * 1000,
                            max(page_samples) * 1000))  # fmt: skip
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text

            plan = db.session.execute(text(
                "EXPLAIN SELECT id FROM standards WHERE status = 'published' "
                "AND search_text LIKE '%' || 'imparticion' || '%' ORDER BY code, version LIMIT 26"
            )).scalars().all()  # fmt: skip
            print("PostgreSQL plan of a word search:\n  " + "\n  ".join(plan))
    return results, baseline_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--catalogue-size", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="avala-bench-catalogue-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    if url.startswith("postgresql"):
        benchlib.ensure_postgres_database(url)
    app = benchlib.make_app(url, workdir / "instance")
    benchlib.prepare_schema(app, args.reset)
    with app.app_context():
        world = benchlib.make_centre_and_staff()
        admin_id = world.admin.id
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")

    figures = bench_import(app, admin_id, first=8000)
    ok = "pass" if figures["total_s"] < TARGET_IMPORT_SECONDS else "FAIL"
    print(
        f"import of a CASE package ({figures['bytes'] / 1e6:.1f} MB, {figures['standards']} "
        f"standards, {figures['items']} items): {figures['total_s']:.2f} s "
        f"(read and check {figures['read_and_check_s']:.2f} s, write and commit "
        f"{figures['write_s']:.2f} s); target < {TARGET_IMPORT_SECONDS:.0f} s: {ok}; "
        f"{figures['total_s'] / figures['baseline_s']:.0f}x json.loads+dumps of the same bytes "
        f"({figures['baseline_s'] * 1000:.0f} ms)"
    )

    started = time.perf_counter()
    fill_catalogue(app, admin_id, args.catalogue_size)
    print(f"catalogue of {args.catalogue_size} published standards built in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    results, baseline_ms = bench_search(app, args.rounds)
    print(f"search ({args.rounds} rounds each; baseline: one standard by primary key "
          f"{baseline_ms:.2f} ms); target < {TARGET_SEARCH_MS:.0f} ms per search")  # fmt: skip
    print(
        f"  {'search':<24} {'found':>5} {'query ms (median/max)':>22} {'page ms (median/max)':>22}"
    )
    for name, found, q_med, q_max, p_med, p_max in results:
        ok = "pass" if p_med < TARGET_SEARCH_MS else "FAIL"
        figures = f"{q_med:>10.2f} / {q_max:<9.2f} {p_med:>10.2f} / {p_max:<9.2f}"
        print(f"  {name:<24} {found:>5} {figures} {ok}"
              f"  ({p_med / baseline_ms:.0f}x baseline)")  # fmt: skip


if __name__ == "__main__":
    main()
