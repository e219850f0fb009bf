"""Evidence files follow their transaction on every store, and are purged after the retention
period by the command and by the daily job, each purge audited, the row kept with its hash."""

import io
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.db_types import utcnow
from app.errors import ValidationFailed
from app.evidence.models import EvidenceFile
from app.evidence.retention import purge_expired_evidence
from app.evidence.services import add_evidence
from app.extensions import db
from app.tasks import huey, purge_evidence
from tests.conftest import STORAGES, storage_for
from tests.evidence_files import pdf, photo, stored, stored_evidence_keys


@pytest.fixture(params=STORAGES)
def storage_settings(request):
    """Every test here runs on the local folder and on the S3-compatible store."""
    return storage_for(request)


def attach(world, assessment, data=None, name="foto.jpg", position=0):
    item = world.standard.instrument.items[position]
    return add_evidence(world.evaluator, assessment, item.id, io.BytesIO(data or photo()), name)


def test_a_file_whose_transaction_rolls_back_leaves_nothing_behind(world):
    assessment = world.schedule()
    db.session.commit()
    evidence = attach(world, assessment)
    assert stored_evidence_keys() == [evidence.storage_key]  # written while streaming
    db.session.rollback()
    assert stored_evidence_keys() == []
    assert db.session.scalars(select(EvidenceFile)).all() == []
    kept = attach(world, assessment, pdf(), "acta.pdf")
    db.session.commit()
    assert stored_evidence_keys() == [kept.storage_key] and stored(kept.storage_key) == pdf()


def test_a_file_over_the_limit_is_cut_off_while_streaming_and_leaves_nothing(app, world):
    assessment = world.schedule()
    db.session.commit()
    app.config["EVIDENCE_MAX_BYTES"] = 100_000
    with pytest.raises(ValidationFailed) as refused:
        attach(world, assessment, photo() + bytes(200_000))
    assert "file" in refused.value.reasons
    db.session.rollback()
    assert stored_evidence_keys() == []


def test_the_purge_removes_files_past_the_retention_period_and_keeps_their_rows(app, world, runner):
    old = world.schedule(hours_from_now=1)
    recent = world.schedule(world.other_candidate, hours_from_now=4)
    db.session.commit()
    old_file, recent_file = attach(world, old), attach(world, recent, pdf(), "acta.pdf")
    world.judge(old), world.judge(recent)
    old.signed_off_at = utcnow() - timedelta(days=1827)
    recent.signed_off_at = utcnow() - timedelta(days=1825)
    db.session.commit()
    result = runner.invoke(args=["evidence", "purge", "--dry-run"])
    assert "1 evidence files would be purged" in result.output
    assert len(stored_evidence_keys()) == 2
    result = runner.invoke(args=["evidence", "purge"])
    assert result.exit_code == 0 and "1 evidence files purged" in result.output
    db.session.expire_all()
    assert old_file.purged_at is not None and recent_file.purged_at is None
    assert old_file.sha256 and stored_evidence_keys() == [recent_file.storage_key]
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.purged"))
    assert event.object_id == old_file.id and event.details["sha256"] == old_file.sha256
    assert "1 evidence files purged" not in runner.invoke(args=["evidence", "purge"]).output


def test_an_assessment_open_again_is_not_purged(app, world):
    assessment = world.schedule()
    db.session.commit()
    attach(world, assessment)
    world.judge(assessment)
    assessment.signed_off_at = utcnow() - timedelta(days=4000)
    from app.assessments.services import return_judgement

    return_judgement(world.reviewer, assessment, "Falta la foto del producto.")
    db.session.commit()
    assert purge_expired_evidence() == []


def test_the_daily_job_purges_once_a_day(app, world):
    app.config["EVIDENCE_RETENTION_DAYS"] = 180
    assessment = world.schedule()
    db.session.commit()
    evidence = attach(world, assessment)
    world.judge(assessment)
    assessment.signed_off_at = utcnow() - timedelta(days=181)
    db.session.commit()
    first = purge_evidence.for_period.call_local("2026-11-27T03:00:00+00:00")
    again = purge_evidence.for_period.call_local("2026-11-27T03:20:00+00:00")
    assert (first["ran"], first["purged_evidence"], again["ran"]) == (True, 1, False)
    db.session.expire_all()
    assert evidence.purged_at is not None and stored_evidence_keys() == []


def test_the_purge_job_is_scheduled_daily():
    def scheduled(moment):
        return {task.name for task in huey.read_periodic(moment)}

    assert "evidence_purge" in scheduled(datetime(2026, 11, 26, 3, 0))
    assert "evidence_purge" not in scheduled(datetime(2026, 11, 26, 4, 0))
    assert "evidence_purge" not in scheduled(datetime(2026, 11, 26, 3, 5))


def test_evidence_racing_the_sign_off_lands_before_it_or_leaves_nothing(app, world):
    from app.assessments.models import Assessment
    from app.assessments.services import record_item_results, sign_off_judgement
    from app.errors import DomainError
    from tests.concurrency import race

    assessment = world.schedule()
    items = world.standard.instrument.items
    record_item_results(world.evaluator, assessment, {i.id: (True, "") for i in items})
    db.session.commit()
    ids = (assessment.id, world.evaluator.id)

    def loaded():
        from app.accounts.models import User

        return db.session.get(Assessment, ids[0]), db.session.get(User, ids[1])

    def add(go):
        target, evaluator = loaded()
        go()
        return add_evidence(evaluator, target, items[0].id, io.BytesIO(photo()), "foto.jpg").id

    def sign(go):
        target, evaluator = loaded()
        go()
        sign_off_judgement(evaluator, target, "Buen desempeño general; reforzar el cierre.")

    added, signed = race(app, add, sign)
    assert signed is None  # the sign-off always goes through
    rows = db.session.scalars(select(EvidenceFile)).all()
    assert stored_evidence_keys() == sorted(r.storage_key for r in rows)
    if isinstance(added, DomainError):
        assert rows == []  # refused: nothing stored
    else:
        assert [r.id for r in rows] == [added]
