"""The task queue is configured from the app's config, and importing it writes nothing."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import redis_test_url

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, instance: Path, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "AVALA_INSTANCE_DIR": str(instance), **env}
    environment.pop("HUEY_REDIS_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


def test_importing_the_tasks_creates_no_file(tmp_path):
    run_python("import app.tasks", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_queue_uses_sqlite_in_the_instance_folder_by_default(tmp_path):
    code = (
        "from app import create_app\n"
        "from app.tasks import huey\n"
        "from config import TestingConfig\n"
        f"create_app(TestingConfig, {{'INSTANCE_DIR': {str(tmp_path)!r}}})\n"
        "print(type(huey.storage).__name__, huey.storage.filename)\n"
    )
    out = run_python(code, tmp_path).stdout.split()
    assert out == ["SqliteStorage", str(tmp_path / "huey.db")]


def test_a_task_queued_by_an_app_configured_for_redis_waits_in_redis(tmp_path):
    url = redis_test_url()
    code = (
        "from app import create_app\n"
        "from app.tasks import huey, run_issuance_batch\n"
        "from config import TestingConfig\n"
        f"create_app(TestingConfig, {{'INSTANCE_DIR': {str(tmp_path)!r},"
        f" 'HUEY_REDIS_URL': {url!r}}})\n"
        "huey.flush()\n"
        "run_issuance_batch(12345)\n"
        "print(type(huey.storage).__name__, huey.pending_count())\n"
        "huey.flush()\n"
    )
    assert run_python(code, tmp_path).stdout.split() == ["RedisStorage", "1"]
