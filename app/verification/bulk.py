"""The bulk verification: an employer's list of folios, each with its holder's CURP or first
surname, answered row by row by the single folio lookup's rules (services.look_up_folios).

A row says only what its holder data already proves: the certificate's status, validity, standard
and public page when folio and holder match; otherwise "no match", the same words for an unknown
folio and for a folio of someone else. Nothing is stored: the CSV download carries the answers
signed by the server (so the file is the server's answer, not what a browser sent back).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.certificates.models import PublicStatus
from app.verification.bulk_files import FolioRow
from app.verification.services import look_up_folios

SALT = "bulk-verification-results"
# The download button of a results page works this long after the file was checked.
RESULTS_VALID_SECONDS = 3600


@dataclass(frozen=True)
class RowAnswer:
    number: int
    folio: str
    status: PublicStatus | None = None  # None: no certificate matches this folio and holder
    valid_until: date | None = None
    standard: str = ""
    public_id: str = ""

    @property
    def matches(self) -> bool:
        return self.status is not None


def verify_rows(rows: list[FolioRow], today: date) -> list[RowAnswer]:
    """One answer per row, in the file's order; one query for the whole file."""
    answers = look_up_folios([(row.folio, row.holder) for row in rows])
    pairs = zip(rows, answers, strict=True)
    return [_row_answer(row, answer.certificate, today) for row, answer in pairs]


def _row_answer(row: FolioRow, certificate, today: date) -> RowAnswer:
    if certificate is None:
        return RowAnswer(row.number, row.folio.strip().upper())
    return RowAnswer(
        row.number,
        certificate.folio,
        certificate.public_status(today),
        certificate.valid_until,
        f"{certificate.standard_code} {certificate.standard_title}",
        certificate.public_id,
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def seal(answers: list[RowAnswer]) -> str:
    """The answers as a signed, compressed token, for the results page's download button."""
    return _serializer().dumps(
        [
            [
                answer.number,
                answer.folio,
                answer.status.value if answer.status else "",
                answer.valid_until.isoformat() if answer.valid_until else "",
                answer.standard,
                answer.public_id,
            ]
            for answer in answers
        ]
    )


def unseal(token: str) -> list[RowAnswer] | None:
    """The answers a token of `seal` holds; None when it was altered or is too old."""
    try:
        rows = _serializer().loads(token, max_age=RESULTS_VALID_SECONDS)
    except BadSignature:  # SignatureExpired is one
        return None
    return [
        RowAnswer(
            number,
            folio,
            PublicStatus(status) if status else None,
            date.fromisoformat(valid_until) if valid_until else None,
            standard,
            public_id,
        )
        for number, folio, status, valid_until, standard, public_id in rows
    ]


# The CSV's columns, named in the reader's language (the input accepts either language too).
CSV_COLUMNS = (
    _l("row"),
    _l("folio"),
    _l("result"),
    _l("status"),
    _l("valid_until"),
    _l("standard"),
    _l("link"),
)


def results_csv(answers: list[RowAnswer], page_url) -> str:
    """The answers as CSV in the current language; `page_url(public_id)` is a page's address."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(column) for column in CSV_COLUMNS])
    for answer in answers:
        writer.writerow(_csv_row(answer, page_url))
    return out.getvalue()


def _csv_row(answer: RowAnswer, page_url) -> list:
    if not answer.matches:
        return [answer.number, _csv_safe(answer.folio), _("no match"), "", "", "", ""]
    valid_until = answer.valid_until.isoformat() if answer.valid_until else _("indefinite")
    return [
        answer.number,
        answer.folio,
        _("match"),
        str(answer.status.label),
        valid_until,
        _csv_safe(answer.standard),
        page_url(answer.public_id),
    ]


def _csv_safe(text: str) -> str:
    """A text that did not come from us alone (a folio as typed by the uploader, a title typed
    by staff) kept from being read as a formula by a spreadsheet."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
