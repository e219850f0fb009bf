"""A recertified certificate gives way to its successor: kept apart from recertification.py
(which books assessments and sends mail) so that issuing can call it without importing either.
"""

from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import record_event
from app.certificates.models import (
    Certificate,
    CertificateStatus,
    RecertificationRequest,
    RecertificationStatus,
)
from app.db_types import utcnow
from app.extensions import db
from app.locks import claim_row

# A recertification replaces a certificate that still stands (or has just expired).
RENEWABLE = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)


def supersede_recertified(actor: User, successor: Certificate) -> Certificate | None:
    """When `successor` comes from a recertification's assessment, the old certificate is
    superseded by it (and the request completed); the old one, or None.

    Called by issue_certificate in the issuing transaction. An old certificate revoked
    meanwhile stays revoked: a recertification never undoes a revocation.
    """
    request = db.session.scalar(
        select(RecertificationRequest).where(
            RecertificationRequest.assessment_id == successor.assessment_id,
            RecertificationRequest.status == RecertificationStatus.SCHEDULED,
        )
    )
    if request is None:
        return None
    old = request.certificate
    request.status = RecertificationStatus.COMPLETED
    request.completed_at = utcnow()
    if not claim_row(old, Certificate.status, RENEWABLE):
        return None
    old.status = CertificateStatus.SUPERSEDED
    old.status_reason = f"Recertified: {successor.folio}"
    old.superseded_by = successor
    db.session.flush()
    record_event(actor, "certificate.superseded", old, by=successor.folio, reason="recertification")
    return old
