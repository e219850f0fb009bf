"""Fill a PostgreSQL database with N certificates for the verification-page benchmark.

The schema comes from the migrations; one centre, its staff, a published standard and one
approved assessment are made through the services, and N certificate rows reusing that chain
are streamed in with COPY. Each row has its own unguessable public id (128 random bits, as
services.new_public_id), a gap-free folio per year in the app's format, frozen facts that vary
(holder, masked CURP, dates, a few revoked and suspended), the canonical signed payload, a
signature-shaped value (a real Ed25519 signature with --sign), a random pdf_sha256 and a
pdf_path. No PDFs are written: the public page never reads them. The folio counters are set
past the last number, so issuing afterwards continues the sequence.

A random sample of the public ids is written to --ids-file for wrk (bench/verify.lua).

  createdb -h 127.0.0.1 -U postgres avala_verify
  .venv/bin/python bench/make_certificates.py -n 1000000 --reset \
      --database-url postgresql+psycopg://postgres@127.0.0.1:5432/avala_verify
"""

import argparse
import hashlib
import os
import random
import secrets
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchlib

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/avala_verify"
DEFAULT_IDS = benchlib.ROOT / "bench" / "out" / "public_ids.txt"
COLUMNS = (
    "folio",
    "public_id",
    "assessment_id",
    "candidate_id",
    "centre_id",
    "holder_name",
    "curp_masked",
    "standard_code",
    "standard_title",
    "standard_level",
    "centre_name",
    "body_name",
    "evaluator_name",
    "judged_on",
    "issued_at",
    "valid_until",
    "status",
    "status_reason",
    "public_reason",
    "public_note",
    "revoked_at",
    "design",
    "pdf_path",
    "pdf_sha256",
    "signed_payload",
    "signature",
    "key_id",
)
REVOKED_REASON = "Se detectó una irregularidad en el proceso de evaluación."
SUSPENDED_REASON = "Revisión administrativa en curso."
YEARS_OF_HISTORY = 5
CHUNK_ROWS = 20_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-n",
        "--count",
        type=int,
        default=1_000_000,
        help="certificates to insert (default 1,000,000)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help=f"PostgreSQL URL (default $BENCH_DATABASE_URL or {DEFAULT_URL})",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="drop and recreate schema public if the database has tables",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="do nothing if the database already holds exactly N certificates "
        "and the ids file exists",
    )
    parser.add_argument(
        "--ids-file",
        type=Path,
        default=DEFAULT_IDS,
        help=f"where to write sampled public ids (default {DEFAULT_IDS})",
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=100_000,
        help="how many random public ids to write (default 100,000)",
    )
    parser.add_argument(
        "--sign", action="store_true", help="sign every payload with a real Ed25519 key (slower)"
    )
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("the verification benchmark needs PostgreSQL")
    if args.count < 1:
        parser.error("-n must be positive")
    return args


def copy_text(value) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def existing_count(app) -> int | None:
    from sqlalchemy import inspect, text

    from app.extensions import db

    with app.app_context():
        if "certificates" not in inspect(db.engine).get_table_names():
            return None
        with db.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM certificates")).scalar_one()


def make_chain(app, count: int):
    """The centre, staff and standard every row points to, and `count` certified assessments
    (one approved through the services, copied in SQL), one per certificate: the database
    allows one live certificate per assessment."""
    from app.assessments.models import AssessmentStatus
    from app.extensions import db

    with app.app_context():
        world = benchlib.make_centre_and_staff()
        [assessment_id] = benchlib.make_approved_assessments(world, 1)
        from app.assessments.models import Assessment

        assessment = db.session.get(Assessment, assessment_id)
        assessment.status = AssessmentStatus.CERTIFIED
        chain = {
            "assessment_id": assessment.id,
            "candidate_id": assessment.candidate_id,
            "centre_id": assessment.centre_id,
            "centre_name": assessment.centre.name,
            "standard_code": assessment.standard.full_code,
            "standard_title": assessment.standard.title,
            "standard_level": assessment.standard.level,
            "validity_years": assessment.standard.validity_years,
            "evaluator_name": assessment.evaluator.full_name,
        }
        db.session.commit()
        chain["first_assessment_id"] = _copy_assessment(assessment_id, count)
        return chain


def _copy_assessment(assessment_id: int, count: int) -> int:
    """Insert `count` copies of the assessment, three hours apart (nobody is booked twice at
    once); return the first copy's id (the copies' ids run on from it)."""
    from sqlalchemy import text

    from app.extensions import db

    columns = [c.name for c in db.metadata.tables["assessments"].columns]
    copied = [c for c in columns if c not in ("id", "starts_at", "ends_at")]
    with db.engine.begin() as connection:
        first = connection.execute(text("SELECT max(id) + 1 FROM assessments")).scalar()
        connection.execute(
            text(
                f"INSERT INTO assessments (id, starts_at, ends_at, {', '.join(copied)}) "
                f"SELECT :first + k, a.starts_at + k * interval '3 hours', "
                f"a.ends_at + k * interval '3 hours', {', '.join('a.' + c for c in copied)} "
                "FROM assessments a, generate_series(0, :n - 1) k WHERE a.id = :id"
            ),
            {"first": first, "n": count, "id": assessment_id},
        )
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('assessments', 'id'), :last)"),
            {"last": first + count - 1},
        )
    return first


class RowMaker:
    """Certificate rows in COPY text format, spread evenly over the last five years."""

    def __init__(self, config, chain, count, sign):
        from app.accounts.curp import mask_curp
        from app.certificates import signing

        key_path = Path(config["SIGNING_KEY_PATH"])
        signing.create_signing_key(key_path)
        self.key = signing.load_signing_key(key_path) if sign else None
        self.key_id = signing.key_id(signing.load_signing_key(key_path).public_key())
        self.chain, self.count = chain, count
        self.body_code, self.body_name = (
            config["CERTIFYING_BODY_CODE"],
            config["CERTIFYING_BODY_NAME"],
        )
        self.base_url = config["PUBLIC_BASE_URL"].rstrip("/")
        pool = 10_007  # distinct holders, cycled through the rows
        self.holders = [
            (benchlib.person_name(n), mask_curp(benchlib.curp_for(n))) for n in range(pool)
        ]
        self.first_day = datetime.now(UTC).date() - timedelta(days=365 * YEARS_OF_HISTORY)
        self.span_days = 365 * YEARS_OF_HISTORY - 10
        self.last_numbers: dict[int, int] = {}

    def row(self, i: int) -> tuple[str, str]:
        """(public_id, COPY line) of the i-th certificate."""
        from app.certificates import rules, signing
        from app.dates import local_date, to_utc

        chain = self.chain
        holder_name, curp_masked = self.holders[i % len(self.holders)]
        judged_on = self.first_day + timedelta(days=i * self.span_days // self.count)
        issued_at = to_utc(
            datetime.combine(judged_on + timedelta(days=1 + i % 9), datetime.min.time())
            + timedelta(minutes=540 + i % 540)
        )
        issued_on = local_date(issued_at)
        year = issued_on.year
        number = self.last_numbers[year] = self.last_numbers.get(year, 0) + 1
        folio = rules.format_folio(self.body_code, chain["standard_code"], year, number)
        public_id = secrets.token_urlsafe(16)  # as services.new_public_id
        valid_until = rules.valid_until(judged_on, chain["validity_years"])
        payload = rules.canonical_json(
            {
                "folio": folio,
                "public_id": public_id,
                "holder_name": holder_name,
                "curp_masked": curp_masked,
                "standard_code": chain["standard_code"],
                "standard_title": chain["standard_title"],
                "standard_level": chain["standard_level"],
                "body_name": self.body_name,
                "centre_name": chain["centre_name"],
                "evaluator_name": chain["evaluator_name"],
                "judged_on": judged_on.isoformat(),
                "issued_on": issued_on.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
                "verification_url": f"{self.base_url}/v/{public_id}",
            }
        )
        # An Ed25519 signature is 64 bytes, 86 characters in base64url.
        signature = signing.sign(self.key, payload) if self.key else secrets.token_urlsafe(64)
        status, reason, public_reason, revoked_at = "valid", "", None, None
        if i % 100 == 7:
            status, reason, revoked_at = "revoked", REVOKED_REASON, issued_at + timedelta(days=30)
            public_reason = "body_decision"
        elif i % 100 == 13:
            status, reason, public_reason = "suspended", SUSPENDED_REASON, "under_review"
        fields = (
            folio,
            public_id,
            chain["first_assessment_id"] + i,
            chain["candidate_id"],
            chain["centre_id"],
            holder_name,
            curp_masked,
            chain["standard_code"],
            chain["standard_title"],
            chain["standard_level"],
            chain["centre_name"],
            self.body_name,
            chain["evaluator_name"],
            judged_on,
            _naive(issued_at),
            valid_until,
            status,
            reason,
            public_reason,
            "",
            _naive(revoked_at),
            "clasico-v1",
            f"{year}/{public_id}.pdf",
            hashlib.sha256(os.urandom(32)).hexdigest(),
            payload,
            signature,
            self.key_id,
        )
        return public_id, "\t".join(map(copy_text, fields))


def generate(app, chain, count, sample_size, sign) -> list[str]:
    """Stream `count` rows into certificates with one COPY; return a sample of their ids."""
    from app.certificates import rules
    from app.extensions import db

    sampled = set(random.sample(range(count), min(sample_size, count)))
    sample_ids, lines = [], []
    started = time.monotonic()
    columns = ", ".join(COLUMNS)
    with app.app_context():
        from app.certificates.keys import create_key

        create_key()  # the key file, registered, so its public half is published
        db.session.commit()
        maker = RowMaker(app.config, chain, count, sign)
        raw = db.engine.raw_connection()
        try:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY certificates ({columns}) FROM STDIN") as copy,
            ):
                for i in range(count):
                    public_id, line = maker.row(i)
                    lines.append(line)
                    if i in sampled:
                        sample_ids.append(public_id)
                    if len(lines) == CHUNK_ROWS or i == count - 1:
                        copy.write("\n".join(lines) + "\n")
                        lines.clear()
                        _progress(i + 1, count, started)
            with raw.cursor() as cursor:  # later issuance continues each year's sequence
                for year, number in maker.last_numbers.items():
                    cursor.execute(
                        "INSERT INTO folio_counters (scope, last_number) VALUES (%s, %s) "
                        "ON CONFLICT (scope) DO UPDATE SET last_number = "
                        "GREATEST(folio_counters.last_number, EXCLUDED.last_number)",
                        (rules.folio_scope(maker.body_code, year), number),
                    )
            raw.commit()
        finally:
            raw.close()
    print(f"\n  {count:,} rows in {time.monotonic() - started:.1f} s")
    return sample_ids


def _naive(moment: datetime | None):
    """UTCDateTime stores naive UTC."""
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _progress(done, count, started):
    elapsed = time.monotonic() - started
    print(f"  {done:,}/{count:,} rows, {done / elapsed:,.0f} rows/s", end="\r", flush=True)


def analyze(app) -> None:
    from sqlalchemy import text

    from app.extensions import db

    with (
        app.app_context(),
        db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
    ):
        connection.execute(text("VACUUM ANALYZE certificates"))
        size = connection.execute(
            text("SELECT pg_size_pretty(pg_total_relation_size('certificates'))")
        ).scalar_one()
    print(f"  certificates table with indexes: {size}")


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    benchlib.ensure_postgres_database(args.database_url)
    with tempfile.TemporaryDirectory(prefix="avala-certs-") as instance:
        app = benchlib.make_app(args.database_url, Path(instance))
        if args.reuse and args.ids_file.is_file() and existing_count(app) == args.count:
            print(f"reusing {args.count:,} certificates already in the database")
            return
        benchlib.prepare_schema(app, args.reset)
        chain = make_chain(app, args.count)
        print(f"inserting {args.count:,} certificates with COPY...", flush=True)
        sample_ids = generate(app, chain, args.count, args.sample, args.sign)
        analyze(app)
    random.shuffle(sample_ids)
    args.ids_file.parent.mkdir(parents=True, exist_ok=True)
    args.ids_file.write_text("\n".join(sample_ids) + "\n")
    print(f"  {len(sample_ids):,} random public ids in {args.ids_file}")
    print(f"done in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
