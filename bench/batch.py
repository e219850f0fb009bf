"""A large issuance batch: the worker's memory, and the progress endpoint while it runs.

Builds N approved Competente assessments through the services, records one batch of them, and
runs it in a separate worker process (the function the Huey task calls, `run_batch`), as a
real worker would. Meanwhile this process asks the batch's progress endpoint, logged in as the
centre's administrator, every 100 ms, and reads the worker's peak memory (VmHWM in
/proc/<pid>/status) when the batch passes the checkpoint and when it ends. Examples:

  .venv/bin/python bench/batch.py                      # 10,000 items, checkpoint at 1,000
  .venv/bin/python bench/batch.py --items 2000 --checkpoint 200 \
      --database-url postgresql+psycopg://postgres@127.0.0.1:5432/avala_bench --reset

Targets (issue 11): the worker's peak RSS at N items within 10 % of its peak at the checkpoint
(memory stays flat), and every progress answer under 50 ms.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

TARGET_MEMORY_GROWTH = 1.10  # peak RSS at N over peak RSS at the checkpoint
TARGET_PROGRESS_MS = 50.0
POLL_SECONDS = 0.1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="batch size (default 10000)")
    parser.add_argument(
        "--checkpoint", type=int, default=1_000, help="items issued at the first reading"
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL; default a temp SQLite file")
    parser.add_argument("--reset", action="store_true", help="drop a PostgreSQL schema first")
    parser.add_argument("--run-batch", type=int, help=argparse.SUPPRESS)  # the worker side
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def run_worker(args) -> None:
    """The worker process: one app, one batch run, as the Huey task does it."""
    from app.certificates.batches import run_batch

    app = benchlib.make_app(args.database_url, Path(args.instance))
    with app.app_context():
        run_batch(args.run_batch)


def setup(args, instance: Path) -> tuple[str, int]:
    from app.certificates.batches import create_batch
    from app.extensions import db

    database_url, app = benchlib.app_with_schema_and_key(args.database_url, instance, args.reset)
    started = time.monotonic()
    with app.app_context():
        world = benchlib.make_centre_and_staff()
        print(f"setting up {args.items} approved assessments through the services...", flush=True)
        ids = benchlib.make_approved_assessments(
            world, args.items, progress=lambda n: print(f"  {n}/{args.items}", end="\r", flush=True)
        )
        batch_id = create_batch(world.admin, ids).id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    print(f"  done in {time.monotonic() - started:.0f} s" + " " * 20, flush=True)
    return database_url, batch_id


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM: is this Linux?")


def watch(args, database_url: str, instance: Path, batch_id: int) -> dict:
    """Run the worker; poll progress and memory until it ends."""
    app = benchlib.make_app(database_url, instance, WTF_CSRF_ENABLED=False)
    client = app.test_client()
    from tests.factories import PASSWORD

    login = {"email": "", "password": PASSWORD}
    with app.app_context():
        from app.accounts.models import User
        from app.accounts.roles import Role
        from app.extensions import db

        login["email"] = db.session.query(User).filter_by(role=Role.ADMIN).one().email
    assert client.post("/login", data=login).status_code == 302, "admin login failed"
    worker = subprocess.Popen(  # noqa: S603 - this very script
        [sys.executable, __file__, "--run-batch", str(batch_id), "--instance", str(instance)]
        + ["--database-url", database_url]
    )
    timings, at_checkpoint, final_peak = [], None, None
    started = time.monotonic()
    while final_peak is None:
        begun = time.perf_counter()
        answer = client.get(f"/certificates/batches/{batch_id}/progress")
        timings.append((time.perf_counter() - begun) * 1000)
        assert answer.status_code == 200, answer.status_code
        issued = answer.get_json()["counts"].get("issued", 0)
        if at_checkpoint is None and issued >= args.checkpoint:
            at_checkpoint = (issued, peak_rss_mib(worker.pid))
            print(f"  {issued} issued: worker peak RSS {at_checkpoint[1]:.1f} MiB", flush=True)
        # The kernel's own record of the worker's peak, taken as it is reaped.
        pid, status, usage = os.wait4(worker.pid, os.WNOHANG)
        if pid:
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"the worker failed ({os.waitstatus_to_exitcode(status)})")
            final_peak = usage.ru_maxrss / 1024
        time.sleep(POLL_SECONDS)
    counts = client.get(f"/certificates/batches/{batch_id}/progress").get_json()["counts"]
    return {
        "seconds": time.monotonic() - started,
        "counts": counts,
        "checkpoint": at_checkpoint,
        "final_peak": final_peak,
        "timings": timings,
    }


def report(args, result: dict) -> None:
    timings = sorted(result["timings"])
    checkpoint_items, checkpoint_peak = result["checkpoint"]
    growth = result["final_peak"] / checkpoint_peak
    issued = result["counts"].get("issued", 0)
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print()
    print(f"Batch of {args.items}: {issued} issued in {result['seconds']:.0f} s", end="")
    print(f" ({issued / result['seconds']:.1f} certificates/s, one worker), {result['counts']}")
    print(f"{'measure':<34} | {'figure':>12} | target")
    print(
        f"{'worker peak RSS at ' + str(checkpoint_items) + ' issued':<34} | "
        f"{checkpoint_peak:>8.1f} MiB |"
    )
    print(
        f"{'worker peak RSS at ' + str(issued) + ' issued':<34} | "
        f"{result['final_peak']:>8.1f} MiB |"
    )
    print(
        f"{'growth (second / first)':<34} | {growth:>11.3f}x | <= {TARGET_MEMORY_GROWTH:.2f}x "
        f"{'MET' if growth <= TARGET_MEMORY_GROWTH else 'NOT MET'}"
    )
    print(f"{'progress answer median':<34} | {statistics.median(timings):>9.1f} ms |")
    print(f"{'progress answer p99':<34} | {p99:>9.1f} ms |")
    worst = timings[-1]
    print(
        f"{'progress answer slowest (' + str(len(timings)) + ' asked)':<34} | {worst:>9.1f} ms | "
        f"< {TARGET_PROGRESS_MS:.0f} ms {'MET' if worst < TARGET_PROGRESS_MS else 'NOT MET'}"
    )


def main(argv=None):
    args = parse_args(argv)
    if args.run_batch:
        return run_worker(args)
    benchlib.warn_if_busy()
    with tempfile.TemporaryDirectory(prefix="avala-bench-batch-") as temporary:
        instance = Path(temporary)
        database_url, batch_id = setup(args, instance)
        report(args, watch(args, database_url, instance, batch_id))


if __name__ == "__main__":
    main()
