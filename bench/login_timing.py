"""Login timing: a wrong password for an existing account against an unknown e-mail.

If the two took different times, anyone could time the login form to learn which e-mails have
an account. authenticate() checks one password hash of the configured method in both cases
(tests/services/test_login_timing.py checks that structurally); this measures the times.

Each case calls authenticate() N times, interleaved (so both see the same machine load), with
the production hash method (scrypt unless --method says otherwise), on a temporary SQLite
database, and prints the medians. Example:

  .venv/bin/python bench/login_timing.py            # N=40, scrypt
  .venv/bin/python bench/login_timing.py -n 100 --method pbkdf2:sha256

Target: the two medians within 20 % of each other (exit status 1 otherwise).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import benchlib

TARGET_RATIO = 1.2  # slower median over faster median
UNKNOWN_EMAIL = "nadie@example.com"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=40, help="attempts per case")
    parser.add_argument("--method", default="scrypt", help="password hash method (werkzeug)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("-n must be positive")
    return args


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(count: int) -> dict[str, list[float]]:
    from app.accounts.roles import Role
    from app.accounts.services import authenticate
    from tests import factories

    user = factories.make_user(factories.make_centre(), Role.EVALUATOR, password=benchlib.PASSWORD)
    cases = {
        "wrong password": lambda: authenticate(user.email, "not-the-password"),
        "unknown e-mail": lambda: authenticate(UNKNOWN_EMAIL, "not-the-password"),
    }
    for attempt in cases.values():  # warm up: the first unknown e-mail makes the dummy hash
        attempt()
    times = {name: [] for name in cases}
    for _ in range(count):
        for name, attempt in cases.items():
            times[name].append(timed(attempt))
    return times


def main(argv=None) -> int:
    args = parse_args(argv)
    benchlib.warn_if_busy()
    with tempfile.TemporaryDirectory(prefix="avala-login-bench-") as folder:
        instance = Path(folder)
        app = benchlib.make_app(
            f"sqlite:///{instance / 'bench.db'}", instance, PASSWORD_HASH_METHOD=args.method
        )
        benchlib.prepare_schema(app, reset=False)
        with app.app_context():
            times = measure(args.count)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"{name:<15} median {median:7.1f} ms  ({args.count} attempts, {args.method})")
    ratio = max(medians.values()) / min(medians.values())
    verdict = "within" if ratio <= TARGET_RATIO else "NOT within"
    print(f"ratio {ratio:.2f}: {verdict} the target of {TARGET_RATIO:.2f}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
