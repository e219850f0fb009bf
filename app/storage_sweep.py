"""The sweep: removes every stored file that no committed row names, whatever area wrote it.

Each kind of file the app keeps lives under its own prefix and exists for a reason exactly when
a committed row names it: an issued PDF (`certificates/`, its certificate's `pdf_path`), an
evidence file not yet purged (`evidence/`), an appeal's file (`appeals/`). A transaction that
rolls back removes its file at once (app/storage.put_with_transaction), and a row's file goes
once the change that drops it commits (delete_after_commit). A process killed between the write
and the commit cannot do either, nor can a removal that failed after its commit; the sweep
removes what they left once it is older than a grace period. Files under any other prefix
(exports, logos) are never touched.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from flask import current_app
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute

from app.appeals.models import AppealFile
from app.appeals.services import FILE_PREFIX as APPEAL_FILES
from app.certificates.files import PREFIX as CERTIFICATE_FILES
from app.certificates.models import Certificate
from app.db_types import utcnow
from app.evidence.models import EvidenceFile
from app.evidence.services import PREFIX as EVIDENCE_FILES
from app.extensions import db
from app.storage import Storage, current_storage

log = logging.getLogger(__name__)

# Keys looked up in the database at once during a sweep (one IN list).
SWEEP_PAGE = 500


@dataclass(frozen=True)
class StoredKind:
    """Files under `prefix`, each named by `column` of a row for which `keeps` holds; the
    column holds the whole key, or (`relative`) the key without the prefix."""

    prefix: str
    column: InstrumentedAttribute
    keeps: ColumnElement[bool] = field(default_factory=true)
    relative: bool = False

    def named(self, keys: list[str]) -> set[str]:
        """Those of `keys` that a committed row names."""
        start = len(self.prefix) if self.relative else 0
        values = [key[start:] for key in keys]
        found = set(
            db.session.scalars(select(self.column).where(self.column.in_(values), self.keeps))
        )
        return {key for key in keys if key[start:] in found}


STORED_KINDS = (
    StoredKind(CERTIFICATE_FILES, Certificate.pdf_path, relative=True),
    # A purged file's row stays with its hash; the file itself must go.
    StoredKind(EVIDENCE_FILES, EvidenceFile.storage_key, EvidenceFile.purged_at.is_(None)),
    StoredKind(f"{APPEAL_FILES}/", AppealFile.file_key),
)


@dataclass
class SweepReport:
    checked: int = 0
    kept: int = 0
    too_recent: int = 0
    removed: list[str] = field(default_factory=list)


def sweep_grace() -> timedelta:
    return timedelta(seconds=int(current_app.config["STORAGE_SWEEP_GRACE_SECONDS"]))


def sweep_orphan_files(
    grace: timedelta | None = None,
    dry_run: bool = False,
    storage: Storage | None = None,
    kinds: Iterable[StoredKind] = STORED_KINDS,
) -> SweepReport:
    """Remove every stored file of `kinds` that no committed row names and that is older than
    `grace` (STORAGE_SWEEP_GRACE_SECONDS by default, so that a write between its file and its
    commit is never swept). Each removal is logged with its key, size and age.

    Reads only committed rows; writes nothing to the database. Safe to run on several machines
    at once (a removal of a file already removed is not an error). For `flask storage sweep`.
    """
    storage = storage or current_storage()
    grace = sweep_grace() if grace is None else grace
    report = SweepReport()
    now = utcnow()
    for kind in kinds:
        _sweep_kind(kind, storage, now, now - grace, dry_run, report)
    log.info(
        "storage sweep of %s: %d files checked, %d kept, %d too recent, %d %s",
        storage.url,
        report.checked,
        report.kept,
        report.too_recent,
        len(report.removed),
        "orphans found (dry run)" if dry_run else "orphans removed",
    )
    return report


def _sweep_kind(
    kind: StoredKind, storage: Storage, now, cutoff, dry_run: bool, report: SweepReport
) -> None:
    listing = storage.list(kind.prefix)
    while page := list(islice(listing, SWEEP_PAGE)):
        report.checked += len(page)
        old = [item for item in page if item.modified <= cutoff]
        report.too_recent += len(page) - len(old)
        named = kind.named([item.key for item in old]) if old else set()
        for item in old:
            if item.key in named:
                report.kept += 1
                continue
            log.warning(
                "%s orphan file %s (%d bytes, %s old): no row names it",
                "would remove" if dry_run else "removing",
                item.key,
                item.size,
                now - item.modified,
            )
            if not dry_run:
                storage.delete(item.key)
            report.removed.append(item.key)
