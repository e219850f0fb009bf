"""Certificates are issued, reissued, revoked and batch-issued only once, even when several
workers do it at the same instant: the database decides, on SQLite and PostgreSQL alike.

Each racer runs in its own thread, app context, session and connection (tests/concurrency.py);
on PostgreSQL one test uses two real processes too.
"""

import multiprocessing
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.certificates.batches import create_batch, run_batch
from app.certificates.lifecycle import change_certificate_status, revoke_certificate
from app.certificates.models import (
    BatchItem,
    BatchItemStatus,
    Certificate,
    CertificateStatus,
    FolioVoid,
    IssuanceBatch,
)
from app.certificates.services import issue_certificate, reissue_certificate
from app.db_types import utcnow
from app.errors import Conflict
from app.extensions import db
from tests import factories
from tests.concurrency import issue_in_own_process, race, voids_once_every_gap_is_explained
from tests.storage_tools import stored_keys


def issuing(admin_id: int, assessment_id: int):
    def step(go):
        admin = db.session.get(User, admin_id)
        assessment = db.session.get(Assessment, assessment_id)
        go()
        return issue_certificate(admin, assessment).folio

    return step


def certificates_of(assessment_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            select(Certificate)
            .where(Certificate.assessment_id == assessment_id)
            .order_by(Certificate.id)
        )
    )


def stored_pdfs(app) -> list[str]:
    return stored_keys()


def conflicts(outcomes) -> list[Conflict]:
    return [outcome for outcome in outcomes if isinstance(outcome, Conflict)]


def test_two_issuers_of_one_judgement_make_one_certificate(app, world):
    assessment_id = world.approved().id
    db.session.commit()
    outcomes = race(app, *[issuing(world.admin.id, assessment_id)] * 2)
    assert len(certificates_of(assessment_id)) == 1
    refused = conflicts(outcomes)
    assert len(refused) == 1, outcomes
    assert "ya tiene un certificado" in str(refused[0].message)
    assert len(stored_pdfs(app)) == 1  # the loser's PDF went with its transaction
    voids_once_every_gap_is_explained()  # and its folio number, if it took one, is voided


def test_the_database_refuses_a_second_live_certificate_for_one_assessment(app, world):
    first = issue_certificate(world.admin, world.approved())
    db.session.commit()
    copy = {c.key: getattr(first, c.key) for c in Certificate.__table__.columns if c.key != "id"}
    db.session.add(Certificate(**{**copy, "folio": "OTRO-1", "public_id": "otro-1"}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.postgres_only
def test_two_processes_issuing_one_judgement_make_one_certificate(app, world):
    assessment_id = world.approved().id
    db.session.commit()
    keys = ("SQLALCHEMY_DATABASE_URI", "INSTANCE_DIR", "STORAGE_URL", "SIGNING_KEY_PATH")
    overrides = {key: app.config[key] for key in keys}
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [
        context.Process(
            target=issue_in_own_process,
            args=(overrides, world.admin.id, assessment_id, barrier, results),
        )
        for _ in range(2)
    ]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["AlreadyIssued", "issued"]
    assert len(certificates_of(assessment_id)) == 1
    voids_once_every_gap_is_explained()


@pytest.fixture
def certificate(world) -> Certificate:
    issued = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return issued


def revoking(admin_id: int, certificate_id: int):
    def step(go):
        admin = db.session.get(User, admin_id)
        certificate = db.session.get(Certificate, certificate_id)
        go()
        revoke_certificate(admin, certificate, "Evidencia falsificada")
        return "revoked"

    return step


def reissuing(admin_id: int, certificate_id: int):
    def step(go):
        admin = db.session.get(User, admin_id)
        certificate = db.session.get(Certificate, certificate_id)
        go()
        return reissue_certificate(admin, certificate, "Corrección del nombre").folio

    return step


def events(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def test_a_revocation_racing_a_reissue_is_never_silently_undone(app, world, certificate):
    outcomes = race(
        app, revoking(world.admin.id, certificate.id), reissuing(world.admin.id, certificate.id)
    )
    assert len(conflicts(outcomes)) == 1, outcomes
    old, *successors = certificates_of(certificate.assessment_id)
    if outcomes[0] == "revoked":
        assert old.status == CertificateStatus.REVOKED
        assert successors == []
    else:
        assert old.status == CertificateStatus.SUPERSEDED
        assert [s.status for s in successors] == [CertificateStatus.VALID]
        assert old.superseded_by_id == successors[0].id
        assert events("certificate.revoked") == 0


def test_two_reissues_at_once_leave_one_successor(app, world, certificate):
    outcomes = race(app, *[reissuing(world.admin.id, certificate.id)] * 2)
    assert len(conflicts(outcomes)) == 1, outcomes
    old, *successors = certificates_of(certificate.assessment_id)
    assert old.status == CertificateStatus.SUPERSEDED
    assert [s.id for s in successors] == [old.superseded_by_id]
    assert events("certificate.superseded") == 1
    voids_once_every_gap_is_explained()


def test_a_suspension_and_a_revocation_at_once_record_one_change(app, world, certificate):
    def suspending(go):
        admin = db.session.get(User, world.admin.id)
        target = db.session.get(Certificate, certificate.id)
        go()
        change_certificate_status(admin, target, "suspended", "Revisión de queja", "under_review")
        return "suspended"

    outcomes = race(app, suspending, revoking(world.admin.id, certificate.id))
    assert len(conflicts(outcomes)) == 1, outcomes
    winner = next(outcome for outcome in outcomes if isinstance(outcome, str))
    assert db.session.get(Certificate, certificate.id).status == winner
    assert events("certificate.suspended") + events("certificate.revoked") == 1


def batch_of(world, size: int) -> int:
    candidates = [factories.make_candidate(world.admin, f"Persona {n}") for n in range(size)]
    approved = [world.approved(c, hours_from_now=1 + 3 * n) for n, c in enumerate(candidates)]
    batch = create_batch(world.admin, [a.id for a in approved])
    db.session.commit()
    return batch.id


def test_two_runs_of_one_batch_issue_each_item_once(app, world):
    batch_id = batch_of(world, 3)

    def running(go):
        go()
        return run_batch(batch_id)

    outcomes = race(app, running, running)
    assert all(isinstance(outcome, dict) for outcome in outcomes), outcomes
    batch = db.session.get(IssuanceBatch, batch_id)
    assert {item.status for item in batch.items} == {BatchItemStatus.ISSUED}
    for item in batch.items:
        assert [c.id for c in certificates_of(item.assessment_id)] == [item.certificate_id]
    assert db.session.scalar(select(func.count()).select_from(FolioVoid)) == 0
    assert batch.finished_at is not None


def test_a_stale_claim_is_taken_over_and_a_live_one_is_left_alone(app, world):
    batch = db.session.get(IssuanceBatch, batch_of(world, 2))
    abandoned, busy = batch.items
    lease = timedelta(seconds=app.config["BATCH_ITEM_LEASE_SECONDS"])
    abandoned.status, abandoned.claimed_at = BatchItemStatus.RUNNING, utcnow() - 2 * lease
    busy.status, busy.claimed_at = BatchItemStatus.RUNNING, utcnow()
    db.session.commit()
    run_batch(batch.id)
    db.session.expire_all()
    assert abandoned.status == BatchItemStatus.ISSUED
    assert busy.status == BatchItemStatus.RUNNING  # its worker is still on it
    assert certificates_of(busy.assessment_id) == []
    assert batch.finished_at is None  # the run that leaves nothing running finishes the batch


def test_an_item_running_elsewhere_counts_as_remaining(app, world):
    from app.certificates.queries import count_batch_items

    batch = db.session.get(IssuanceBatch, batch_of(world, 1))
    item = db.session.scalar(select(BatchItem).where(BatchItem.batch_id == batch.id))
    item.status, item.claimed_at = BatchItemStatus.RUNNING, utcnow()
    db.session.commit()
    assert count_batch_items(batch.id) == {"pending": 1, "issued": 0, "failed": 0}
