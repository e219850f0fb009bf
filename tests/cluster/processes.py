"""Real processes for the cluster test: gunicorn app servers and a Huey worker.

Each process is started as an operator would start it (the same command lines as
docs/deployment.md), with its own instance folder and the production configuration, and is
stopped (SIGTERM, then SIGKILL) when the test ends, whatever happened.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=15)


def start(name: str, command: list[str], env: dict, directory: Path) -> Process:
    """Start `command` in its own process group (so stopping it stops its workers too)."""
    log = directory / f"{name}.log"
    handle = log.open("wb")
    popen = subprocess.Popen(  # noqa: S603 - our own commands
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Process(name, popen, log)


def app_server(name: str, port: int, env: dict, directory: Path, workers: int = 2) -> Process:
    """A gunicorn app server on loopback `port`, returned once it answers."""
    command = [
        str(BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        "5",
        "wsgi:app",
    ]
    process = start(name, command, env, directory)
    try:
        wait_until_ready(process, f"http://127.0.0.1:{port}")
    except BaseException:
        process.stop()  # never left running by a start that failed
        raise
    return process


def worker(name: str, env: dict, directory: Path) -> Process:
    command = [str(BIN / "huey_consumer"), "app.worker.huey", "--workers", "2", "-k", "thread"]
    return start(name, command, env, directory)


def wait_until_ready(process: Process, url: str) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} stopped at start:\n{process.output()}")
        try:
            if requests.get(f"{url}/login", timeout=10).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or still importing the app
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} did not answer within {STARTUP_SECONDS} s")


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Visitor:
    """One person's browser session against one server (production CSRF and cookies)."""

    base_url: str
    http: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        self.http.headers["Accept-Language"] = "es-MX,es;q=0.9"

    def _sent_back_over_http(self, response: requests.Response) -> requests.Response:
        """Production marks the session cookie Secure (TLS ends at the proxy there); these
        servers speak plain HTTP on loopback, so the client must send it back over HTTP too."""
        for cookie in self.http.cookies:
            cookie.secure = False
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        response = self.http.get(self.base_url + path, allow_redirects=False, timeout=60, **kwargs)
        return self._sent_back_over_http(response)

    def send_form(self, path: str, data: dict) -> requests.Response:
        response = self.http.post(
            self.base_url + path, data=data, allow_redirects=False, timeout=120
        )
        return self._sent_back_over_http(response)

    def csrf_token(self, path: str) -> str:
        page = self.get(path)
        match = CSRF_FIELD.search(page.text)
        assert match, f"no CSRF token on {path} ({page.status_code})"
        return match.group(1)

    def post(self, path: str, data: dict | None = None, form_page: str | None = None):
        """POST a form as the browser would: with the CSRF token of the page that shows it."""
        token = self.csrf_token(form_page or path)
        return self.send_form(path, {**(data or {}), "csrf_token": token})

    def log_in(self, email: str, password: str) -> "Visitor":
        response = self.post("/login", {"email": email, "password": password})
        assert response.status_code == 302, response.text[:2000]
        return self
