"""Shared set-up for the benchmarks in bench/: an Avala app on a chosen database, its schema,
and approved assessments built through the services (as real use would build them).

Not a test module and not part of the app. Run the scripts from the repository root with the
project's virtualenv, e.g. `.venv/bin/python bench/issue.py`.
"""

import contextlib
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GIVEN_NAMES = [
    "María José",
    "Juan Pablo",
    "Guadalupe",
    "José Luis",
    "Ana Sofía",
    "Luis Ángel",
    "Ximena",
    "Jesús Iñaki",
    "Fernanda",
    "Óscar",
    "Valeria",
    "Héctor Raúl",
    "Lucía",
    "Martín",
    "Itzel",
    "Ramón",
]
SURNAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Núñez",
    "Ávila",
    "Ibáñez",
    "Gómez",
    "Díaz",
    "Vázquez",
    "Peña",
    "Ochoa",
    "Muñoz",
    "Salinas",
]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PASSWORD = "bench-password-not-secret"


def person_name(n: int) -> str:
    given = GIVEN_NAMES[n % len(GIVEN_NAMES)]
    first = SURNAMES[(n // len(GIVEN_NAMES)) % len(SURNAMES)]
    second = SURNAMES[(n * 7 + 3) % len(SURNAMES)]
    return f"{given} {first} {second}"


def curp_for(n: int) -> str:
    """A CURP that passes the app's validation (python-stdnum), different for each n < 26**4."""
    from stdnum.mx import curp as stdnum_curp

    while True:
        letters = "".join(LETTERS[(n // 26**k) % 26] for k in (3, 2, 1, 0))
        year, month, day = 60 + n % 40, 1 + n % 12, 1 + n % 28
        base = f"{letters}{year:02d}{month:02d}{day:02d}{'HM'[n % 2]}DFRRN0"
        curp = base + stdnum_curp.calc_check_digit(base + "0")
        if stdnum_curp.is_valid(curp):
            return curp
        n += 26**4 // 2  # a blacklisted word: try another letter combination


def make_app(database_url: str, instance: Path, **overrides):
    """An Avala app with production-like settings (no DEBUG, no TESTING) on `database_url`.

    Rate limiting is off and password hashing is cheap (only the set-up creates logins); the
    instance folder (PDFs, signing key, Huey's queue file) is `instance`.
    """
    instance = Path(instance)
    instance.mkdir(parents=True, exist_ok=True)
    # config.py reads AVALA_INSTANCE_DIR when first imported (app.tasks puts huey.db there).
    os.environ.setdefault("AVALA_INSTANCE_DIR", str(instance))
    from app import create_app
    from config import Config

    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": instance,
        "STORAGE_URL": str(instance),
        "SIGNING_KEY_PATH": instance / "signing_key.pem",
        "PUBLIC_BASE_URL": "https://avala.example.mx",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_ENABLED": False,
    }
    if database_url.startswith("sqlite"):
        # Concurrent writers wait for SQLite's lock (up to 30 s) instead of failing at once.
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"timeout": 30},
        }
    settings.update(overrides)
    return create_app(Config, settings)


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database of `url` if it does not exist yet (like createdb)."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params = {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
        ).fetchone()
        if not exists:
            print(f"creating database {parsed.database}")
            connection.execute(f'CREATE DATABASE "{parsed.database}"')


def prepare_schema(app, reset: bool) -> None:
    """Run the migrations. A PostgreSQL database that already has tables is wiped only with
    `reset` (DROP SCHEMA public CASCADE), so a benchmark never destroys data by accident."""
    from flask_migrate import upgrade
    from sqlalchemy import inspect, text

    from app.extensions import db

    with app.app_context():
        tables = inspect(db.engine).get_table_names()
        if tables and db.engine.dialect.name == "postgresql":
            if not reset:
                raise SystemExit(
                    f"{db.engine.url.render_as_string()} already has tables "
                    f"({len(tables)}); pass --reset to drop schema public first."
                )
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


def app_with_schema_and_key(database_url: str | None, instance: Path, reset: bool):
    """The set-up every issuing benchmark starts with: the database (a new SQLite file in
    `instance` unless a URL is given; a PostgreSQL one created if missing), its schema, and the
    body's signing key made and registered. Returns the URL and the app."""
    from app.certificates.keys import create_key
    from app.extensions import db

    database_url = database_url or f"sqlite:///{instance / 'bench.db'}"
    if database_url.startswith("postgresql"):
        ensure_postgres_database(database_url)
    app = make_app(database_url, instance)
    prepare_schema(app, reset)
    with app.app_context():
        create_key()
        db.session.commit()
    return database_url, app


def make_centre_and_staff():
    """One centre with its administrator, evaluator and reviewer, and a published standard
    the evaluator is accredited for (ten years, so any number of sessions fits)."""
    from app.accounts.roles import Role
    from app.extensions import db
    from tests import factories

    centre = factories.make_centre("CONALEP Plantel Azcapotzalco")
    admin = factories.make_user(centre, Role.ADMIN, "Patricia Gómez Salinas")
    evaluator = factories.make_user(centre, Role.EVALUATOR, "Laura Méndez Ochoa")
    reviewer = factories.make_user(centre, Role.REVIEWER, "Jorge Ibáñez Peña")
    standard = factories.make_standard(admin, code="EC0217")
    factories.accredit(evaluator, standard, days_before=30, days_after=3650)
    db.session.commit()
    return factories.World(centre, admin, evaluator, reviewer, None, None, standard)


def make_approved_assessments(world, count: int, progress=None) -> list[int]:
    """`count` approved Competente assessments, one new candidate each, in 3-hour slots."""
    from app.accounts.services import register_candidate
    from app.extensions import db

    ids = []
    for n in range(count):
        candidate = register_candidate(
            actor=world.admin,
            email=f"candidato{n}@example.com",
            full_name=person_name(n),
            curp=curp_for(n),
            password=PASSWORD,
            is_publicly_listed=n % 3 != 0,
        )
        ids.append(world.approved(candidate, hours_from_now=1 + 3 * n).id)
        if n % 50 == 49:
            db.session.commit()
            if progress:
                progress(n + 1)
    db.session.commit()
    return ids


def _cpu_times() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def busy_fraction(seconds: float = 1.0) -> float | None:
    """How busy the whole machine's CPUs were over `seconds` (Linux); None if unknown."""
    import time

    try:
        busy_before, total_before = _cpu_times()
        time.sleep(seconds)
        busy_after, total_after = _cpu_times()
    except (OSError, ValueError, IndexError):
        return None
    return (busy_after - busy_before) / max(1, total_after - total_before)


def warn_if_busy() -> None:
    """Benchmarks on a shared machine measure the neighbours too: say so before starting."""
    busy = busy_fraction()
    if busy is not None and busy > 0.15:
        print(
            f"WARNING: the CPUs are already {busy:.0%} busy before the benchmark starts; "
            "the figures will be low and noisy. See `top`.",
            flush=True,
        )


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in ("weasyprint", "flask", "sqlalchemy", "psycopg", "gunicorn"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__" and sys.argv[1:] == ["warn-if-busy"]:
    warn_if_busy()
