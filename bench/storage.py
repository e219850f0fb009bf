"""Issuance throughput with issued PDFs on the local disk and on an S3-compatible store.

In one run, on one database and with the same number of worker processes (each its own app, as
gunicorn and Huey workers are), certificates are issued end to end (issue_certificate + commit)
with STORAGE_URL on a local folder and then on S3: moto's standalone server started for the
run on 127.0.0.1 (tests/s3_server.py), spoken to over real HTTP by boto3. Rounds alternate
(local, s3, local, s3, ...) so that a neighbour's load falls on both. Examples:

  .venv/bin/python bench/storage.py                    # N=100 per round, 2 workers, 2 rounds each
  .venv/bin/python bench/storage.py -n 200 --rounds 3 --reset \\
      --database-url postgresql+psycopg://postgres@127.0.0.1:5432/avala_bench

Target: the object store costs at most 10 % of the local-disk rate (s3 cert/s >= 0.9 x local
cert/s, best round of each). Also printed: the mean time of one PDF's write alone (local:
write + fsync + rename; s3: one PUT, both on a writer thread), how much of it the commit still
waited for, and the CPU the moto server used, so
that a slow figure can be told apart from a slow server: moto is a Python test server, not a
production object store.
"""

import argparse
import contextlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

import benchlib

TARGET_SHARE = 0.90  # s3 cert/s over local cert/s
BUCKET = "avala-bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=100, help="certificates per round")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per store (default 2)")
    parser.add_argument("--database-url", help="SQLAlchemy URL; default a temp SQLite file")
    parser.add_argument("--reset", action="store_true", help="drop schema public (PostgreSQL)")
    args = parser.parse_args(argv)
    if min(args.count, args.workers, args.rounds) < 1:
        parser.error("-n, --workers and --rounds must be positive")
    return args


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- inside a worker process ----------------------------------------------------------------


def worker(index, database_url, instance, storage, admin_id, warmup_id, ids, barrier, results):
    try:
        app = benchlib.make_app(database_url, Path(instance), **storage)
        from app import storage as storage_module
        from app.accounts.models import User
        from app.assessments.models import Assessment
        from app.certificates import services
        from app.extensions import db

        write_times, wait_times = [], []

        def timed(function, times):
            def wrapper(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    times.append(time.perf_counter() - started)

            return wrapper

        # The write itself (on a writer thread) and the part of it the commit waited for.
        storage_module.wait_for_files = timed(storage_module.wait_for_files, wait_times)
        with app.app_context():
            store = storage_module.current_storage()
            store.put = timed(store.put, write_times)
            admin = db.session.get(User, admin_id)
            services.issue_certificate(admin, db.session.get(Assessment, warmup_id))  # warm-up
            db.session.commit()
            write_times.clear()
            wait_times.clear()
            barrier.wait()
            started = time.monotonic()
            for assessment_id in ids:
                actor = db.session.get(User, admin_id)
                services.issue_certificate(actor, db.session.get(Assessment, assessment_id))
                db.session.commit()
            finished = time.monotonic()
            db.session.remove()
            db.engine.dispose()
        results.put(
            {
                "index": index,
                "count": len(ids),
                "started": started,
                "finished": finished,
                "write": write_times,
                "wait": wait_times,
            }
        )
    except BaseException:
        barrier.abort()
        results.put({"index": index, "error": traceback.format_exc()})


# --- in the parent --------------------------------------------------------------------------


def run_round(name, storage, args, database_url, instance, admin_id, ids, moto_pid):
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(args.workers + 1), ctx.Queue()
    warmups, ids = ids[: args.workers], ids[args.workers :]
    processes = [
        ctx.Process(
            target=worker,
            args=(
                i,
                database_url,
                str(instance),
                storage,
                admin_id,
                warmups[i],
                ids[i :: args.workers],
                barrier,
                results,
            ),
        )
        for i in range(args.workers)
    ]
    for process in processes:
        process.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=600)
    moto_before = cpu_seconds(moto_pid)
    reports = [results.get(timeout=900) for _ in processes]
    moto_cpu = cpu_seconds(moto_pid) - moto_before
    for process in processes:
        process.join()
    failed = [r for r in reports if "error" in r]
    if failed:
        sys.exit(f"{name} worker {failed[0]['index']} failed:\n{failed[0]['error']}")
    wall = max(r["finished"] for r in reports) - min(r["started"] for r in reports)
    count = sum(r["count"] for r in reports)
    write = [t for r in reports for t in r["write"]]
    wait = [t for r in reports for t in r["wait"]]
    return {
        "store": name,
        "per_second": count / wall,
        "wall_s": wall,
        "write_ms": 1000 * statistics.fmean(write),
        "write_p95_ms": 1000 * sorted(write)[int(0.95 * (len(write) - 1))],
        "wait_ms": 1000 * statistics.fmean(wait),
        "moto_cpu_share": moto_cpu / wall if name == "s3" else 0.0,
    }


def main(argv=None):
    args = parse_args(argv)
    from tests import s3_server

    if not s3_server.moto_is_installed():
        sys.exit("needs moto[server] (requirements-dev.txt): pip install -r requirements-dev.txt")
    benchlib.warn_if_busy()
    s3_server.use_test_credentials()  # inherited by the workers; moto accepts any
    with (
        tempfile.TemporaryDirectory(prefix="avala-bench-storage-") as temporary,
        s3_server.running_s3_server() as server,
    ):
        instance = Path(temporary)
        s3_server.create_bucket(server.endpoint, BUCKET)
        stores = {
            "local": {"STORAGE_URL": str(instance / "store")},
            "s3": {"STORAGE_URL": f"s3://{BUCKET}/bench", "S3_ENDPOINT_URL": server.endpoint},
        }
        database_url, admin_id, ids, info = setup(args, instance)
        per_round = args.count + args.workers
        rounds = []
        for n in range(args.rounds):
            for name, storage in stores.items():
                batch, ids = ids[:per_round], ids[per_round:]
                print(f"round {n + 1}: {args.count} certificates to {name}...", flush=True)
                rounds.append(
                    run_round(
                        name, storage, args, database_url, instance, admin_id, batch, server.pid
                    )
                )
        report(rounds, args, info)


def setup(args, instance: Path):
    from app.extensions import db

    database_url, app = benchlib.app_with_schema_and_key(args.database_url, instance, args.reset)
    needed = 2 * args.rounds * (args.count + args.workers)
    with app.app_context():
        dialect = db.engine.dialect.name
        world = benchlib.make_centre_and_staff()
        admin_id = world.admin.id
        print(f"setting up {needed} approved assessments through the services...", flush=True)
        ids = benchlib.make_approved_assessments(
            world, needed, progress=lambda n: print(f"  {n}/{needed}", end="\r", flush=True)
        )
        db.session.remove()
        db.engine.dispose()
    print()
    return database_url, admin_id, ids, {"database": dialect, "cpus": os.cpu_count()}


def report(rounds, args, info):
    print()
    print(
        f"Storage benchmark: {args.count} certificates per round, {args.workers} worker "
        f"processes, {info['database']}, {info['cpus']} CPUs ({benchlib.cpu_model()})"
    )
    print(
        f"{'store':>6} | {'cert/s':>7} | {'write ms':>8} | {'write p95':>9} | "
        f"{'commit waited ms':>16} | {'moto CPU':>8}"
    )
    for r in rounds:
        moto = f"{r['moto_cpu_share']:.0%}" if r["store"] == "s3" else "-"
        print(
            f"{r['store']:>6} | {r['per_second']:>7.1f} | {r['write_ms']:>8.1f} | "
            f"{r['write_p95_ms']:>9.1f} | {r['wait_ms']:>16.1f} | {moto:>8}"
        )
    print(
        "(cert/s: all workers, first start to last finish; write ms: one PDF's write alone, on a\n"
        " writer thread (local: write + fsync + rename; s3: one PUT); commit waited ms: how much "
        "of it\n the commit still had to wait for (the rest overlapped signing, INSERT and audit);"
        "\n moto CPU: the S3 server's CPU time over the round's wall time, of one CPU)"
    )
    best = {
        name: max(r["per_second"] for r in rounds if r["store"] == name) for name in ("local", "s3")
    }
    share = best["s3"] / best["local"]
    print()
    print(
        f"target s3 >= {TARGET_SHARE:.0%} of the local-disk rate (best round of each): "
        f"local {best['local']:.1f}/s, s3 {best['s3']:.1f}/s = {share:.0%}  "
        f"{'PASS' if share >= TARGET_SHARE else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
