"""Folios stay unique and gap-free when several workers issue at the same instant.

Meaningful on both databases: PostgreSQL has row locks and real parallel transactions; on a
SQLite file the number is taken in its own short transaction too, whose single write lock the
parallel issuers take in turn.
"""

import threading

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.assessments.models import Assessment
from app.certificates.designs import UnknownDesign
from app.certificates.models import Certificate
from app.certificates.numbering import takes_number_in_own_transaction
from app.certificates.services import issue_certificate
from app.extensions import db
from tests import factories
from tests.concurrency import voids_once_every_gap_is_explained

THREADS = 4
PER_THREAD = 4


def test_parallel_issuers_never_share_or_skip_a_folio(app, world):
    candidates = [
        factories.make_candidate(world.admin, f"Persona {n}") for n in range(THREADS * PER_THREAD)
    ]
    assessment_ids = [
        world.approved(candidate, hours_from_now=n + 1).id for n, candidate in enumerate(candidates)
    ]
    db.session.commit()
    admin_id = world.admin.id
    barrier = threading.Barrier(THREADS)
    errors = []

    def issue_slice(ids):
        try:
            with app.app_context():
                barrier.wait()
                admin = db.session.get(User, admin_id)
                for assessment_id in ids:
                    issue_certificate(admin, db.session.get(Assessment, assessment_id))
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    slices = [assessment_ids[n::THREADS] for n in range(THREADS)]
    threads = [threading.Thread(target=issue_slice, args=(ids,)) for ids in slices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    folios = db.session.scalars(select(Certificate.folio)).all()
    numbers = sorted(int(folio.rsplit("-", 1)[1]) for folio in folios)
    assert len(folios) == len(set(folios)) == THREADS * PER_THREAD
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))


def test_every_gap_in_the_sequence_is_explained(app, world):
    world.centre.certificate_design = "deleted-design"
    doomed = world.approved()
    db.session.commit()
    with pytest.raises(UnknownDesign):
        issue_certificate(world.admin, doomed)
    db.session.rollback()
    world.centre.certificate_design = None
    issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=3))
    db.session.commit()
    voided = voids_once_every_gap_is_explained()
    assert all("UnknownDesign" in reason for reason in voided.values())


def test_the_number_is_taken_apart_only_while_the_session_has_written_nothing(app, world):
    db.session.commit()
    assert takes_number_in_own_transaction()
    world.centre.name = "Centro renombrado"
    db.session.flush()
    # SQLite's single write lock now belongs to the session: a second connection would wait.
    assert takes_number_in_own_transaction() == (db.engine.dialect.name != "sqlite")


def test_an_issuer_that_has_already_written_neither_waits_for_itself_nor_leaves_a_gap(app, world):
    first = world.approved()
    db.session.flush()  # like the demo loader: issue in the transaction that built the record
    issue_certificate(world.admin, first)
    db.session.commit()

    world.centre.certificate_design = "deleted-design"
    doomed = world.approved(world.other_candidate, hours_from_now=3)
    world.centre.name = "Centro renombrado"  # pending, not flushed, when issuing starts
    with pytest.raises(UnknownDesign):
        issue_certificate(world.admin, doomed)
    db.session.rollback()
    world.centre.certificate_design = None
    issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=5))
    db.session.commit()
    voided = voids_once_every_gap_is_explained()
    if db.engine.dialect.name == "sqlite":
        assert voided == {}  # the number went back with the failed transaction
