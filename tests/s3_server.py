"""A local S3-compatible server for tests and benchmarks: moto's standalone server in a process
of its own, on 127.0.0.1 and a port the OS picks. boto3 talks real HTTP to it.

Run as `python -m tests.s3_server`: prints its port, serves until its standard input closes
(so it never outlives the process that started it).
"""

import os
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# moto accepts any credentials; these keep real ones (if any are set) away from the test server.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "avala-test",
    "AWS_SECRET_ACCESS_KEY": "avala-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def moto_is_installed() -> bool:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class S3Server:
    endpoint: str  # http://127.0.0.1:<port>
    pid: int


@contextmanager
def running_s3_server():
    """Start the server; yield it (endpoint URL and process id); stop it after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.s3_server"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError(f"the S3 test server did not start (said {line!r})")
        yield S3Server(f"http://127.0.0.1:{int(line)}", process.pid)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def use_test_credentials() -> dict:
    """Put the test credentials in this process's environment; return what was there before."""
    before = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    return before


def restore_environment(before: dict) -> None:
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def create_bucket(endpoint_url: str, bucket: str) -> None:
    import boto3

    boto3.session.Session().client("s3", endpoint_url=endpoint_url).create_bucket(Bucket=bucket)


def _serve() -> None:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    print(server.get_host_and_port()[1], flush=True)
    sys.stdin.read()  # until the parent closes it or dies
    server.stop()


if __name__ == "__main__":
    _serve()
