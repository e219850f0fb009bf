"""The queue on Redis with real Huey consumer processes, each with its own instance folder.

An app server queues a batch that a worker of another "machine" runs; two workers run a
periodic task once per period; workers killed with SIGKILL at the worst moment (a folio number
taken, its certificate not committed) leave a batch that a restarted worker finishes, issuing
every item once and explaining every number. On SQLite (one file shared by the processes) and
PostgreSQL alike. Needs TEST_REDIS_URL (required under CI=true).
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.certificates.batches import create_batch
from app.certificates.models import (
    BatchItemStatus,
    Certificate,
    FolioReservation,
    IssuanceBatch,
)
from app.certificates.numbering import ABANDONED
from app.db_types import utcnow
from app.extensions import db
from app.jobs.models import PeriodicRun
from app.tasks import configure_queue, converge, huey, run_issuance_batch
from tests import factories
from tests.concurrency import voids_once_every_gap_is_explained
from tests.conftest import _app

ROOT = Path(__file__).resolve().parents[2]
CONSUMER = Path(sys.executable).with_name("huey_consumer")
# Generous: how long a worker may take to start and do its work on a loaded machine. The
# tests wait for a state, never for a time.
PATIENCE = 120
LEASE = 2  # seconds: a killed worker's claim expires quickly


@pytest.fixture
def redis_queue(app, redis_url):
    """This process's queue on Redis, as an app server's is: tasks wait there for a worker."""
    configure_queue({"HUEY_REDIS_URL": redis_url})
    huey.immediate = False
    huey.flush()
    yield huey
    huey.flush()
    huey.immediate = True
    configure_queue(app.config)


class Worker:
    """`huey_consumer app.worker.huey` in a process of its own, configured as in production."""

    def __init__(self, app, redis_url: str, instance: Path, workers: int = 1):
        instance.mkdir(parents=True, exist_ok=True)
        self.log = instance / "consumer.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TEST_", "AVALA_", "HUEY_", "DATABASE_"))
        }
        env.update(
            AVALA_ENV="production",
            SECRET_KEY=secrets.token_hex(32),
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            AVALA_INSTANCE_DIR=str(instance),
            # The body's key, mounted on every machine; everything else is the worker's own.
            SIGNING_KEY_PATH=str(app.config["SIGNING_KEY_PATH"]),
            HUEY_REDIS_URL=redis_url,
            BATCH_ITEM_LEASE_SECONDS=str(LEASE),
            FOLIO_RESERVATION_GRACE_SECONDS=str(LEASE),
        )
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(CONSUMER), "app.worker.huey", "-k", "thread", "-w", str(workers)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """As the out-of-memory killer would: no cleanup, no goodbye."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=PATIENCE)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(app, redis_url, tmp_path):
    started: list[Worker] = []

    def start(**options) -> Worker:
        worker = Worker(app, redis_url, tmp_path / f"worker-{len(started) + 1}", **options)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(condition, worker: Worker | None = None, poll: float = 0.05):
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        db.session.rollback()  # read what the other processes committed
        if value := condition():
            return value
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.output()}")
        time.sleep(poll)
    pytest.fail("waited in vain" + (f"; worker said:\n{worker.output()}" if worker else ""))


def issued_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def approved_judgements(world, how_many: int) -> list[int]:
    candidates = [world.candidate, world.other_candidate] + [
        factories.make_candidate(world.admin, f"Persona Lote {n}") for n in range(how_many - 2)
    ]
    ids = [
        world.approved(candidate, hours_from_now=3 * n + 1).id
        for n, candidate in enumerate(candidates[:how_many])
    ]
    db.session.commit()
    return ids


def test_a_batch_queued_by_one_app_server_runs_on_a_worker_of_another(
    app, world, redis_url, redis_queue, start_worker, tmp_path
):
    assessment_ids = approved_judgements(world, 2)
    server_a = _app(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "server-a", HUEY_REDIS_URL=redis_url
    )
    client = server_a.test_client()
    login = client.post("/login", data={"email": world.admin.email, "password": factories.PASSWORD})
    assert login.status_code == 302
    response = client.post(
        "/certificates/batches", data={"assessment": [str(i) for i in assessment_ids]}
    )
    assert response.status_code == 302
    assert huey.pending_count() == 1  # waiting in Redis, not run by the app server
    batch_id = db.session.scalar(select(IssuanceBatch.id))

    worker = start_worker()
    wait_for(lambda: db.session.get(IssuanceBatch, batch_id).finished_at, worker)
    batch = db.session.get(IssuanceBatch, batch_id)
    assert {item.status for item in batch.items} == {BatchItemStatus.ISSUED}
    assert issued_count() == 2
    # Issued on the worker's machine: the app server's own folder holds no PDF.
    pdf_paths = [item.certificate.pdf_path for item in batch.items]
    assert all((tmp_path / "worker-1" / "certificates" / p).is_file() for p in pdf_paths)
    assert not list((tmp_path / "server-a").rglob("*.pdf"))
    progress = client.get(f"/certificates/batches/{batch_id}/progress").get_json()
    assert progress == {"counts": {"pending": 0, "issued": 2, "failed": 0}, "finished": True}


def test_two_workers_run_a_periodic_task_once_per_period(app, redis_queue, start_worker):
    db.session.commit()
    # Each consumer's scheduler queues the task once a period; six copies for one period.
    period = "2026-11-26T12:00:00+00:00"
    results = [converge.for_period(period) for _ in range(6)]
    workers = [start_worker(workers=2), start_worker(workers=2)]
    outcomes = [result.get(blocking=True, timeout=PATIENCE) for result in results]
    assert sorted(o["ran"] for o in outcomes) == [False] * 5 + [True]
    db.session.rollback()
    rows = db.session.scalars(select(PeriodicRun).where(PeriodicRun.task == "converge")).all()
    # (A real minute may also have begun meanwhile, run by the workers' own schedulers.)
    assert [r.period_start.isoformat() for r in rows].count(period) == 1
    # The next period runs again.
    next_period = converge.for_period("2026-11-26T12:01:00+00:00")
    assert next_period.get(blocking=True, timeout=PATIENCE)["ran"]
    assert all(worker.process.poll() is None for worker in workers)


def test_workers_killed_mid_issuance_converge_to_every_item_issued_once(
    app, world, redis_queue, start_worker
):
    """Three workers in turn are SIGKILLed while a folio number is taken and its certificate
    not yet committed; each restart runs the convergence job (as its scheduler would within a
    minute), which queues the batch again and voids the dead issuance's number."""
    size = 6
    batch = create_batch(world.admin, approved_judgements(world, size))
    db.session.commit()
    batch_id = batch.id
    run_issuance_batch(batch_id)
    app.config["BATCH_ITEM_LEASE_SECONDS"] = app.config["FOLIO_RESERVATION_GRACE_SECONDS"] = LEASE
    abandoned: set[int] = set()
    for round_ in range(3):
        issued_before, started = issued_count(), utcnow()
        worker = start_worker()
        # The worst moment: a number taken in its own transaction, the PDF being made.
        wait_for(
            lambda before=issued_before, since=started: (
                issued_count() > before
                and db.session.scalar(
                    select(func.count())
                    .select_from(FolioReservation)
                    .where(FolioReservation.taken_at > since)
                )
            ),
            worker,
            poll=0.01,
        )
        worker.kill()
        db.session.rollback()
        abandoned |= set(db.session.scalars(select(FolioReservation.number)))
        assert issued_count() < size
        time.sleep(LEASE + 0.5)  # the lease of the killed run's claim runs out
        converge.for_period(f"2026-11-26T12:0{round_}:00+00:00")  # what the scheduler queues

    worker = start_worker()
    wait_for(lambda: db.session.get(IssuanceBatch, batch_id).finished_at, worker)
    batch = db.session.get(IssuanceBatch, batch_id)
    assert {item.status for item in batch.items} == {BatchItemStatus.ISSUED}
    certificates = db.session.scalars(select(Certificate)).all()
    assert len(certificates) == size
    assert {c.assessment_id for c in certificates} == {item.assessment_id for item in batch.items}
    assert {item.certificate_id for item in batch.items} == {c.id for c in certificates}
    # Every number taken is issued or voided with the reason; none is both.
    voided = voids_once_every_gap_is_explained()
    assert len(abandoned) >= 1
    assert voided == {number: ABANDONED for number in abandoned}
    assert db.session.scalar(select(func.count()).select_from(FolioReservation)) == 0
