"""Expiry reminders: the holder of a certificate about to expire hears of it 90, 30 and 7 days
before, once per threshold; and the centre's list of what expires soon."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app.accounts.models import Candidate
from app.certificates import rules
from app.certificates.models import (
    Certificate,
    CertificateReminder,
    CertificateStatus,
    RecertificationRequest,
    RecertificationStatus,
)
from app.dates import today
from app.extensions import db
from app.mail.services import public_url, send_mail

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

# The windows the centre's list offers, in days.
EXPIRING_WINDOWS = (7, 30, 90)


def _expiring_between(first: date, last: date):
    """Valid certificates (not suspended, revoked or superseded) whose last day is in the span."""
    return select(Certificate).where(
        Certificate.status == CertificateStatus.VALID,
        Certificate.valid_until.is_not(None),
        Certificate.valid_until >= first,
        Certificate.valid_until <= last,
    )


def _record_reminder(certificate_id: int, days_before: int) -> bool:
    """Insert the (certificate, threshold) row; True only for the one caller that inserted it.

    On PostgreSQL a parallel job inserting the same row waits for this transaction and then
    inserts nothing; on SQLite writers queue on the database lock: the unique constraint lets
    exactly one reminder through either way, and nothing is sent unless its row commits.
    """
    insert = _INSERTS[db.engine.dialect.name]
    inserted = db.session.execute(
        insert(CertificateReminder)
        .values(certificate_id=certificate_id, days_before=days_before)
        .on_conflict_do_nothing(index_elements=["certificate_id", "days_before"])
        .returning(CertificateReminder.id)
    ).scalar()
    return inserted is not None


def send_expiry_reminders(on: date | None = None) -> int:
    """Queue the reminder each expiring certificate is due and has not had; how many.

    Each certificate gets the closest threshold it has reached (rules.reminder_threshold), so a
    job that missed days sends the right one and never an earlier, larger one afterwards. The
    e-mails leave once the caller commits (the job, or the CLI command).
    """
    on = on or today()
    certificates = db.session.scalars(
        _expiring_between(on, on + timedelta(days=max(rules.REMINDER_THRESHOLDS))).options(
            selectinload(Certificate.candidate).selectinload(Candidate.user)
        )
    )
    sent = 0
    for certificate in certificates:
        days_left = (certificate.valid_until - on).days
        threshold = rules.reminder_threshold(days_left)
        if threshold is None or not _record_reminder(certificate.id, threshold):
            continue
        _mail_holder(certificate, days_left)
        sent += 1
    return sent


def _mail_holder(certificate: Certificate, days_left: int) -> None:
    holder = certificate.candidate.user
    send_mail(
        holder.email,
        "certificate_expiring",
        holder.language,
        {
            "full_name": holder.full_name,
            "folio": certificate.folio,
            "code": certificate.standard_code,
            "title": certificate.standard_title,
            "valid_until": certificate.valid_until.isoformat(),
            "days_left": days_left,
            "centre_name": certificate.centre_name,
            "link": public_url("certificates.show", public_id=certificate.public_id),
        },
    )


def list_expiring(centre_id: int, within_days: int, on: date | None = None) -> list[tuple]:
    """The centre's valid certificates whose last day is within `within_days` days, soonest
    first, each with the status of its open recertification request (or None)."""
    on = on or today()
    rows = db.session.execute(
        _expiring_between(on, on + timedelta(days=within_days))
        .add_columns(RecertificationRequest.status)
        .outerjoin(
            RecertificationRequest,
            (RecertificationRequest.certificate_id == Certificate.id)
            & (RecertificationRequest.status != RecertificationStatus.COMPLETED),
        )
        .where(Certificate.centre_id == centre_id)
        .order_by(Certificate.valid_until, Certificate.folio)
    )
    return [(cert, (cert.valid_until - on).days, status) for cert, status in rows]
