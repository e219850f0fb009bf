"""What the public may learn about a certificate, and the 'is this PDF genuine?' check."""

import hashlib
import hmac
import json
from datetime import date
from typing import BinaryIO

from sqlalchemy import select

from app.accounts.curp import InvalidCurp, normalize_curp
from app.accounts.models import Candidate
from app.certificates.models import Certificate
from app.extensions import db

CHUNK = 64 * 1024


def public_record(certificate: Certificate, today: date, key_url: str) -> dict:
    """The same facts as the public page, plus the signed payload and its signature."""
    status = certificate.public_status(today)
    return {
        "status": status.value,
        "status_reason": certificate.status_reason or None,
        "revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
        "superseded_by": certificate.superseded_by.folio if certificate.superseded_by else None,
        "certificate": json.loads(certificate.signed_payload),
        "signed_payload": certificate.signed_payload,
        "signature": certificate.signature,
        "signature_algorithm": "Ed25519",
        "key_id": certificate.key_id,
        "public_key_url": key_url,
        "pdf_sha256": certificate.pdf_sha256,
    }


def is_original_pdf(certificate: Certificate, upload: BinaryIO) -> bool:
    """Hash the uploaded file as it streams in and compare it with the issued PDF; store nothing."""
    digest = hashlib.sha256()
    while chunk := upload.read(CHUNK):
        digest.update(chunk)
    return hmac.compare_digest(digest.hexdigest(), certificate.pdf_sha256)


def list_listed_certificates(curp: str) -> list[Certificate]:
    """Certificates of a holder who consented to the public register; [] for anyone else.

    An unknown CURP and a person who did not consent give the same answer, so the lookup never
    tells whether someone is registered.
    """
    try:
        curp = normalize_curp(curp)
    except InvalidCurp:
        return []
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Candidate, Certificate.candidate_id == Candidate.id)
            .where(Candidate.curp == curp, Candidate.is_publicly_listed)
            .order_by(Certificate.issued_at.desc())
        )
    )
