"""Issuing certificates: eligibility, folio, frozen facts, signature, PDF, storage."""

import hashlib
import logging
import secrets
from datetime import date
from typing import BinaryIO

from babel.dates import format_date
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.curp import mask_curp
from app.accounts.models import User
from app.accounts.roles import Role
from app.appeals.queries import certification_hold
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.rules import Judgement
from app.audit.services import record_alarm, record_event
from app.certificates import designs, files, pdf_signing, rendering, rules, signing
from app.certificates.issuer import current_signing_key, verification_url
from app.certificates.models import LIVE_CERTIFICATE_INDEX, Certificate, CertificateStatus
from app.certificates.numbering import folio_number
from app.certificates.queries import DAMAGED_FILE_EVENT
from app.certificates.succession import supersede_recertified
from app.dates import local_date
from app.db_types import utcnow
from app.errors import Conflict, PermissionDenied, StoredDataCorrupted, ValidationFailed
from app.extensions import db
from app.locks import claim_row, lock_row, violates
from app.storage import StoredObjectAltered, StoredObjectMissing

log = logging.getLogger(__name__)


class AlreadyIssued(Conflict):
    """The judgement has its certificate already, perhaps issued a moment ago by someone else."""

    def __init__(self):
        super().__init__(_l("This judgement already has a certificate."))


class CertificateChanged(Conflict):
    """Someone else changed the certificate's status between reading it and changing it."""

    def __init__(self):
        super().__init__(
            _l(
                "Someone else changed this certificate a moment ago, so nothing was saved. "
                "Reload the page to see it."
            )
        )


def new_public_id() -> str:
    """128 random bits, URL-safe: the only identifier printed in the QR code."""
    return secrets.token_urlsafe(16)


def ensure_may_certify(actor: User, assessment: Assessment) -> None:
    """Only an administrator of the assessment's centre certifies, and only a Competente
    judgement that a quality reviewer approved (DOMAIN.md, step 7)."""
    if actor.role != Role.ADMIN or actor.centre_id != assessment.centre_id:
        raise PermissionDenied(_l("Only an administrator of this centre can issue certificates."))
    if assessment.status == AssessmentStatus.CERTIFIED:
        raise AlreadyIssued()
    if assessment.status != AssessmentStatus.REVIEWED:
        raise ValidationFailed(
            _l("Only a judgement approved by a quality reviewer can be certified.")
        )
    if assessment.judgement != Judgement.COMPETENT:
        raise ValidationFailed(_l("Only a Competente judgement can be certified."))
    if (held := certification_hold(assessment)) is not None:
        raise ValidationFailed(held)


def _facts(assessment: Assessment, folio: str, public_id: str, judged_on: date) -> dict:
    """The certificate's printed and signed facts as plain values, frozen at issue."""
    standard = assessment.standard
    return {
        "folio": folio,
        "public_id": public_id,
        "holder_name": assessment.candidate.full_name,
        "curp_masked": mask_curp(assessment.candidate.curp),
        "standard_code": standard.full_code,
        "standard_title": standard.title,
        "standard_level": standard.level,
        "body_name": current_app.config["CERTIFYING_BODY_NAME"],
        "centre_name": assessment.centre.name,
        "evaluator_name": assessment.evaluator.full_name,
        "judged_on": judged_on.isoformat(),
        "issued_on": local_date(utcnow()).isoformat(),
        "valid_until": _iso(rules.valid_until(judged_on, standard.validity_years)),
        "verification_url": verification_url(public_id),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _printable(facts: dict, centre) -> dict:
    """Dates as a reader of the certificate expects them (Spanish, long form), and the logo."""

    def spanish(iso):
        return format_date(date.fromisoformat(iso), "long", locale="es_MX")

    return {
        **facts,
        "judged_on": spanish(facts["judged_on"]),
        "issued_on": spanish(facts["issued_on"]),
        "valid_until": spanish(facts["valid_until"]) if facts["valid_until"] else "Indefinida",
        "logo_uri": (
            rendering.image_data_uri(centre.logo, centre.logo_mimetype) if centre.logo else None
        ),
    }


def design_for(assessment: Assessment) -> str:
    """The centre's chosen design, or the deployment's default."""
    return assessment.centre.certificate_design or current_app.config["CERTIFICATE_DESIGN"]


def issue_certificate(actor: User, assessment: Assessment) -> Certificate:
    """Issue the certificate of an approved Competente judgement, once.

    Assigns the next folio, signs the canonical facts, renders the PDF once and signs it
    (PAdES, pdf_signing.py), stores the signed file atomically and records its SHA-256.
    Raises PermissionDenied / ValidationFailed when not eligible,
    AlreadyIssued (a Conflict) when the judgement has its certificate, even one issued at this
    very moment by another worker, and SigningKeyMissing when the body has no key. The caller
    commits; if it rolls back instead, the stored PDF is removed again.

    Once per assessment is kept by the database: the partial unique index on live certificates
    refuses a second one on every database; on PostgreSQL the lock on the assessment's row also
    makes a parallel issuer wait here and then find it certified, before it takes a folio.

    The certificate of a recertification's assessment supersedes the certificate it renews
    (succession.supersede_recertified).
    """
    lock_row(assessment)
    ensure_may_certify(actor, assessment)
    certificate = _issue(assessment)
    assessment.status = AssessmentStatus.CERTIFIED
    record_event(actor, "certificate.issued", certificate, folio=certificate.folio)
    supersede_recertified(actor, certificate)
    return certificate


def reissue_certificate(actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Issue a corrected certificate from today's records and mark the old one superseded.

    The old certificate keeps its PDF and page, which then point to the new one.
    Raises ValidationFailed when the old one is not valid or suspended, or no reason is given,
    and CertificateChanged when its status changed since it was read (a revocation, or another
    reissue, at the same moment): the loser never undoes the winner.
    """
    ensure_may_reissue(actor, certificate)
    if not reason.strip():
        raise ValidationFailed.on("reason", _l("Say why the certificate is reissued."))
    # Locked from here on (on SQLite: the whole database, through the render; reissues are rare).
    if not claim_row(certificate, Certificate.status, [certificate.status]):
        raise CertificateChanged()
    certificate.status = CertificateStatus.SUPERSEDED
    certificate.status_reason = reason.strip()
    db.session.flush()  # out of the live-certificate index before its successor enters it
    successor = _issue(certificate.assessment)
    certificate.superseded_by = successor
    db.session.flush()
    record_event(
        actor, "certificate.superseded", certificate, by=successor.folio, reason=reason.strip()
    )
    record_event(
        actor, "certificate.issued", successor, folio=successor.folio, replaces=certificate.folio
    )
    return successor


def ensure_may_manage(actor: User, certificate: Certificate) -> None:
    """Only an administrator of the issuing centre changes a certificate after issue."""
    if actor.role != Role.ADMIN or actor.centre_id != certificate.centre_id:
        raise PermissionDenied(_l("Only an administrator of this centre can change certificates."))


def ensure_may_reissue(actor: User, certificate: Certificate) -> None:
    """A correction replaces a certificate that still stands: valid or suspended."""
    ensure_may_manage(actor, certificate)
    if certificate.status not in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        raise ValidationFailed(_l("Only a valid or suspended certificate can be reissued."))


def _issue(assessment: Assessment) -> Certificate:
    config = current_app.config
    key = current_signing_key()
    year = local_date(utcnow()).year
    scope = rules.folio_scope(config["CERTIFYING_BODY_CODE"], year)
    with folio_number(scope) as number:
        return _issue_numbered(assessment, key, year, number)


def _issue_numbered(assessment: Assessment, key, year: int, number: int) -> Certificate:
    config = current_app.config
    judged_on = local_date(assessment.signed_off_at)
    folio = rules.format_folio(
        config["CERTIFYING_BODY_CODE"], assessment.standard.full_code, year, number
    )
    public_id = new_public_id()
    facts = _facts(assessment, folio, public_id, judged_on)
    payload = rules.canonical_json(facts)
    design = design_for(assessment)
    root = designs.design_dir(design, config["CERTIFICATE_DESIGNS_DIR"])
    rendered = rendering.render_certificate(root, _printable(facts, assessment.centre))
    pdf = pdf_signing.sign_certificate_pdf(rendered, key, facts["body_name"])
    pdf_path = f"{year}/{public_id}.pdf"
    files.store_pdf(pdf_path, pdf)  # removed again unless this transaction commits
    certificate = Certificate(
        folio=folio,
        public_id=public_id,
        assessment=assessment,
        candidate_id=assessment.candidate_id,
        centre_id=assessment.centre_id,
        holder_name=facts["holder_name"],
        curp_masked=facts["curp_masked"],
        standard_code=facts["standard_code"],
        standard_title=facts["standard_title"],
        standard_level=facts["standard_level"],
        centre_name=facts["centre_name"],
        body_name=facts["body_name"],
        evaluator_name=facts["evaluator_name"],
        judged_on=judged_on,
        valid_until=rules.valid_until(judged_on, assessment.standard.validity_years),
        status=CertificateStatus.VALID,
        design=design,
        pdf_path=pdf_path,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        signed_payload=payload,
        signature=signing.sign(key, payload),
        key_id=signing.key_id(key.public_key()),
    )
    db.session.add(certificate)
    try:
        db.session.flush()
    except IntegrityError as error:
        # A parallel issuer of the same judgement committed first (SQLite, or a path without
        # the lock): the folio number taken is voided on the way out (numbering.folio_number).
        if violates(error, LIVE_CERTIFICATE_INDEX):
            raise AlreadyIssued() from error
        raise
    return certificate


def open_certificate_pdf(certificate: Certificate) -> BinaryIO:
    """The stored PDF as issued, as a stream (the caller closes it); a missing or altered file
    is an alarm, never re-rendered.

    Raises StoredFileCorrupted; callers serving the file to someone use certificate_pdf_for,
    which records the alarm too.
    """
    try:
        return files.open_pdf(certificate)
    except StoredObjectMissing:
        raise StoredFileCorrupted(certificate.folio, problem="missing") from None
    except StoredObjectAltered:
        raise StoredFileCorrupted(certificate.folio, problem="altered") from None


def read_certificate_pdf(certificate: Certificate) -> bytes:
    """The stored bytes as issued, checked (see open_certificate_pdf)."""
    with open_certificate_pdf(certificate) as stream:
        return stream.read()


def certificate_pdf_for(actor: User, certificate: Certificate) -> BinaryIO:
    """The stored PDF for `actor` to download, as a checked stream the caller closes.

    Raises StoredFileCorrupted when the file is missing or altered, once the alarm is in the
    audit trail (report_damaged_file): committed already, although the request then fails.
    """
    try:
        return open_certificate_pdf(certificate)
    except StoredFileCorrupted as error:
        report_damaged_file(actor, certificate, error.problem, during="download")
        raise


def report_damaged_file(actor: User, certificate: Certificate, problem: str, during: str) -> None:
    """Alert the centre: an audit event, committed at once, that the administrator's
    certificates page lists until the certificate is reissued (queries.list_damaged_files).

    Recorded each time the file is refused, not once: each event is someone who could not get
    their certificate, which the centre may want to follow up, and no uniqueness has to be
    kept under concurrent downloads.
    """
    log.error("stored PDF of %s is %s (%s)", certificate.folio, problem, during)
    record_alarm(
        actor,
        DAMAGED_FILE_EVENT,
        certificate,
        folio=certificate.folio,
        problem=problem,
        during=during,
    )


class StoredFileCorrupted(StoredDataCorrupted):
    """The stored PDF is missing or no longer matches the SHA-256 recorded at issue.

    A 500: the server cannot fulfil a valid request because of its own damaged data, and
    retrying will not help (a 503 would invite clients to retry later) until the centre
    reissues the certificate.
    """

    hint = _l(
        "Trying again will not help until the centre reissues the certificate. Its public "
        "verification page is not affected."
    )

    def __init__(self, folio: str, problem: str):
        super().__init__(
            _l(
                "The PDF file of certificate %(folio)s cannot be served: the stored copy no "
                "longer matches the file that was issued. The centre has been alerted.",
                folio=folio,
            )
        )
        self.folio = folio
        self.problem = problem
