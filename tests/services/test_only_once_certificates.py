"""Certificates are issued only once, even when several workers do it at the same instant:
the database decides, on SQLite and PostgreSQL alike.

Each racer runs in its own thread, app context, session and connection (tests/concurrency.py);
on PostgreSQL one test uses two real processes too.
"""

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.assessments.models import Assessment
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.errors import Conflict
from app.extensions import db
from tests.concurrency import issue_in_own_process, race, voids_once_every_gap_is_explained


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


def stored_pdfs(app) -> list[Path]:
    return sorted(Path(app.config["CERTIFICATE_STORAGE"]).rglob("*.pdf"))


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
    keys = ("SQLALCHEMY_DATABASE_URI", "INSTANCE_DIR", "CERTIFICATE_STORAGE", "SIGNING_KEY_PATH")
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
