"""The verification page against the floor, in one process, round after round.

bench/verify.sh measures throughput under gunicorn and wrk, which a busy machine distorts: the
load generator, PostgreSQL and both workers share two cores with whatever else runs. This
benchmark asks the same question with less noise: in one process it calls, through WSGI and
without cookies, the floor (bench/hello_lookup.py: hello world plus the one indexed lookup) and
Avala's QR-code page for repeated scans (the same few certificates again and again) and for
first scans (certificates not asked before), interleaving them in rounds so that a change in
the machine's load touches all of them alike. Avala's /healthz (no database) shows what any
request costs in this app before the page's own work. The share of the floor a page keeps is the
floor's time per request divided by the page's. Rate limiting is off in both (verify.sh
measures it with Redis).

Targets (issue 15): repeated scans >= 80 % of the floor, first scans >= 50 %.

  bench/verify.sh COUNT=20000 ...      # first: makes the database and bench/out/public_ids.txt
  .venv/bin/python bench/verify_inprocess.py [--database-url URL] [--rounds 7]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import benchlib

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/avala_verify"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--ids-file", type=Path, default=ROOT / "bench/out/public_ids.txt")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=200)
    parser.add_argument("--repeated", type=int, default=20, help="certificates scanned again")
    args = parser.parse_args()

    ids = [line.strip() for line in args.ids_file.read_text().splitlines() if line.strip()]
    needed = args.repeated + args.rounds * args.per_round + 50
    if len(ids) < needed:
        sys.exit(f"{args.ids_file} holds {len(ids)} ids; this run needs {needed}")
    os.environ["DATABASE_URL"] = args.database_url
    import hello_lookup  # reads DATABASE_URL when imported

    avala = benchlib.make_app(args.database_url, Path(tempfile.mkdtemp(prefix="avala-verify-")))
    clients = {
        "floor": hello_lookup.app.test_client(use_cookies=False),
        "page": avala.test_client(use_cookies=False),
    }
    repeated = [f"/v/{i}" for i in ids[: args.repeated]]
    fresh = iter(ids[args.repeated + 50 :])
    for path in repeated + [f"/v/{i}" for i in ids[args.repeated : args.repeated + 50]]:
        _get(clients["page"], path)  # warm: connections, templates, the repeated pages kept
        _get(clients["floor"], path)

    times = {"floor": [], "healthz": [], "repeated": [], "first": []}
    for _ in range(args.rounds):
        first = [f"/v/{next(fresh)}" for _ in range(args.per_round)]
        times["floor"].append(_per_request(clients["floor"], first))
        # Avala's own cost of any request (its hooks), with no database and no page.
        times["healthz"].append(_per_request(clients["page"], ["/healthz"] * args.per_round))
        times["repeated"].append(
            _per_request(clients["page"], (repeated * args.per_round)[: args.per_round])
        )
        times["first"].append(_per_request(clients["page"], first))
    _report(times, args)


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"GET {path}: {response.status_code}")


def _per_request(client, paths: list[str]) -> float:
    started = time.perf_counter()
    for path in paths:
        _get(client, path)
    return (time.perf_counter() - started) * 1000 / len(paths)


def _report(times: dict, args) -> None:
    benchlib.warn_if_busy()
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"in one process, {args.rounds} rounds of {args.per_round} requests each (median)")
    for name, ms in median.items():
        print(f"  {name:9s} {ms:7.3f} ms/request")
    for name, target in (("repeated", 80), ("first", 50)):
        share = 100 * median["floor"] / median[name]
        verdict = "PASS" if share >= target else "FAIL"
        print(f"target {name} scans >= {target}% of the floor: {share:.1f}%  {verdict}")


if __name__ == "__main__":
    main()
