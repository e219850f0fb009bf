"""Evidence uploads: N photos of 5 MB each sent over HTTP to the app, stored on local disk.

The app runs in a process of its own (gunicorn, one sync worker) on a temporary SQLite database
(or --database-url) with the store in a temporary folder. A client logs in as the assessment's
evaluator, as a browser does (CSRF tokens included), and uploads the photos one after another
to the items of one assessment. Examples:

  .venv/bin/python bench/evidence.py                 # 200 photos of 5 MB
  .venv/bin/python bench/evidence.py -n 50 --size-mb 5

Printed: throughput (photos/s and MB/s) and the worker's peak resident memory above its idle
level (VmHWM - VmRSS after warm-up, from /proc). Target: < 100 MB above idle, since uploads are
streamed through the store and hashed on the way, never held whole (exit status 1 otherwise).
At the end every photo must be in the database and in the store, with the hash the client
computed.
"""

import argparse
import hashlib
import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib

TARGET_MB_ABOVE_IDLE = 100
# benchlib.make_centre_and_staff makes the staff with the test factories' password.
STAFF_PASSWORD = "correct-horse-battery"
MB = 1024 * 1024


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=200, help="photos (default 200)")
    parser.add_argument("--size-mb", type=float, default=5, help="size of each photo in MB")
    parser.add_argument("--database-url", help="SQLAlchemy URL; default a temp SQLite file")
    parser.add_argument("--reset", action="store_true", help="drop schema public (PostgreSQL)")
    args = parser.parse_args(argv)
    if args.count < 1 or args.size_mb <= 0:
        parser.error("-n and --size-mb must be positive")
    return args


def serve():
    """gunicorn's entry point ("evidence:serve()"): the app on the benchmark's database."""
    return benchlib.make_app(os.environ["BENCH_DATABASE_URL"], Path(os.environ["BENCH_INSTANCE"]))


def prepare(database_url: str | None, instance: Path, reset: bool) -> tuple[str, dict]:
    """The schema, a centre with its staff, and one assessment under way with its items."""
    from app.accounts.services import register_candidate
    from app.extensions import db

    database_url, app = benchlib.app_with_schema_and_key(database_url, instance, reset)
    with app.app_context():
        world = benchlib.make_centre_and_staff()
        candidate = register_candidate(
            actor=world.admin,
            email="candidata@example.com",
            full_name=benchlib.person_name(1),
            curp=benchlib.curp_for(1),
            password=benchlib.PASSWORD,
            is_publicly_listed=False,
        )
        assessment = world.schedule(candidate)
        db.session.commit()
        setup = {
            "assessment": assessment.id,
            "items": [item.id for item in world.standard.instrument.items],
            "email": world.evaluator.email,
        }
        db.engine.dispose()
    return database_url, setup


def make_photo(size: int) -> bytes:
    """A real JPEG of random pixels, padded after its end marker to `size` bytes (a viewer
    ignores what follows the end, and the server reads it all)."""
    from PIL import Image

    side = 700
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "JPEG")
    data = buffer.getvalue()[:size]
    return data + os.urandom(max(0, size - len(data)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, instance: Path, port: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "BENCH_DATABASE_URL": database_url,
        "BENCH_INSTANCE": str(instance),
        "AVALA_INSTANCE_DIR": str(instance),
    }
    command = [sys.executable, "-m", "gunicorn", "--pythonpath", str(Path(__file__).parent)]
    command += ["-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "120", "evidence:serve()"]
    return subprocess.Popen(command, cwd=benchlib.ROOT, env=environment)


def worker_pid(master: int) -> int:
    for _ in range(200):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} for process {pid}")


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def log_in(session, base: str, email: str) -> None:
    for _ in range(100):  # until the server answers
        try:
            page = session.get(f"{base}/login", timeout=5).text
            break
        except OSError:
            time.sleep(0.2)
    else:
        raise SystemExit("the server did not answer")
    answer = session.post(
        f"{base}/login",
        data={"email": email, "password": STAFF_PASSWORD, "csrf_token": csrf_token(page)},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        Path("/tmp/evid-login.html").write_text(answer.text)
        raise SystemExit(f"login failed: {answer.status_code}")


def upload_all(
    session, base: str, setup: dict, photo: bytes, count: int, first: int = 0
) -> list[str]:
    """Upload `count` photos (each made different by its last bytes); their SHA-256s."""
    page_url = f"{base}/assessments/{setup['assessment']}"
    token = csrf_token(session.get(page_url, timeout=30).text)
    hashes = []
    for n in range(first, first + count):
        data = photo[:-8] + n.to_bytes(8, "big")
        answer = session.post(
            f"{page_url}/evidence",
            data={"item": str(setup["items"][n % len(setup["items"])]), "csrf_token": token},
            files={"file": (f"IMG_{n:04d}.jpg", data, "image/jpeg")},
            allow_redirects=False,
            timeout=120,
        )
        if answer.status_code != 302:
            raise SystemExit(f"upload {n} failed: {answer.status_code} {answer.text[:300]}")
        hashes.append(hashlib.sha256(data).hexdigest())
    return hashes


def check_stored(database_url: str, instance: Path, hashes: list[str]) -> None:
    from sqlalchemy import select

    from app.evidence.models import EvidenceFile
    from app.extensions import db
    from app.storage import current_storage

    app = benchlib.make_app(database_url, instance)
    with app.app_context():
        stored = db.session.execute(select(EvidenceFile.sha256, EvidenceFile.storage_key)).all()
        keys = {item.key for item in current_storage().list("evidence/")}
        assert sorted(h for h, _k in stored) == sorted(hashes), "hashes differ"
        assert keys == {k for _h, k in stored}, "store and database differ"


def main(argv=None) -> int:
    import requests

    args = parse_args(argv)
    benchlib.warn_if_busy()
    size = int(args.size_mb * MB)
    with tempfile.TemporaryDirectory(prefix="avala-evidence-") as folder:
        instance = Path(folder)
        database_url, setup = prepare(args.database_url, instance, args.reset)
        photo = make_photo(size)
        port = free_port()
        server = start_server(database_url, instance, port)
        try:
            base = f"http://127.0.0.1:{port}"
            session = requests.Session()
            log_in(session, base, setup["email"])
            worker = worker_pid(server.pid)
            # Warm-up (every module loaded, the first connection made), with photos of its own.
            hashes = upload_all(session, base, setup, photo, 2, first=args.count)
            idle_kb = memory_kb(worker, "VmRSS")
            started = time.perf_counter()
            hashes += upload_all(session, base, setup, photo, args.count)
            elapsed = time.perf_counter() - started
            peak_kb = memory_kb(worker, "VmHWM")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        check_stored(database_url, instance, hashes)
    return report(args, size, elapsed, idle_kb, peak_kb)


def report(args, size: int, elapsed: float, idle_kb: int, peak_kb: int) -> int:
    above = (peak_kb - idle_kb) / 1024
    megabytes = args.count * size / MB
    print(f"versions: {benchlib.versions()}")
    print(f"{args.count} photos of {size / MB:g} MB over HTTP to local storage, one client:")
    print(f"  throughput: {args.count / elapsed:.1f} photos/s, {megabytes / elapsed:.1f} MB/s")
    print(f"  worker RSS: idle {idle_kb / 1024:.1f} MB, peak {peak_kb / 1024:.1f} MB")
    verdict = "ok" if above < TARGET_MB_ABOVE_IDLE else "OVER TARGET"
    print(f"  peak above idle: {above:.1f} MB (target < {TARGET_MB_ABOVE_IDLE} MB) {verdict}")
    return 0 if above < TARGET_MB_ABOVE_IDLE else 1


if __name__ == "__main__":
    sys.exit(main())
