"""The issued PDFs in the app's store (app/storage.py): where each goes, and reading one back
with its check.

A certificate's PDF is stored under `certificates/<pdf_path>`, where `pdf_path`
(`<year>/<public id>.pdf`) is committed in the certificate's own row: a file exists for a
reason exactly when a row names it. A transaction that rolls back removes its file at once
(app/storage.put_with_transaction); a process killed between the write and the commit cannot,
and the sweep (app/storage_sweep.py) removes what it left once it is older than a grace period.
"""

from typing import BinaryIO

from app.certificates.models import Certificate
from app.extensions import db
from app.storage import (
    current_storage,
    open_checked,
    put_with_transaction,
    wait_for_files,
)

PREFIX = "certificates/"


def key_of(pdf_path: str) -> str:
    return PREFIX + pdf_path


def store_pdf(pdf_path: str, pdf: bytes) -> None:
    """Store an issued PDF, undone unless the issuing transaction commits."""
    put_with_transaction(db.session, current_storage(), key_of(pdf_path), pdf)


def open_pdf(certificate: Certificate) -> BinaryIO:
    """The stored PDF as a stream, its SHA-256 checked; raises StoredObjectMissing or
    StoredObjectAltered (app/storage.py)."""
    wait_for_files(db.session)  # a file this transaction is still writing can be read back
    return open_checked(current_storage(), key_of(certificate.pdf_path), certificate.pdf_sha256)
