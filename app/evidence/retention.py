"""The end of a portfolio's retention: its files are removed, its rows kept (purged_at, hash).

Kept apart from services.py so that the daily job (app/tasks.py) imports no assessment service
(which imports the mail, which imports the task queue).
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.assessments.models import EDITABLE_STATUSES, Assessment
from app.audit.services import record_event
from app.db_types import utcnow
from app.evidence.models import EvidenceFile
from app.extensions import db
from app.storage import current_storage, delete_after_commit


def expired_evidence(now: datetime, retention_days: int) -> list[EvidenceFile]:
    """Files still stored whose assessment was judged more than `retention_days` ago and is
    no longer open to changes (a returned judgement is being worked on again)."""
    cutoff = now - timedelta(days=retention_days)
    return list(
        db.session.scalars(
            select(EvidenceFile)
            .join(Assessment, EvidenceFile.assessment_id == Assessment.id)
            .where(
                EvidenceFile.purged_at.is_(None),
                Assessment.signed_off_at.is_not(None),
                Assessment.signed_off_at < cutoff,
                Assessment.status.not_in(EDITABLE_STATUSES),
            )
            .order_by(EvidenceFile.id)
        )
    )


def purge_expired_evidence(now: datetime | None = None, retention_days: int | None = None):
    """Remove the files of portfolios past EVIDENCE_RETENTION_DAYS after their judgement. Each
    row stays, marked purged, with its hash; each purge is audited. The files go once the
    caller commits. Returns the ids purged."""
    now = now or utcnow()
    if retention_days is None:
        retention_days = current_app.config["EVIDENCE_RETENTION_DAYS"]
    purged = []
    for evidence in expired_evidence(now, retention_days):
        evidence.purged_at = now
        record_event(
            None,
            "evidence.purged",
            evidence,
            retention_days=retention_days,
            **evidence.audit_details(),
        )
        delete_after_commit(db.session, current_storage(), evidence.storage_key)
        purged.append(evidence.id)
    db.session.flush()
    return purged
