"""A certificate's life after issue: suspension, reinstatement, revocation."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit.services import record_event
from app.certificates.models import Certificate, CertificateStatus
from app.certificates.services import CertificateChanged, ensure_may_manage
from app.db_types import utcnow
from app.errors import ValidationFailed
from app.extensions import db
from app.locks import claim_row

# The statuses an administrator may move a certificate to, from each status.
TRANSITIONS = {
    CertificateStatus.VALID: {CertificateStatus.SUSPENDED, CertificateStatus.REVOKED},
    CertificateStatus.SUSPENDED: {CertificateStatus.VALID, CertificateStatus.REVOKED},
    CertificateStatus.REVOKED: set(),
    CertificateStatus.SUPERSEDED: set(),
}


def allowed_statuses(certificate: Certificate) -> set[CertificateStatus]:
    return TRANSITIONS[CertificateStatus(certificate.status)]


def change_certificate_status(
    actor: User, certificate: Certificate, new_status: str, reason: str
) -> None:
    """Suspend, reinstate or revoke, with a reason that the public page shows at once.

    Revocation is final. Raises PermissionDenied outside the actor's centre, ValidationFailed
    for a transition that is not allowed or a missing reason, and CertificateChanged when the
    status changed since the certificate was read (another change, or a reissue, at the same
    moment): the transition was judged from a status that no longer holds.
    """
    ensure_may_manage(actor, certificate)
    new_status = CertificateStatus(new_status)
    if new_status not in allowed_statuses(certificate):
        raise ValidationFailed.on("status", _l("This change of status is not allowed."))
    if not reason.strip():
        raise ValidationFailed.on("reason", _l("Give the reason; it is shown on the public page."))
    if not claim_row(certificate, Certificate.status, [certificate.status]):
        raise CertificateChanged()
    previous = certificate.status
    certificate.status = new_status
    certificate.status_reason = reason.strip() if new_status != CertificateStatus.VALID else ""
    if new_status == CertificateStatus.REVOKED:
        certificate.revoked_at = utcnow()
    db.session.flush()
    record_event(
        actor,
        f"certificate.{new_status.value}",
        certificate,
        previous=previous,
        reason=reason.strip(),
    )


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> None:
    change_certificate_status(actor, certificate, CertificateStatus.REVOKED, reason)
