"""The issued PDFs in the app's store (app/storage.py): where each goes, reading one back with
its check, and the sweep that removes files no committed certificate points to.

A certificate's PDF is stored under `certificates/<pdf_path>`, where `pdf_path`
(`<year>/<public id>.pdf`) is committed in the certificate's own row: a file exists for a
reason exactly when a row names it. A transaction that rolls back removes its file at once
(app/storage.put_with_transaction); a process killed between the write and the commit cannot,
and `sweep_orphan_files` removes what it left once it is older than a grace period.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from typing import BinaryIO

from flask import current_app
from sqlalchemy import select

from app.certificates.models import Certificate
from app.db_types import utcnow
from app.extensions import db
from app.storage import (
    Storage,
    current_storage,
    open_checked,
    put_with_transaction,
    wait_for_files,
)

log = logging.getLogger(__name__)

PREFIX = "certificates/"
# Keys looked up in the database at once during a sweep (one IN list).
SWEEP_PAGE = 500


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


@dataclass
class SweepReport:
    checked: int = 0
    kept: int = 0
    too_recent: int = 0
    removed: list[str] = field(default_factory=list)


def sweep_grace() -> timedelta:
    return timedelta(seconds=int(current_app.config["STORAGE_SWEEP_GRACE_SECONDS"]))


def sweep_orphan_files(
    grace: timedelta | None = None, dry_run: bool = False, storage: Storage | None = None
) -> SweepReport:
    """Remove every stored file under `certificates/` that no certificate row names and that is
    older than `grace` (STORAGE_SWEEP_GRACE_SECONDS by default, so that an issuance between its
    write and its commit is never swept). Each removal is logged with its key, size and age.

    Reads only committed rows; writes nothing to the database. Safe to run on several machines
    at once (a removal of a file already removed is not an error). For `flask storage sweep` and
    the scheduler.
    """
    storage = storage or current_storage()
    grace = sweep_grace() if grace is None else grace
    now = utcnow()
    cutoff = now - grace
    report = SweepReport()
    listing = storage.list(PREFIX)
    while page := list(islice(listing, SWEEP_PAGE)):
        report.checked += len(page)
        old = [item for item in page if item.modified <= cutoff]
        report.too_recent += len(page) - len(old)
        named = set(
            db.session.scalars(
                select(Certificate.pdf_path).where(
                    Certificate.pdf_path.in_([item.key[len(PREFIX) :] for item in old])
                )
            )
            if old
            else ()
        )
        for item in old:
            if item.key[len(PREFIX) :] in named:
                report.kept += 1
                continue
            log.warning(
                "%s orphan file %s (%d bytes, %s old): no certificate names it",
                "would remove" if dry_run else "removing",
                item.key,
                item.size,
                now - item.modified,
            )
            if not dry_run:
                storage.delete(item.key)
            report.removed.append(item.key)
    log.info(
        "storage sweep of %s%s: %d files checked, %d kept, %d too recent, %d %s",
        storage.url,
        PREFIX,
        report.checked,
        report.kept,
        report.too_recent,
        len(report.removed),
        "orphans found (dry run)" if dry_run else "orphans removed",
    )
    return report
