"""Batch issuance: many approved judgements certified in the background, one at a time.

Each certificate is issued and committed on its own, so one failure neither stops nor rolls
back the others; running a batch again retries only what is not issued yet. Several runs of one
batch may work at once (a re-run while the first is still going, two workers): each item is
claimed before it is issued, so only one run issues it.

A run whose worker died (killed, out of memory, host failure) leaves its batch unfinished, with
an item claimed but never issued and maybe others never reached. Its claim expires after
BATCH_ITEM_LEASE_SECONDS, and the convergence job (app/tasks.py, every minute) queues such a
batch again (`stalled_batches`): the next run takes the expired item over and issues the rest,
and the live-certificate index still refuses a second certificate for anything already issued.
"""

import logging
import shutil
import tempfile
import zipfile
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, or_, select, update

from app.accounts.models import User
from app.assessments.models import Assessment, AssessmentStatus
from app.certificates.models import BatchItem, BatchItemStatus, Certificate, IssuanceBatch
from app.certificates.queries import count_batch_items
from app.certificates.services import (
    StoredFileCorrupted,
    issue_certificate,
    open_certificate_pdf,
    report_damaged_file,
)
from app.db_types import utcnow
from app.errors import DomainError, NotFound, ValidationFailed
from app.extensions import db
from app.storage import CHUNK_SIZE

log = logging.getLogger(__name__)


def create_batch(actor: User, assessment_ids: list[int]) -> IssuanceBatch:
    """Record a batch for the chosen assessments of the actor's centre. The caller commits."""
    ids = sorted(set(assessment_ids))
    assessments = db.session.scalars(
        select(Assessment).where(Assessment.id.in_(ids), Assessment.centre_id == actor.centre_id)
    ).all()
    if not ids or len(assessments) != len(ids):
        raise ValidationFailed.on("assessments", _l("Choose judgements of this centre."))
    batch = IssuanceBatch(centre_id=actor.centre_id, created_by_id=actor.id)
    batch.items = [BatchItem(assessment=assessment) for assessment in assessments]
    db.session.add(batch)
    db.session.flush()
    return batch


def run_batch(batch_id: int) -> dict[str, int]:
    """Issue every item not issued yet, committing each on its own. Returns the counts.

    Items that another run is issuing right now are left to it; the run that leaves nothing
    running marks the batch finished.
    """
    batch = db.session.get(IssuanceBatch, batch_id)
    if batch is None:
        raise NotFound()
    batch.finished_at = None
    db.session.commit()
    item_ids = db.session.scalars(
        select(BatchItem.id)
        .where(BatchItem.batch_id == batch_id, BatchItem.status != BatchItemStatus.ISSUED)
        .order_by(BatchItem.id)
    ).all()
    # Only ids are held from here on: the session keeps loaded rows only while something refers
    # to them, so a 10,000-item run stays as small as a 1,000-item one (bench/batch.py).
    del batch
    for item_id in item_ids:
        if _claim(item_id):
            _issue_item(item_id)
    if not _is_running(batch_id):
        db.session.get(IssuanceBatch, batch_id).finished_at = utcnow()
        db.session.commit()
    return count_batch_items(batch_id)


def stalled_batches() -> list[int]:
    """Queue-again list: unfinished batches with work left and no run alive for a lease.

    A batch is stalled when it has not finished, is older than the lease, was not queued again
    within the lease, no item was claimed within the lease (a live run claims one item after
    another), and an item still waits (pending, or running on an expired claim). Each is marked
    `requeued_at` now with a compare-and-set, committed, so two sweeps at once return it once
    and a batch waiting behind a long queue is queued again at most once per lease. A stalled
    batch with nothing left to do (its run died just before marking it) is marked finished.
    The caller queues the returned batches.
    """
    now = utcnow()
    cutoff = now - timedelta(seconds=current_app.config["BATCH_ITEM_LEASE_SECONDS"])
    item_of_batch = BatchItem.batch_id == IssuanceBatch.id
    quiet = and_(
        IssuanceBatch.finished_at.is_(None),
        IssuanceBatch.created_at < cutoff,
        or_(IssuanceBatch.requeued_at.is_(None), IssuanceBatch.requeued_at < cutoff),
        ~exists().where(item_of_batch, BatchItem.claimed_at >= cutoff),
    )
    waiting = exists().where(
        item_of_batch,
        or_(
            BatchItem.status == BatchItemStatus.PENDING,
            and_(BatchItem.status == BatchItemStatus.RUNNING, BatchItem.claimed_at < cutoff),
        ),
    )
    requeued = []
    for batch_id in db.session.scalars(select(IssuanceBatch.id).where(quiet)).all():
        mark = (
            update(IssuanceBatch)
            .where(IssuanceBatch.id == batch_id, quiet)
            .execution_options(synchronize_session=False)
        )
        if db.session.execute(mark.where(waiting).values(requeued_at=now)).rowcount == 1:
            requeued.append(batch_id)
        else:
            db.session.execute(mark.where(~waiting).values(finished_at=now))
        db.session.commit()
    if requeued:
        log.warning("batches %s had no live run: queued again", requeued)
    return requeued


def _claim(item_id: int) -> bool:
    """Mark the item running for this run, and commit that, unless another run has it.

    A compare-and-set: the UPDATE matches only an item waiting (pending or failed) or one whose
    claim is older than the lease (its worker died), so of two runs at once only one gets it;
    the database decides, on SQLite and PostgreSQL alike (app/locks.py).
    """
    now = utcnow()
    abandoned = now - timedelta(seconds=current_app.config["BATCH_ITEM_LEASE_SECONDS"])
    claimed = db.session.execute(
        update(BatchItem)
        .where(
            BatchItem.id == item_id,
            or_(
                BatchItem.status.in_([BatchItemStatus.PENDING, BatchItemStatus.FAILED]),
                and_(BatchItem.status == BatchItemStatus.RUNNING, BatchItem.claimed_at < abandoned),
            ),
        )
        .values(status=BatchItemStatus.RUNNING, claimed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _is_running(batch_id: int) -> bool:
    return (
        db.session.scalar(
            select(BatchItem.id)
            .where(BatchItem.batch_id == batch_id, BatchItem.status == BatchItemStatus.RUNNING)
            .limit(1)
        )
        is not None
    )


def _issue_item(item_id: int) -> None:
    item = db.session.get(BatchItem, item_id)
    actor = db.session.get(User, item.batch.created_by_id)
    try:
        existing = _certificate_of(item.assessment)
        certificate = existing or issue_certificate(actor, item.assessment)
        item.status, item.error, item.certificate = BatchItemStatus.ISSUED, "", certificate
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - every failure is reported on its item
        db.session.rollback()
        if not isinstance(error, DomainError):
            log.exception("batch item %s failed", item_id)
        item = db.session.get(BatchItem, item_id)
        # Issued meanwhile by someone else (the Emitir button, a run that took over a stale
        # claim): the item has its certificate, which is all the batch asked for.
        certificate = _certificate_of(item.assessment)
        if certificate is not None:
            item.status, item.error, item.certificate = BatchItemStatus.ISSUED, "", certificate
        else:
            item.status, item.error = BatchItemStatus.FAILED, _reason(error)
        db.session.commit()


def _certificate_of(assessment: Assessment) -> Certificate | None:
    """The certificate already issued for this assessment, so a re-run never issues twice."""
    if assessment.status != AssessmentStatus.CERTIFIED:
        return None
    return db.session.scalar(
        select(Certificate).where(Certificate.assessment_id == assessment.id, Certificate.is_live())
    )


def _reason(error: Exception) -> str:
    if isinstance(error, DomainError):
        return str(error.message)
    return str(
        _l(
            "Unexpected error while issuing (%(kind)s); see the server log.",
            kind=type(error).__name__,
        )
    )


# The note in a batch's ZIP naming the certificates whose file could not be included.
MISSING_NOTE = "FALTANTES.txt"


# A batch's ZIP is built in memory up to this size, in a temporary file on local disk beyond.
ZIP_IN_MEMORY = 8 * 1024 * 1024


def zip_of_batch(actor: User, batch: IssuanceBatch) -> BinaryIO:
    """The issued PDFs of a batch, named by folio, for the centre to print, as a stream at its
    start that the caller closes. Each PDF is read from the store in chunks and checked before
    it goes in, so neither a whole batch nor a file that fails its check is ever held.

    A file that fails its check is left out and reported (report_damaged_file); every other
    file is still in the ZIP, and MISSING_NOTE names the folios left out.
    """
    output = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115 - returned
    try:
        missing = []
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in batch.items:
                certificate = item.certificate
                if certificate is None:
                    continue
                try:
                    pdf = open_certificate_pdf(certificate)
                except StoredFileCorrupted as error:
                    report_damaged_file(actor, certificate, error.problem, during="batch_zip")
                    missing.append(certificate.folio)
                    continue
                with pdf, archive.open(f"{certificate.folio}.pdf", "w") as entry:
                    shutil.copyfileobj(pdf, entry, CHUNK_SIZE)
            if missing:
                archive.writestr(MISSING_NOTE, _missing_note(missing))
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


def _missing_note(folios: list[str]) -> str:
    explanation = _l(
        "These certificates are not in this file: their stored PDF no longer matches the file "
        "that was issued. They are listed on the Certificates page; reissue each one to store "
        "a new file."
    )
    return "\r\n".join([str(explanation), "", *folios, ""])
