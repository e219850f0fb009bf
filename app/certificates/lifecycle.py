"""A certificate's life after issue: suspension, reinstatement, revocation."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.audit.services import record_event
from app.certificates.models import Certificate, CertificateStatus, PublicReason
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


WITHDRAWN = {CertificateStatus.SUSPENDED, CertificateStatus.REVOKED}


def change_certificate_status(
    actor: User,
    certificate: Certificate,
    new_status: str,
    reason: str,
    public_reason: str | None = None,
    public_note: str = "",
) -> None:
    """Suspend, reinstate or revoke; the public page shows the change at once.

    `reason` is the detailed reason, kept for staff and the audit trail only. A suspension or
    revocation also needs `public_reason` (one of PublicReason), the only reason the public
    pages show, with an optional `public_note`; reinstating clears them. Revocation is final.
    Raises PermissionDenied outside the actor's centre, ValidationFailed for a transition that
    is not allowed or a missing reason, and CertificateChanged when the
    status changed since the certificate was read (another change, or a reissue, at the same
    moment): the transition was judged from a status that no longer holds.
    """
    ensure_may_manage(actor, certificate)
    new_status = CertificateStatus(new_status)
    if new_status not in allowed_statuses(certificate):
        raise ValidationFailed.on("status", _l("This change of status is not allowed."))
    if not reason.strip():
        raise ValidationFailed.on("reason", _l("Give the reason; it stays internal."))
    if new_status in WITHDRAWN:
        if public_reason not in {member.value for member in PublicReason}:
            raise ValidationFailed.on(
                "public_reason", _l("Choose the reason the public verification page shows.")
            )
        public_reason = PublicReason(public_reason)
    else:
        public_reason, public_note = None, ""
    if not claim_row(certificate, Certificate.status, [certificate.status]):
        raise CertificateChanged()
    previous = certificate.status
    certificate.status = new_status
    certificate.status_reason = reason.strip() if new_status != CertificateStatus.VALID else ""
    certificate.public_reason = public_reason
    certificate.public_note = public_note.strip()
    if new_status == CertificateStatus.REVOKED:
        certificate.revoked_at = utcnow()
    db.session.flush()
    record_event(
        actor,
        f"certificate.{new_status.value}",
        certificate,
        previous=previous,
        reason=reason.strip(),
        public_reason=public_reason.value if public_reason else None,
        public_note=public_note.strip(),
    )


def revoke_certificate(
    actor: User,
    certificate: Certificate,
    reason: str,
    public_reason: str = PublicReason.BODY_DECISION,
    public_note: str = "",
) -> None:
    change_certificate_status(
        actor, certificate, CertificateStatus.REVOKED, reason, public_reason, public_note
    )
