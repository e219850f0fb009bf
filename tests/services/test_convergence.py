"""After a crash the system converges by itself, and periodic jobs run once per period.

On both databases, in one process (threads for the races); tests/queue has the same with real
worker processes killed with SIGKILL.
"""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update

from app.certificates import batches
from app.certificates.models import (
    BatchItem,
    BatchItemStatus,
    Certificate,
    FolioReservation,
    FolioVoid,
    IssuanceBatch,
)
from app.certificates.numbering import (
    ABANDONED,
    FolioNumberVoided,
    folio_number,
    next_folio_number,
    void_abandoned_numbers,
)
from app.certificates.services import issue_certificate
from app.extensions import db
from app.jobs.models import PeriodicRun
from app.jobs.services import period_start, run_once
from app.tasks import converge, huey
from tests.concurrency import race, voids_once_every_gap_is_explained

SCOPE = "CONALEP-2026"
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_period_runs_once_however_many_workers_ask_at_the_same_instant(app):
    ran = []
    start = period_start(datetime(2026, 11, 26, 12, 7, 31, tzinfo=UTC), 5)
    assert start == datetime(2026, 11, 26, 12, 5, tzinfo=UTC)

    def worker(go):
        go()
        return run_once("test-job", start, lambda: ran.append(1) or {"did": "it"})

    outcomes = race(app, *[worker] * 6)
    assert len(ran) == 1
    assert sorted(o["ran"] for o in outcomes) == [False] * 5 + [True]
    row = db.session.scalar(select(PeriodicRun))
    assert (row.task, row.period_start, row.outcome) == ("test-job", start, '{"did": "it"}')
    assert row.finished_at is not None


def test_the_scheduled_task_runs_once_per_period_and_again_the_next(app):
    first = converge.call_local("2026-11-26T12:00:10+00:00")
    again = converge.call_local("2026-11-26T12:00:50+00:00")
    next_minute = converge.call_local("2026-11-26T12:01:00+00:00")
    assert (first["ran"], again["ran"], next_minute["ran"]) == (True, False, True)
    assert first["requeued_batches"] == [] and first["voided_numbers"] == 0
    assert count(PeriodicRun) == 2


def test_the_convergence_job_is_scheduled_every_minute():
    scheduled = {task.name for task in huey.read_periodic(datetime(2026, 11, 26, 12, 7))}
    assert "converge" in scheduled


def test_a_number_taken_by_an_issuance_that_never_came_back_is_voided_after_the_grace(app, world):
    db.session.commit()
    next_folio_number(SCOPE, own_transaction=True)  # then the process "died"
    assert void_abandoned_numbers() == 0  # within the grace period: maybe still issuing
    app.config["FOLIO_RESERVATION_GRACE_SECONDS"] = 0
    time.sleep(0.01)
    assert void_abandoned_numbers() == 1
    assert void_abandoned_numbers() == 0
    issue_certificate(world.admin, world.approved())
    db.session.commit()
    assert voids_once_every_gap_is_explained() == {1: ABANDONED}
    assert count(FolioReservation) == 0


def test_an_issuance_whose_number_was_voided_meanwhile_fails_instead_of_committing(app, world):
    db.session.commit()
    app.config["FOLIO_RESERVATION_GRACE_SECONDS"] = 0
    voided = []

    def convergence_job_elsewhere():
        with app.app_context():
            voided.append(void_abandoned_numbers())
            db.session.remove()

    with pytest.raises(FolioNumberVoided), folio_number(SCOPE):
        time.sleep(0.01)
        job = threading.Thread(target=convergence_job_elsewhere)
        job.start()
        job.join()
    db.session.rollback()
    assert voided == [1]
    assert db.session.scalars(select(FolioVoid.reason)).all() == [ABANDONED]
    assert count(FolioReservation) == 0


def test_issuing_and_failing_leave_no_reservation_behind(app, world):
    issue_certificate(world.admin, world.approved())
    db.session.commit()
    world.centre.certificate_design = "deleted-design"
    doomed = world.approved(world.other_candidate, hours_from_now=3)
    db.session.commit()
    with pytest.raises(Exception, match="deleted-design"):
        issue_certificate(world.admin, doomed)
    db.session.rollback()
    assert count(FolioReservation) == 0
    app.config["FOLIO_RESERVATION_GRACE_SECONDS"] = 0
    assert void_abandoned_numbers() == 0


@pytest.mark.postgres_only
def test_the_job_waits_for_a_committing_issuance_and_then_voids_nothing(app, world):
    """The issuance has deleted its reservation, uncommitted, when the job comes for it."""
    issue_certificate(world.admin, world.approved())  # releases (deletes) its reservation
    app.config["FOLIO_RESERVATION_GRACE_SECONDS"] = 0
    voided = []

    def convergence_job_elsewhere():
        with app.app_context():
            voided.append(void_abandoned_numbers())
            db.session.remove()

    job = threading.Thread(target=convergence_job_elsewhere)
    job.start()
    with app.app_context():  # a connection of its own, to watch the job wait for the row
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        for _ in range(500):
            if db.session.scalar(waiting):
                break
            time.sleep(0.01)
        else:
            pytest.fail("the job never waited for the issuance's row lock")
        db.session.remove()
    db.session.commit()
    job.join()
    assert voided == [0]
    assert count(FolioVoid) == 0
    assert count(Certificate) == 1


def stalled_batch(world, items: int = 2) -> IssuanceBatch:
    """A batch whose worker died long ago: one item claimed and never issued, others waiting."""
    assessments = [world.approved(hours_from_now=1)] + [
        world.approved(world.other_candidate, hours_from_now=3 * n + 3) for n in range(items - 1)
    ]
    batch = batches.create_batch(world.admin, [a.id for a in assessments])
    batch.created_at = LONG_AGO
    batch.items[0].status, batch.items[0].claimed_at = BatchItemStatus.RUNNING, LONG_AGO
    db.session.commit()
    return batch


def test_a_batch_whose_worker_died_is_queued_again_and_finished_once(app, world):
    batch = stalled_batch(world)
    outcome = converge.call_local("2026-11-26T12:00:00+00:00")
    # Queued again (the tests run tasks at once): every item issued, once.
    assert outcome["requeued_batches"] == [batch.id]
    db.session.expire_all()
    assert {item.status for item in batch.items} == {BatchItemStatus.ISSUED}
    assert batch.finished_at is not None and batch.requeued_at is not None
    assert count(Certificate) == 2
    assert batches.stalled_batches() == []


def test_a_batch_is_queued_again_at_most_once_per_lease(app, world):
    batch = stalled_batch(world)
    app.config["BATCH_ITEM_LEASE_SECONDS"] = 3600
    db.session.execute(update(IssuanceBatch).values(requeued_at=datetime.now(UTC)))
    db.session.commit()
    assert batches.stalled_batches() == []  # queued again a moment ago: maybe still waiting
    db.session.execute(
        update(IssuanceBatch).values(requeued_at=datetime.now(UTC) - timedelta(hours=2))
    )
    db.session.commit()
    assert race(app, *[lambda go: go() or batches.stalled_batches()] * 4).count([batch.id]) == 1


def test_a_batch_with_a_live_run_or_a_fresh_claim_is_left_alone(app, world):
    batch = stalled_batch(world)
    db.session.execute(
        update(BatchItem)
        .where(BatchItem.id == batch.items[1].id)
        .values(status=BatchItemStatus.RUNNING, claimed_at=datetime.now(UTC))
    )
    db.session.commit()
    assert batches.stalled_batches() == []


def test_a_batch_whose_run_died_with_nothing_left_to_do_is_marked_finished(app, world):
    batch = stalled_batch(world)
    for item in batch.items:
        item.status = BatchItemStatus.FAILED
    db.session.commit()
    assert batches.stalled_batches() == []
    db.session.expire_all()
    assert batch.finished_at is not None and batch.requeued_at is None
