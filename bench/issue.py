"""Certificate issuance throughput: the app end to end next to a bare WeasyPrint render.

Builds N approved Competente assessments per worker count through the services, then, in the
same run and on the same design:

  bare      render_certificate(design, context) alone: template, QR code, WeasyPrint PDF;
  paired    issue_certificate() + commit, every other certificate without the PDF's PAdES
            signature (pdf_signing.sign_certificate_pdf then returns the PDF unchanged, in that
            worker process only): with and without signing measured side by side, under the
            same load, whatever else the machine is doing;
  app       issue_certificate() + commit: eligibility, folio number, signed facts, QR, PDF,
            PAdES signature of the PDF, atomic write with fsync, certificate row and audit
            event, commit.

Each worker is its own process with its own app (as gunicorn and Huey workers are), warmed up
with one untimed certificate (or render) before a shared start signal. Examples:

  .venv/bin/python bench/issue.py                      # N=200, 1 and 2 workers, temp SQLite
  .venv/bin/python bench/issue.py -n 300 --reset \
      --database-url postgresql+psycopg://postgres@127.0.0.1:5432/avala_bench

A PostgreSQL database is created if missing; --reset drops its schema public first (needed
when it has tables). Issued PDFs go to a temporary folder unless --instance-dir is given.

Targets (issue): >= 20 certificates/s with two workers; app cost per certificate within 1.3x
of the bare render; the PDF signature costs at most 10 % of issuance, shown two ways: paired,
the median over pairs of a signed certificate / the unsigned one issued right after it
(<= 1.1x), and in the app round, the time inside the signature over the rest of the same
certificates' issuance (<= 10 %).
"""

import argparse
import contextlib
import json
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import benchlib

TARGET_RATE = 20.0  # certificates per second with two workers
TARGET_RATIO = 1.3  # app ms/cert over bare render ms/cert
TARGET_SIGNING = 1.1  # signed over unsigned ms/cert (paired): the PDF signature costs <= 10 %
KINDS = ("bare", "paired", "app")
PHASES = ("load", "folio", "render", "sign", "store", "commit", "other")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-n",
        "--count",
        type=int,
        default=200,
        help="certificates per measurement, split between the workers (default 200)",
    )
    parser.add_argument(
        "--workers", default="1,2", help="comma-separated worker counts to measure (default 1,2)"
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL; default a new SQLite file in a temp folder. "
        "A PostgreSQL database with tables needs --reset.",
    )
    parser.add_argument(
        "--reset",
        action="store_true",
        help="drop and recreate schema public of the PostgreSQL database",
    )
    parser.add_argument(
        "--instance-dir", help="where PDFs and the signing key go (default a temp folder)"
    )
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    args.workers = [int(w) for w in args.workers.split(",") if w.strip()]
    if args.count < 1 or not args.workers or min(args.workers) < 1:
        parser.error("-n and --workers must be positive")
    return args


# --- inside a worker process ----------------------------------------------------------------


class PhaseClock:
    """Wraps the steps of _issue so each certificate's time can be split; no behaviour change."""

    def __init__(self):
        self.current: dict[str, float] = {}

    def wrap(self, module, name: str, phase: str):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                self.current[phase] = self.current.get(phase, 0.0) + elapsed
                if phase == "folio":
                    self.current["folio_done_at"] = time.perf_counter()

        setattr(module, name, timed)


def _context_for(assessment):
    """The printable context _issue would render for this assessment (private helpers on
    purpose: the bare render must render exactly what the app renders)."""
    from flask import current_app

    from app.certificates import rules, services
    from app.dates import local_date, today

    folio = rules.format_folio(
        current_app.config["CERTIFYING_BODY_CODE"], assessment.standard.full_code, today().year, 0
    )
    facts = services._facts(
        assessment, folio, services.new_public_id(), local_date(assessment.signed_off_at)
    )
    return services._printable(facts, assessment.centre)


def _vary(context: dict, n: int) -> dict:
    """A new folio, public id and so QR code per render, as each issued certificate has."""
    from app.certificates import issuer, services

    public_id = services.new_public_id()
    folio = f"{context['folio'].rsplit('-', 1)[0]}-{n:06d}"
    return {
        **context,
        "folio": folio,
        "public_id": public_id,
        "verification_url": issuer.verification_url(public_id),
    }


def worker(kind, index, database_url, instance, admin_id, warmup_id, ids, barrier, results):
    """kind 'bare' renders len(ids) PDFs; kinds 'app' and 'paired' issue a certificate for
    each id, 'paired' every other one without the PDF's PAdES signature."""
    try:
        born = time.monotonic()
        app = benchlib.make_app(database_url, Path(instance))
        from app.accounts.models import User
        from app.assessments.models import Assessment
        from app.certificates import designs, rendering, services
        from app.extensions import db

        with app.app_context():
            admin = db.session.get(User, admin_id)
            first = db.session.get(Assessment, warmup_id)
            root = designs.design_dir(
                services.design_for(first), app.config["CERTIFICATE_DESIGNS_DIR"]
            )
            times, phases, signed, own_transaction = [], [], [], False
            if kind == "bare":
                render = rendering.render_certificate
                context = _context_for(first)
                render(root, _vary(context, 0))  # warm-up: fonts, stylesheet, first layout
                cold = time.monotonic() - born
                barrier.wait()
                started = time.monotonic()
                for n in range(1, len(ids) + 1):
                    t = time.perf_counter()
                    render(root, _vary(context, n))
                    times.append(time.perf_counter() - t)
                finished = time.monotonic()
            else:
                from app.certificates import numbering, pdf_signing

                signing = {"on": True}
                if kind == "paired":
                    real_sign = pdf_signing.sign_certificate_pdf
                    pdf_signing.sign_certificate_pdf = lambda pdf, key, body_name: (
                        real_sign(pdf, key, body_name) if signing["on"] else pdf
                    )
                own_transaction = getattr(
                    numbering, "takes_number_in_own_transaction", lambda: False
                )()
                clock = PhaseClock()
                clock.wrap(numbering, "next_folio_number", "folio")
                clock.wrap(rendering, "render_certificate", "render")
                clock.wrap(pdf_signing, "sign_certificate_pdf", "sign")
                clock.wrap(services.files, "store_pdf", "store")
                services.issue_certificate(admin, first)  # warm-up certificate, not timed
                db.session.commit()
                cold = time.monotonic() - born
                barrier.wait()
                started = time.monotonic()
                for n, assessment_id in enumerate(ids):
                    signing["on"] = kind == "app" or n % 2 == 0
                    signed.append(signing["on"])
                    clock.current = {}
                    t = time.perf_counter()
                    assessment = db.session.get(Assessment, assessment_id)
                    actor = db.session.get(User, admin_id)
                    clock.current["load"] = time.perf_counter() - t
                    services.issue_certificate(actor, assessment)
                    before_commit = time.perf_counter()
                    db.session.commit()
                    done = time.perf_counter()
                    clock.current["commit"] = done - before_commit
                    total = done - t
                    named = sum(clock.current.get(p, 0.0) for p in PHASES[:-1])
                    clock.current["other"] = total - named
                    folio_done = clock.current.pop("folio_done_at", t)
                    # The part of this certificate no other issuer can overlap with: the folio's
                    # own transaction, or (folio taken in the caller's transaction, as on
                    # SQLite) everything from the folio to the end of COMMIT.
                    clock.current["serial"] = (
                        clock.current.get("folio", 0.0) if own_transaction else done - folio_done
                    )
                    times.append(total)
                    phases.append(dict(clock.current))
                finished = time.monotonic()
            db.session.remove()
            db.engine.dispose()
        results.put(
            {
                "index": index,
                "kind": kind,
                "times": times,
                "phases": phases,
                "signed": signed,
                "started": started,
                "finished": finished,
                "cold": cold,
                "folio_own_transaction": kind != "bare" and own_transaction,
            }
        )
    except BaseException:  # report to the parent instead of leaving it waiting
        barrier.abort()
        results.put({"index": index, "kind": kind, "error": traceback.format_exc()})


# --- in the parent --------------------------------------------------------------------------


def run_round(kind, workers, database_url, instance, admin_id, warmups, slices):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(workers + 1), ctx.Queue()
    processes = [
        ctx.Process(
            target=worker,
            args=(
                kind,
                i,
                database_url,
                str(instance),
                admin_id,
                warmups[i],
                slices[i],
                barrier,
                results,
            ),
        )
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    # A worker that fails before the start breaks the barrier; its report follows.
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=600)
    reports = [_next_report(results, processes) for _ in processes]
    for process in processes:
        process.join()
    failed = [r for r in reports if "error" in r]
    if failed:
        sys.exit(f"{kind} worker {failed[0]['index']} failed:\n{failed[0]['error']}")
    wall = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    times = [t for r in reports for t in r["times"]]
    signed = [flag for r in reports for flag in r["signed"]]
    paired = {}
    if kind == "paired":
        paired = {
            "ms_signed": 1000
            * statistics.fmean(t for t, f in zip(times, signed, strict=True) if f),
            "ms_unsigned": 1000
            * statistics.fmean(t for t, f in zip(times, signed, strict=True) if not f),
            # Each signed certificate over the unsigned one its worker issued right after it:
            # the two saw nearly the same load, so the median of these ratios is the steadiest
            # figure on a busy machine.
            "pair_ratio_median": statistics.median(
                r["times"][i] / r["times"][i + 1]
                for r in reports
                for i in range(0, len(r["times"]) - 1, 2)
            ),
        }
    phases = [p for r in reports for p in r["phases"]]
    return {
        "kind": kind,
        "workers": workers,
        "certificates": len(times),
        "wall_s": wall,
        "per_second": len(times) / wall,
        "ms_mean": 1000 * statistics.fmean(times),
        "ms_median": 1000 * statistics.median(times),
        "ms_p95": 1000 * quantile(times, 0.95),
        "cold_start_s": max(r["cold"] for r in reports),
        "folio_own_transaction": any(r["folio_own_transaction"] for r in reports),
        **paired,
        "phases_ms": {
            name: 1000 * statistics.fmean(p.get(name, 0.0) for p in phases)
            for name in (*PHASES, "serial")
        }
        if phases
        else {},
    }


def _next_report(results, processes):
    """The next worker report; gives up if a worker died without sending one."""
    import queue

    while True:
        try:
            return results.get(timeout=5)
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                sys.exit("a worker process died; see its output above")


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def setup(args, instance: Path):
    """Schema, signing key, staff, and every assessment the rounds will certify."""
    from app.certificates.rendering import has_fast_font_subsetting
    from app.extensions import db

    database_url, app = benchlib.app_with_schema_and_key(args.database_url, instance, args.reset)
    # + one warm-up per worker; the two issuing kinds each need their own assessments
    needed = sum(2 * (args.count + w) for w in args.workers)
    started = time.monotonic()
    with app.app_context():
        dialect = db.engine.dialect.name
        server = db.session.connection().connection.dbapi_connection
        server_version = (
            f"PostgreSQL {server.info.server_version // 10000}.{server.info.server_version % 10000}"
            if dialect == "postgresql"
            else f"SQLite {sqlite3.sqlite_version}"
        )
        world = benchlib.make_centre_and_staff()
        admin_id = world.admin.id
        print(f"setting up {needed} approved assessments through the services...", flush=True)
        ids = benchlib.make_approved_assessments(
            world, needed, progress=lambda n: print(f"  {n}/{needed}", end="\r", flush=True)
        )
        db.session.remove()
        db.engine.dispose()
    print(f"  done in {time.monotonic() - started:.1f} s" + " " * 20)
    info = {
        "database": server_version,
        "database_url": _redact(database_url),
        "harfbuzz_subset": has_fast_font_subsetting(),
        "cpus": os.cpu_count(),
        "cpu": benchlib.cpu_model(),
        "versions": benchlib.versions(),
        "count": args.count,
        "design": app.config["CERTIFICATE_DESIGN"],
    }
    return database_url, admin_id, ids, info


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def split(ids: list[int], workers: int) -> list[list[int]]:
    return [ids[i::workers] for i in range(workers)]


def main(argv=None):
    args = parse_args(argv)
    benchlib.warn_if_busy()
    with tempfile.TemporaryDirectory(prefix="avala-bench-") as temporary:
        instance = Path(args.instance_dir or temporary)
        database_url, admin_id, ids, info = setup(args, instance)
        print(
            f"database {info['database']}, design {info['design']}, "
            f"HarfBuzz subsetting: {'yes' if info['harfbuzz_subset'] else 'NO'}, "
            f"{info['cpus']} CPUs, weasyprint {info['versions'].get('weasyprint')}"
        )
        rounds = []
        for workers in args.workers:
            for kind in KINDS:
                # Each issuing round certifies assessments of its own; the bare round only
                # reads the next ones (it certifies nothing).
                warmups, batch = ids[:workers], ids[workers : workers + args.count]
                if kind != "bare":
                    ids = ids[workers + args.count :]
                print(
                    f"timing {kind:8} with {workers} worker(s), {args.count} "
                    f"{'renders' if kind == 'bare' else 'certificates'}...",
                    flush=True,
                )
                rounds.append(
                    run_round(
                        kind,
                        workers,
                        database_url,
                        instance,
                        admin_id,
                        warmups,
                        split(batch, workers),
                    )
                )
        report(rounds, info)
        if args.json:
            Path(args.json).write_text(json.dumps({"info": info, "rounds": rounds}, indent=2))


def report(rounds, info):
    by = {(r["kind"], r["workers"]): r for r in rounds}
    print()
    print(
        f"Issuance benchmark: N={info['count']} per row, {info['database']}, "
        f"{info['cpus']} CPUs ({info['cpu']})"
    )
    print(
        f"{'workers':>7} | {'bare ms/cert':>12} | {'bare cert/s':>11} | {'app ms/cert':>11} | "
        f"{'app p50 ms':>10} | {'app p95 ms':>10} | {'app cert/s':>10} | {'app/bare':>8}"
    )
    for workers in sorted({r["workers"] for r in rounds}):
        bare, app = by[("bare", workers)], by[("app", workers)]
        print(
            f"{workers:>7} | {bare['ms_mean']:>12.1f} | {bare['per_second']:>11.1f} | "
            f"{app['ms_mean']:>11.1f} | {app['ms_median']:>10.1f} | {app['ms_p95']:>10.1f} | "
            f"{app['per_second']:>10.1f} | {app['ms_mean'] / bare['ms_mean']:>7.2f}x"
        )
    print(
        "(ms/cert: mean wall time of one certificate inside one worker; cert/s: all workers "
        "together, first start to last finish)"
    )
    print()
    print("Issuance with and without the PDF's PAdES signature (paired: alternate certificates):")
    print(
        f"{'workers':>7} | {'unsigned ms/cert':>16} | {'signed ms/cert':>14} | "
        f"{'signed/unsigned':>15} | {'pair median':>11} | {'app sign ms':>11} | "
        f"{'sign share':>10}"
    )
    for workers in sorted({r["workers"] for r in rounds}):
        paired, app = by[("paired", workers)], by[("app", workers)]
        sign = app["phases_ms"]["sign"]
        print(
            f"{workers:>7} | {paired['ms_unsigned']:>16.1f} | {paired['ms_signed']:>14.1f} | "
            f"{paired['ms_signed'] / paired['ms_unsigned']:>14.3f}x | "
            f"{paired['pair_ratio_median']:>10.3f}x | {sign:>11.1f} | "
            f"{sign / (app['ms_mean'] - sign):>10.1%}"
        )
    print(
        "(paired: one round whose certificates alternate, signed and not, so both see the same\n"
        " load; pair median: median over each signed certificate / the unsigned one issued next;\n"
        " app sign ms: mean time inside pdf_signing.sign_certificate_pdf in the app round;\n"
        " sign share: that time over the rest of the same certificates' issuance)"
    )
    print()
    print("Where an issued certificate's time goes (mean ms per certificate):")
    print(
        f"{'kind':>4} | {'workers':>7} | " + " | ".join(f"{p:>7}" for p in PHASES) + " | serial | "
        "serial-bound cert/s"
    )
    for kind, workers in sorted(((k, w) for k, w in by if k == "app"), key=lambda kw: kw[1]):
        phases = by[(kind, workers)]["phases_ms"]
        print(
            f"{kind:>4} | {workers:>7} | "
            + " | ".join(f"{phases[p]:>7.1f}" for p in PHASES)
            + f" | {phases['serial']:>6.1f} | {1000 / phases['serial']:>19.1f}"
        )
    own = any(r.get("folio_own_transaction") for r in rounds)
    serial = (
        "the folio's own short transaction"
        if own
        else "from the folio to the end of COMMIT (folio taken in the issuing transaction)"
    )
    print(
        "(load: assessment and actor; folio: next_folio_number, with any wait for the counter's "
        "lock;\n render: render_certificate; sign: the PDF's PAdES signature; store: "
        "starting the write;\n commit: its wait and COMMIT; other: eligibility, facts, "
        "signature of the facts,\n certificate row, audit event, flush.\n serial: "
        f"the part no other issuer can overlap: {serial};\n 1000 / serial is the ceiling for "
        "any number of workers)"
    )
    cold = max(r["cold_start_s"] for r in rounds)
    print(
        f"fresh worker process until its first PDF (create_app + first render): up to {cold:.2f} s"
    )
    print()
    two = by.get(("app", 2))
    if two:
        rate = two["per_second"]
        print(
            f"target >= {TARGET_RATE:.0f} certificates/s with 2 workers: {rate:.1f}/s  "
            f"{'PASS' if rate >= TARGET_RATE else 'FAIL'}"
        )
    for workers in sorted({r["workers"] for r in rounds}):
        ratio = by[("app", workers)]["ms_mean"] / by[("bare", workers)]["ms_mean"]
        print(
            f"target app ms/cert <= {TARGET_RATIO}x bare render ({workers} worker(s)): "
            f"{ratio:.2f}x  {'PASS' if ratio <= TARGET_RATIO else 'FAIL'}"
        )
    for workers in sorted({r["workers"] for r in rounds}):
        paired = by[("paired", workers)]
        ratio = paired["pair_ratio_median"]
        print(
            f"target PDF signature <= {TARGET_SIGNING - 1:.0%} of issuance, signed / unsigned "
            f"certificate, median of pairs ({workers} worker(s)): {ratio:.3f}x  "
            f"{'PASS' if ratio <= TARGET_SIGNING else 'FAIL'}"
        )
        app = by[("app", workers)]
        share = app["phases_ms"]["sign"] / (app["ms_mean"] - app["phases_ms"]["sign"])
        print(
            f"target PDF signature <= {TARGET_SIGNING - 1:.0%} of issuance, time signing over "
            f"the rest of the same certificates ({workers} worker(s)): {share:.1%}  "
            f"{'PASS' if share <= TARGET_SIGNING - 1 else 'FAIL'}"
        )


if __name__ == "__main__":
    main()
