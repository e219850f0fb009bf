"""Accreditation as the national system has it: an evaluator assesses a standard on a day only
with a cédula in force for it that day and, in force that day too, a certificate of the
evaluator standard (EC0076) and one of the standard itself (Credential): issued in Avala, or
elsewhere (then its folio and a copy of the file, kept in the store).

Every change is in the audit trail. Scheduling, result entry and sign-off ask
`accreditation_problems` (app/assessments/services.py).
"""

import hashlib
import unicodedata
import uuid
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Accreditation, Credential, User
from app.accounts.roles import Role
from app.accounts.rules import (
    EVALUATOR_STANDARD_CODE,
    LACKS_CEDULA,
    LACKS_EVALUATOR_STANDARD,
    InForce,
    accreditation_gaps,
    base_code,
)
from app.audit.services import record_event
from app.dates import today
from app.db_types import utcnow
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import lock_row
from app.standards import offers
from app.storage import current_storage, put_with_transaction
from app.uploads import check_document

CREDENTIAL_PREFIX = "accreditations/credentials"
MAX_CREDENTIAL_BYTES = 5 * 1024 * 1024


def ensure_may_manage_accreditations(actor: User, evaluator: User) -> None:
    """The administrator of the evaluator's centre manages their accreditations."""
    if (
        actor.role != Role.ADMIN
        or evaluator.role != Role.EVALUATOR
        or evaluator.centre_id != actor.centre_id
    ):
        raise PermissionDenied(_l("Only the administrator of this evaluator's centre can."))


def _check_period(valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from:
        raise ValidationFailed.on("valid_until", _l("The end date is before the start date."))


def _clean_number(number: str) -> str:
    number = " ".join((number or "").split())
    if not number:
        raise ValidationFailed.on("number", _l("Enter the number of the cédula."))
    return number


def accredit_evaluator(
    *, actor: User, evaluator: User, standard, valid_from: date, valid_until: date, number: str
) -> Accreditation:
    """Record an evaluator's cédula for `standard`, which the evaluator's centre must offer,
    over a period. Raises PermissionDenied or ValidationFailed (per field); a second cédula
    starting the same day is refused by the database's unique index."""
    ensure_may_manage_accreditations(actor, evaluator)
    if not offers.is_offered(evaluator.centre_id, standard.id):
        raise ValidationFailed.on("standard", offers.NOT_OFFERED)
    number = _clean_number(number)
    _check_period(valid_from, valid_until)
    accreditation = Accreditation(
        evaluator=evaluator,
        standard_id=standard.id,
        valid_from=valid_from,
        valid_until=valid_until,
        number=number,
    )
    db.session.add(accreditation)
    db.session.flush()
    record_event(
        actor,
        "accreditation.granted",
        accreditation,
        evaluator_id=evaluator.id,
        standard_id=standard.id,
        number=number,
        valid_from=valid_from.isoformat(),
        valid_until=valid_until.isoformat(),
    )
    return accreditation


def change_accreditation(
    actor: User, accreditation: Accreditation, *, number: str, valid_from: date, valid_until: date
) -> None:
    """Correct a cédula's number or validity; the old values stay in the audit trail.
    Assessments already booked are checked again when results are recorded and signed off."""
    ensure_may_manage_accreditations(actor, accreditation.evaluator)
    if accreditation.is_withdrawn:
        raise ValidationFailed(_l("A withdrawn accreditation cannot be changed."))
    number = _clean_number(number)
    _check_period(valid_from, valid_until)
    lock_row(accreditation)
    before = _values(accreditation)
    accreditation.number = number
    accreditation.valid_from, accreditation.valid_until = valid_from, valid_until
    db.session.flush()
    after = _values(accreditation)
    if before != after:
        record_event(actor, "accreditation.changed", accreditation, before=before, after=after)


def _values(accreditation: Accreditation) -> dict:
    return {
        "number": accreditation.number,
        "valid_from": accreditation.valid_from.isoformat(),
        "valid_until": accreditation.valid_until.isoformat(),
    }


def withdraw_accreditation(actor: User, accreditation: Accreditation, reason: str) -> None:
    """End a cédula now: the evaluator can no longer be booked for, record or sign off that
    standard on its strength. A reason is required. Withdrawn once."""
    ensure_may_manage_accreditations(actor, accreditation.evaluator)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed.on("reason", _l("Say why the accreditation is withdrawn."))
    lock_row(accreditation)
    if accreditation.is_withdrawn:
        raise ValidationFailed(_l("This accreditation has already been withdrawn."))
    accreditation.withdrawn_at = utcnow()
    accreditation.withdrawal_reason = reason
    db.session.flush()
    record_event(actor, "accreditation.withdrawn", accreditation, reason=reason)


# --- the certificates an evaluator holds ----------------------------------------------------


def _comparable_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _check_code(standard_code: str) -> str:
    code = base_code(standard_code or "")
    if not code or len(code) > 20 or not code.isalnum():
        raise ValidationFailed.on("standard_code", _l("Enter the standard's code, e.g. EC0076."))
    return code


def record_issued_credential(
    actor: User, evaluator: User, *, standard_code: str, folio: str
) -> Credential:
    """Record a certificate issued in Avala that the evaluator holds, found by its folio: it
    must certify that standard, name the evaluator, and be valid today."""
    from app.certificates.models import Certificate, PublicStatus

    ensure_may_manage_accreditations(actor, evaluator)
    code = _check_code(standard_code)
    folio = (folio or "").strip()
    certificate = db.session.scalar(select(Certificate).where(Certificate.folio == folio))
    if certificate is None:
        raise ValidationFailed.on("folio", _l("No certificate issued in Avala has this folio."))
    if base_code(certificate.standard_code) != code:
        raise ValidationFailed.on(
            "folio", _l("This certificate is of %(code)s.", code=certificate.standard_code)
        )
    if _comparable_name(certificate.holder_name) != _comparable_name(evaluator.full_name):
        raise ValidationFailed.on("folio", _l("This certificate is held by someone else."))
    if certificate.public_status(today()) != PublicStatus.VALID:
        raise ValidationFailed.on("folio", _l("This certificate is not valid."))
    credential = Credential(
        evaluator=evaluator,
        standard_code=code,
        folio=certificate.folio,
        certificate_id=certificate.id,
        valid_until=certificate.valid_until,
        recorded_by_id=actor.id,
    )
    return _add_credential(actor, credential)


def record_external_credential(
    actor: User,
    evaluator: User,
    *,
    standard_code: str,
    folio: str,
    valid_until: date | None,
    file: bytes | None,
) -> Credential:
    """Record a certificate issued elsewhere: its folio, validity (None: indefinite) and a copy
    of the file (PDF, PNG or JPEG), kept in the store with the row's transaction."""
    ensure_may_manage_accreditations(actor, evaluator)
    code = _check_code(standard_code)
    folio = " ".join((folio or "").split())
    if not folio or len(folio) > 80:
        raise ValidationFailed.on("folio", _l("Enter the certificate's folio."))
    if not file:
        raise ValidationFailed.on("file", _l("Attach a copy of the certificate."))
    document = check_document(file, field="file", max_bytes=MAX_CREDENTIAL_BYTES)
    key = f"{CREDENTIAL_PREFIX}/{uuid.uuid4().hex}{document.extension}"
    credential = Credential(
        evaluator=evaluator,
        standard_code=code,
        folio=folio,
        file_key=key,
        file_sha256=hashlib.sha256(document.data).hexdigest(),
        file_mimetype=document.mimetype,
        valid_until=valid_until,
        recorded_by_id=actor.id,
    )
    credential = _add_credential(actor, credential)
    put_with_transaction(db.session, current_storage(), key, document.data)
    return credential


def _add_credential(actor: User, credential: Credential) -> Credential:
    duplicate = db.session.scalar(
        select(Credential.id).where(
            Credential.evaluator_id == credential.evaluator.id,
            Credential.standard_code == credential.standard_code,
            Credential.folio == credential.folio,
        )
    )
    if duplicate:
        raise ValidationFailed.on("folio", _l("This certificate is already recorded."))
    db.session.add(credential)
    db.session.flush()
    record_event(
        actor,
        "credential.recorded",
        credential,
        evaluator_id=credential.evaluator.id,
        standard_code=credential.standard_code,
        folio=credential.folio,
        issued_here=credential.is_issued_here,
        valid_until=credential.valid_until.isoformat() if credential.valid_until else None,
    )
    return credential


# --- in force? ------------------------------------------------------------------------------


def accreditation_problems(evaluator: User, standard, first_day: date, last_day: date) -> list:
    """Why `evaluator` may not assess `standard` on every day from `first_day` to `last_day`
    (messages for the user), or an empty list."""
    cedulas = db.session.scalars(
        select(Accreditation).where(
            Accreditation.evaluator_id == evaluator.id,
            Accreditation.standard_id == standard.id,
            Accreditation.withdrawn_at.is_(None),
        )
    )
    credentials = list(
        db.session.scalars(select(Credential).where(Credential.evaluator_id == evaluator.id))
    )

    def held(code: str) -> list[InForce]:
        return [InForce(None, c.valid_until) for c in credentials if c.standard_code == code]

    gaps = accreditation_gaps(
        cedulas=[InForce(a.valid_from, a.valid_until) for a in cedulas],
        evaluator_certificates=held(EVALUATOR_STANDARD_CODE),
        standard_certificates=held(base_code(standard.code)),
        days=sorted({first_day, last_day}),
    )
    day = format_date(first_day, "medium")
    messages = {
        LACKS_CEDULA: _l(
            "This evaluator is not accredited for %(code)s on %(day)s.",
            code=standard.full_code,
            day=day,
        ),
        LACKS_EVALUATOR_STANDARD: _l(
            "This evaluator holds no certificate of the evaluator standard %(code)s valid on "
            "%(day)s.",
            code=EVALUATOR_STANDARD_CODE,
            day=day,
        ),
    }
    standard_message = _l(
        "This evaluator holds no certificate of %(code)s valid on %(day)s.",
        code=base_code(standard.code),
        day=day,
    )
    return [messages.get(gap, standard_message) for gap in gaps]
