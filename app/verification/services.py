"""What the public may learn about a certificate, and the 'is this PDF genuine?' check."""

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from sqlalchemy import select

from app.accounts.curp import InvalidCurp, normalize_curp
from app.accounts.models import Candidate
from app.certificates import signing
from app.certificates.issuer import published_public_key
from app.certificates.models import Certificate
from app.certificates.queries import PUBLIC_PAGE_LOADS
from app.extensions import db
from app.verification.rules import holder_data_matches

CHUNK = 64 * 1024


def public_record(certificate: Certificate, today: date, key_url: str) -> dict:
    """The same facts as the public page, plus the signed payload and its signature."""
    status = certificate.public_status(today)
    return {
        "status": status.value,
        # Only the public reason: the detailed one (status_reason) never leaves the staff.
        "status_reason": certificate.public_reason.value if certificate.public_reason else None,
        "status_note": certificate.public_note or None,
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


# Compared with typed holder data when the folio is unknown, so that an unknown folio costs
# the same work as a known one (holder_data_matches always compares all three).
_NOBODY = ("Nadie Ninguno Nunca", "XXXX000000XXXXXX00")


@dataclass(frozen=True)
class FolioAnswer:
    """What a folio lookup may say: the certificate (None: nothing to confirm) and whether the
    holder's name may be shown with it."""

    certificate: Certificate | None
    shows_holder: bool = False


def look_up_folio(folio: str, holder_data: str = "") -> FolioAnswer:
    """Answer a lookup by folio, private by default (folios are sequential, so anyone can walk
    them).

    Without holder data: the certificate's status and standard, with the holder's name only
    when the holder consented to the public register. With holder data (the holder's CURP,
    first surname or whole name, as on paper): the certificate with the name when the data
    match, and otherwise nothing, exactly as for an unknown folio, so a wrong guess and an
    unknown folio cannot be told apart. One query in every case.
    """
    return look_up_folios([(folio, holder_data)])[0]


def look_up_folios(lookups: Sequence[tuple[str, str]]) -> list[FolioAnswer]:
    """look_up_folio for each (folio, holder data) pair, in order, with one query for all: the
    bulk verification answers each row by exactly the single lookup's rules."""
    folios = {folio.strip().upper() for folio, _holder in lookups}
    found = {
        certificate.folio: (certificate, curp, is_listed)
        for certificate, curp, is_listed in db.session.execute(
            select(Certificate, Candidate.curp, Candidate.is_publicly_listed)
            .join(Candidate, Certificate.candidate_id == Candidate.id)
            .where(Certificate.folio.in_(folios))
            .options(*PUBLIC_PAGE_LOADS)
        ).unique()
    }
    return [_answer(found.get(folio.strip().upper()), holder) for folio, holder in lookups]


def _answer(row, holder_data: str) -> FolioAnswer:
    certificate, curp, is_listed = row if row else (None, _NOBODY[1], False)
    if holder_data.strip():
        holder_name = certificate.holder_name if certificate else _NOBODY[0]
        if holder_data_matches(holder_data, holder_name, curp) and certificate is not None:
            return FolioAnswer(certificate, shows_holder=True)
        return FolioAnswer(None)
    return FolioAnswer(certificate, shows_holder=bool(certificate and is_listed))


def signature_checks_out(certificate: Certificate) -> bool:
    """Whether the certificate's signed data verifies with the body's published key it names."""
    public_key = published_public_key(certificate.key_id)
    return public_key is not None and signing.verify(
        public_key, certificate.signed_payload, certificate.signature
    )
