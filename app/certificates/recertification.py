"""Recertification: the holder asks to be assessed again, the centre schedules the assessment,
and the certificate issued from it supersedes the old one, whose pages then link to the new."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.roles import Role
from app.assessments.models import Assessment
from app.assessments.services import schedule_assessment
from app.audit.services import record_event
from app.certificates.models import (
    OPEN_RECERTIFICATION_INDEX,
    Certificate,
    CertificateStatus,
    RecertificationRequest,
    RecertificationStatus,
)
from app.db_types import utcnow
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import claim_row, violates
from app.mail.services import public_url, send_mail


class AlreadyRequested(Conflict):
    def __init__(self):
        super().__init__(_l("Recertification of this certificate has already been requested."))


OPEN_STATUSES = (RecertificationStatus.REQUESTED, RecertificationStatus.SCHEDULED)


def open_request_for(certificate: Certificate) -> RecertificationRequest | None:
    return db.session.scalar(
        select(RecertificationRequest).where(
            RecertificationRequest.certificate_id == certificate.id,
            RecertificationRequest.status.in_(OPEN_STATUSES),
        )
    )


def ensure_may_request(actor: User, certificate: Certificate) -> None:
    """Only the holder asks, for a valid (or expired) certificate with a validity end."""
    if certificate.candidate.user_id != actor.id:
        raise PermissionDenied(_l("Only the holder can ask for recertification."))
    if certificate.status != CertificateStatus.VALID or certificate.valid_until is None:
        raise ValidationFailed(_l("Only a valid certificate with an end date can be renewed."))
    if open_request_for(certificate) is not None:
        raise AlreadyRequested()


def request_recertification(actor: User, certificate: Certificate) -> RecertificationRequest:
    """Record the holder's request and e-mail the centre's administrators.

    At most one open request per certificate, kept by a partial unique index: a second request,
    even one made at the same instant, raises AlreadyRequested. Raises PermissionDenied for
    anyone but the holder and ValidationFailed for a certificate that cannot be renewed.
    """
    ensure_may_request(actor, certificate)
    request = RecertificationRequest(
        certificate=certificate, centre_id=certificate.centre_id, requested_by_id=actor.id
    )
    db.session.add(request)
    try:
        db.session.flush()
    except IntegrityError as error:
        if violates(error, OPEN_RECERTIFICATION_INDEX):
            raise AlreadyRequested() from error
        raise
    record_event(actor, "recertification.requested", certificate, folio=certificate.folio)
    _mail_centre_admins(certificate)
    return request


def _mail_centre_admins(certificate: Certificate) -> None:
    admins = db.session.scalars(
        select(User).where(
            User.centre_id == certificate.centre_id,
            User.role == Role.ADMIN,
            User.is_active_account.is_(True),
        )
    )
    for admin in admins:
        send_mail(
            admin.email,
            "recertification_requested",
            admin.language,
            {
                "full_name": admin.full_name,
                "holder_name": certificate.holder_name,
                "folio": certificate.folio,
                "code": certificate.standard_code,
                "title": certificate.standard_title,
                "valid_until": certificate.valid_until.isoformat(),
                "link": public_url("certificates.recertifications"),
            },
        )


# Why a request no longer waits for the centre, by its status.
_NOT_WAITING = {
    RecertificationStatus.SCHEDULED: _l("This recertification has been scheduled already."),
    RecertificationStatus.COMPLETED: _l("This certificate has been recertified already."),
    RecertificationStatus.WITHDRAWN: _l("The holder withdrew this request."),
}


def ensure_may_withdraw(actor: User, request: RecertificationRequest) -> None:
    """Only the holder withdraws, and only before the centre has scheduled the assessment (a
    booked assessment is cancelled by the centre, with its reason)."""
    if request.certificate.candidate.user_id != actor.id:
        raise PermissionDenied(_l("Only the holder can withdraw the request."))
    if request.status != RecertificationStatus.REQUESTED:
        raise ValidationFailed(_NOT_WAITING[request.status])


def withdraw_recertification(actor: User, certificate: Certificate) -> None:
    """The holder takes back the certificate's open request; they may ask again later.

    Raises PermissionDenied for anyone but the holder, ValidationFailed when no request waits
    for the centre (none, or already scheduled), and Conflict when the centre scheduled it a
    moment ago.
    """
    request = open_request_for(certificate)
    if request is None:
        raise ValidationFailed(_l("There is no recertification request to withdraw."))
    ensure_may_withdraw(actor, request)
    if not claim_row(request, RecertificationRequest.status, [RecertificationStatus.REQUESTED]):
        raise Conflict(_l("Your centre scheduled this recertification a moment ago."))
    request.status = RecertificationStatus.WITHDRAWN
    request.withdrawn_at = utcnow()
    db.session.flush()
    record_event(actor, "recertification.withdrawn", certificate, folio=certificate.folio)


def ensure_may_schedule(actor: User, request: RecertificationRequest) -> None:
    if actor.role != Role.ADMIN or actor.centre_id != request.centre_id:
        raise PermissionDenied(_l("Only an administrator of this centre can schedule it."))
    if request.status != RecertificationStatus.REQUESTED:
        raise ValidationFailed(_NOT_WAITING[request.status])


def schedule_recertification(
    actor: User,
    request: RecertificationRequest,
    *,
    evaluator: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
) -> Assessment:
    """Book the new assessment (assessments.services.schedule_assessment, every rule of a
    booking) in the old certificate's standard, link it to the request, tell the holder.

    Raises ValidationFailed with every reason the booking is refused, and Conflict when the
    request was scheduled by someone else meanwhile.
    """
    ensure_may_schedule(actor, request)
    if not claim_row(request, RecertificationRequest.status, [RecertificationStatus.REQUESTED]):
        raise Conflict(_l("Someone else scheduled or withdrew this recertification a moment ago."))
    old = request.certificate
    assessment = schedule_assessment(
        actor=actor,
        candidate=old.candidate,
        standard=old.assessment.standard,
        evaluator=evaluator,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
    )
    request.assessment = assessment
    request.status = RecertificationStatus.SCHEDULED
    request.scheduled_at = utcnow()
    db.session.flush()
    record_event(
        actor, "recertification.scheduled", old, folio=old.folio, assessment_id=assessment.id
    )
    _mail_holder_scheduled(old, assessment)
    return assessment


def _mail_holder_scheduled(certificate: Certificate, assessment: Assessment) -> None:
    holder = certificate.candidate.user
    send_mail(
        holder.email,
        "recertification_scheduled",
        holder.language,
        {
            "full_name": holder.full_name,
            "folio": certificate.folio,
            "code": certificate.standard_code,
            "title": certificate.standard_title,
            "starts_at": assessment.starts_at.isoformat(),
            "location": assessment.location,
            "link": public_url("assessments.show", assessment_id=assessment.id),
        },
    )


def list_requests(centre_id: int) -> list[RecertificationRequest]:
    """The centre's open requests first (oldest first), then the ended ones (recertified or
    withdrawn)."""
    return list(
        db.session.scalars(
            select(RecertificationRequest)
            .where(RecertificationRequest.centre_id == centre_id)
            .order_by(
                RecertificationRequest.status.not_in(OPEN_STATUSES),
                RecertificationRequest.requested_at,
            )
            .limit(500)
        )
    )


def get_request_for(actor: User, request_id: int) -> RecertificationRequest:
    request = db.session.get(RecertificationRequest, request_id)
    if request is None or request.centre_id != actor.centre_id:
        raise NotFound()
    return request
