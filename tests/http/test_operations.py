"""Operating Avala: liveness and readiness probes, Prometheus metrics, request ids, JSON logs."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.certificates.models import IssuanceBatch
from app.certificates.services import issue_certificate
from app.extensions import db
from app.storage import storage_from_url
from config import TestingConfig

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-for-tests-0123456789"


def other_app(tmp_path, **settings):
    return create_app(
        TestingConfig,
        {
            "INSTANCE_DIR": tmp_path,
            "CERTIFICATE_STORAGE": tmp_path / "certificates",
            "SIGNING_KEY_PATH": tmp_path / "signing_key.pem",
            **settings,
        },
    )


# --- /healthz and /readyz ---------------------------------------------------------------------


def test_readyz_names_every_check_and_healthz_is_alive(app, client):
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "storage": {"ok": True},
            "signing_key": {"ok": True},
        },
    }
    alive = client.get("/healthz")
    assert alive.status_code == 200 and alive.get_json() == {"status": "ok"}
    for response in (ready, alive):
        assert "Set-Cookie" not in response.headers  # no session for a probe


def test_without_a_database_the_process_is_alive_but_not_ready(tmp_path):
    # Nothing listens on port 1: every connection is refused at once.
    app = other_app(
        tmp_path, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    checks = ready.get_json()["checks"]
    assert checks["database"] == {"ok": False, "error": "unreachable"}
    assert checks["storage"] == {"ok": True}
    assert "127.0.0.1" not in ready.get_data(as_text=True)  # no addresses in a public answer


def test_a_missing_or_retired_signing_key_makes_the_server_not_ready(app, client):
    key_path = Path(app.config["SIGNING_KEY_PATH"])
    secret = key_path.read_bytes()
    key_path.unlink()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["signing_key"] == {"ok": False, "error": "missing"}
    key_path.write_bytes(secret)
    assert client.get("/readyz").status_code == 200
    result = app.test_cli_runner().invoke(args=["certificates", "rotate-key", "--yes"])
    assert result.exit_code == 0
    app.config["SIGNING_KEY_PEM"] = secret.decode()  # this machine still holds the old key
    checks = client.get("/readyz").get_json()["checks"]
    assert checks["signing_key"] == {"ok": False, "error": "not the active key"}


def test_unwritable_storage_makes_the_server_not_ready(app, client, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage folder should be")
    app.extensions["avala_storage"] = storage_from_url(str(blocker / "store"))
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["storage"] == {"ok": False, "error": "unreachable"}


def test_configured_redis_is_checked_by_name(app, client):
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"  # nothing listens there
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["redis_rate_limits"] == {"ok": False, "error": "unreachable"}
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL must point at Redis in CI")
        return
    app.config["RATELIMIT_STORAGE_URI"] = app.config["HUEY_REDIS_URL"] = url
    ready = client.get("/readyz").get_json()
    assert ready["checks"]["redis_rate_limits"] == {"ok": True}
    assert ready["checks"]["redis_queue"] == {"ok": True}


# --- /metrics -----------------------------------------------------------------------------------


def scrape(client, token=TOKEN, remote="203.0.113.5"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/metrics", headers=headers, environ_base={"REMOTE_ADDR": remote})


def sample(text: str, name: str, **labels) -> float:
    """The value of one series in Prometheus' text format (0 when absent)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        metric, _, label_text = series.partition("{")
        label_items = sorted(label_text.rstrip("}").split(",")) if label_text else []
        if metric == name and ",".join(label_items) == wanted:
            return float(value)
    return 0.0


def test_metrics_are_only_for_the_configured_token_or_networks(app, client):
    assert scrape(client, token=None).status_code == 404  # nothing configured: nobody
    app.config["METRICS_TOKEN"] = TOKEN
    assert scrape(client, token="wrong").status_code == 404
    assert scrape(client, token=None).status_code == 404
    assert scrape(client).status_code == 200
    app.config["METRICS_ALLOWED_NETWORKS"] = "10.0.0.0/8, 192.168.1.7"
    assert scrape(client, token=None, remote="10.20.30.40").status_code == 200
    assert scrape(client, token=None, remote="192.168.1.7").status_code == 200
    assert scrape(client, token=None, remote="192.168.1.8").status_code == 404


def test_metrics_count_requests_per_route_and_certificates_issued(app, client, world, login):
    app.config["METRICS_TOKEN"] = TOKEN
    before = scrape(client).get_data(as_text=True)
    for _ in range(3):
        client.get("/v/not-a-real-id")
    issue_certificate(world.admin, world.approved())
    db.session.commit()
    issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=3))
    db.session.rollback()  # not issued: not counted
    after = scrape(client).get_data(as_text=True)

    route = {"method": "GET", "route": "/v/<public_id>"}
    requests_before = sample(before, "avala_http_requests_total", status="404", **route)
    assert sample(after, "avala_http_requests_total", status="404", **route) == requests_before + 3
    assert sample(after, "avala_http_request_duration_seconds_count", **route) >= 3
    issued = "avala_certificates_issued_total"
    assert sample(after, issued) == sample(before, issued) + 1
    assert re.search(r"^avala_queue_depth \d", after, re.MULTILINE)


def test_metrics_count_failed_batch_items(app, client, world, login):
    app.config["METRICS_TOKEN"] = TOKEN
    failed = "avala_batch_items_failed_total"
    before = sample(scrape(client).get_data(as_text=True), failed)
    not_reviewed = world.judge(world.schedule())
    db.session.commit()
    login(world.admin)
    client.post("/certificates/batches", data={"assessment": [str(not_reviewed.id)]})
    assert db.session.scalar(select(IssuanceBatch)) is not None
    assert sample(scrape(client).get_data(as_text=True), failed) == before + 1


def test_metrics_of_every_gunicorn_worker_are_added_up(app, tmp_path, monkeypatch):
    """Two processes with PROMETHEUS_MULTIPROC_DIR (as two gunicorn workers) and one scrape."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    worker = (
        "from app import create_app\n"
        "from config import TestingConfig\n"
        "app = create_app(TestingConfig, {'INSTANCE_DIR': %r})\n"
        "client = app.test_client()\n"
        "for _ in range(%d):\n"
        "    assert client.get('/healthz').status_code == 200\n"
    )
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    for count in (2, 3):
        subprocess.run(
            [sys.executable, "-c", worker % (str(tmp_path / f"w{count}"), count)],
            cwd=ROOT,
            env=environment,
            check=True,
            timeout=120,
        )
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    app.config["METRICS_TOKEN"] = TOKEN
    text = scrape(app.test_client()).get_data(as_text=True)
    labels = {"method": "GET", "route": "/healthz", "status": "200"}
    assert sample(text, "avala_http_requests_total", **labels) == 5


# --- request ids and JSON logs -------------------------------------------------------------------


def test_every_response_carries_a_request_id_and_an_offered_one_is_not_believed(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    forged = client.get("/healthz", headers={"X-Request-ID": "chosen-by-the-client"})
    assert forged.headers["X-Request-ID"] != "chosen-by-the-client"


def test_behind_a_proxy_that_sets_it_the_request_id_is_kept(app):
    trusted = other_app(app.config["INSTANCE_DIR"] / "trusting", TRUST_REQUEST_ID=True)
    answer = trusted.test_client().get("/healthz", headers={"X-Request-ID": "proxy-abc.123"})
    assert answer.headers["X-Request-ID"] == "proxy-abc.123"
    odd = trusted.test_client().get("/healthz", headers={"X-Request-ID": "<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd.headers["X-Request-ID"])  # not an id: replaced


def test_production_logs_are_json_lines_with_the_request_id(tmp_path):
    script = (
        "from app import create_app\n"
        "from config import TestingConfig\n"
        f"settings = {{'INSTANCE_DIR': {str(tmp_path)!r}, 'LOG_JSON': True}}\n"
        "app = create_app(TestingConfig, settings)\n"
        "response = app.test_client().get('/healthz')\n"
        "print(response.headers['X-Request-ID'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    request_id = done.stdout.strip()
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    access = [r for r in records if r.get("logger") == "avala.requests"]
    assert access, done.stderr
    assert access[0]["request_id"] == request_id
    assert access[0]["route"] == "/healthz" and access[0]["status"] == 200
    assert {"time", "level", "message"} <= set(access[0])
