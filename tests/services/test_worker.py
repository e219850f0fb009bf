"""The real worker process runs a batch queued by another process, through the queue's storage."""

import os
import subprocess
import sys
import time
from pathlib import Path

from app.certificates.batches import create_batch
from app.certificates.models import BatchItemStatus, IssuanceBatch
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).with_name("huey_consumer")


def _environment(app) -> dict:
    config = app.config
    return {
        **os.environ,
        "AVALA_ENV": "development",
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "AVALA_INSTANCE_DIR": str(config["INSTANCE_DIR"]),
        "STORAGE_URL": str(config["STORAGE_URL"]),
        "SIGNING_KEY_PATH": str(config["SIGNING_KEY_PATH"]),
    }


def _wait_until_finished(batch_id: int, seconds: float) -> IssuanceBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        batch = db.session.get(IssuanceBatch, batch_id)
        if batch.finished_at is not None:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish batch {batch_id} in {seconds} s")


def test_a_batch_queued_by_the_web_process_is_issued_by_the_worker_process(world, app):
    batch = create_batch(world.admin, [world.approved().id])
    db.session.commit()
    environment = _environment(app)
    enqueue = (
        "from app import create_app\n"
        "from app.tasks import run_issuance_batch\n"
        "create_app()\n"
        f"run_issuance_batch({batch.id})\n"
    )
    subprocess.run(
        [sys.executable, "-c", enqueue], cwd=ROOT, env=environment, check=True, timeout=60
    )
    worker = subprocess.Popen(
        [str(CONSUMER), "app.worker.huey", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        finished = _wait_until_finished(batch.id, seconds=60)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert [item.status for item in finished.items] == [BatchItemStatus.ISSUED]
    assert finished.items[0].certificate.pdf_sha256
