"""Adding and removing evidence files (the purge: retention.py). Services flush, the caller
commits; a file written for a transaction that does not commit is removed again (storage.py)."""

import hashlib
import uuid
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.assessments.models import EDITABLE_STATUSES, Assessment
from app.assessments.services import SIGNED_OFF_MEANWHILE, ensure_may_record
from app.audit.services import record_event
from app.errors import Conflict, ValidationFailed
from app.evidence import rules
from app.evidence.models import EvidenceFile
from app.extensions import db
from app.locks import claim_row
from app.storage import current_storage, delete_after_commit, put_stream_with_transaction

PREFIX = "evidence/"
EMPTY = _l("The file is empty.")
NOT_ALLOWED = _l(
    "This kind of file cannot be evidence. Attach a photo (JPEG, PNG, WebP, HEIC), a PDF, "
    "an office document (Word, Excel, PowerPoint, OpenDocument) or a video (MP4, MOV, WebM)."
)


class TooLarge(Exception):
    pass


class HashingReader:
    """Reads `head` and then `rest`, hashing and counting as it goes, and raises TooLarge as
    soon as more than `max_bytes` have passed: an upload is never held whole in memory."""

    def __init__(self, head: bytes, rest: BinaryIO, max_bytes: int):
        self._head, self._rest, self._max = head, rest, max_bytes
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(chunk) :]
        else:
            chunk = self._rest.read(size)
        self.size += len(chunk)
        if self.size > self._max:
            raise TooLarge()
        self.digest.update(chunk)
        return chunk


def ensure_may_add(actor: User, assessment: Assessment) -> None:
    """Evidence is part of recording results: the assigned evaluator, while results may be
    recorded (declared, started, accredited, not yet signed off)."""
    ensure_may_record(actor, assessment)


def ensure_may_remove(actor: User, evidence: EvidenceFile) -> None:
    ensure_may_record(actor, evidence.assessment)


def add_evidence(
    actor: User, assessment: Assessment, item_id: int | None, stream: BinaryIO, filename: str
) -> EvidenceFile:
    """Check the upload by its content and store it, streamed and hashed, for one item.

    Raises ValidationFailed (on "item" or "file") for an item not in the instrument, an empty
    file, a kind not allowed, a name whose extension lies about the content, or a file larger
    than EVIDENCE_MAX_BYTES; nothing is stored then.
    """
    ensure_may_add(actor, assessment)
    if item_id not in {item.id for item in assessment.standard.instrument.items}:
        raise ValidationFailed.on("item", _l("Choose an item of this assessment."))
    kind, head, name = _checked_start(stream, filename)
    max_bytes = current_app.config["EVIDENCE_MAX_BYTES"]
    key = f"{PREFIX}{assessment.id}/{uuid.uuid4().hex}.{kind.extension}"
    reader = HashingReader(head, stream, max_bytes)
    try:
        put_stream_with_transaction(db.session, current_storage(), key, reader)
    except TooLarge:
        raise ValidationFailed.on(
            "file", _l("The file must be at most %(limit)s.", limit=rules.size_label(max_bytes))
        ) from None
    # Locked after the (long) write, so a sign-off is not held up by an upload meanwhile.
    if not claim_row(assessment, Assessment.status, EDITABLE_STATUSES):
        raise Conflict(SIGNED_OFF_MEANWHILE)
    evidence = EvidenceFile(
        assessment_id=assessment.id,
        item_id=item_id,
        storage_key=key,
        original_name=name or f"evidencia.{kind.extension}",
        mimetype=kind.mimetype,
        extension=kind.extension,
        size_bytes=reader.size,
        sha256=reader.digest.hexdigest(),
        uploaded_by_id=actor.id,
    )
    db.session.add(evidence)
    db.session.flush()
    record_event(actor, "evidence.added", evidence, **evidence.audit_details())
    return evidence


def _checked_start(stream: BinaryIO, filename: str) -> tuple[rules.EvidenceKind, bytes, str]:
    head = stream.read(rules.HEAD_SIZE)
    if not head:
        raise ValidationFailed.on("file", EMPTY)
    kind = rules.kind_of(head)
    if kind is None:
        raise ValidationFailed.on("file", NOT_ALLOWED)
    name = rules.display_name(filename)
    if not rules.name_matches(name, kind):
        raise ValidationFailed.on(
            "file",
            _l(
                "The file's name ends in .%(claimed)s but its content is a %(actual)s file.",
                claimed=rules.claimed_extension(name),
                actual=kind.extension.upper(),
            ),
        )
    return kind, head, name


def remove_evidence(actor: User, evidence: EvidenceFile) -> None:
    """The evaluator takes a file back before sign-off; the trail keeps what it was."""
    ensure_may_remove(actor, evidence)
    if not claim_row(evidence.assessment, Assessment.status, EDITABLE_STATUSES):
        raise Conflict(SIGNED_OFF_MEANWHILE)
    record_event(actor, "evidence.removed", evidence, **evidence.audit_details())
    delete_after_commit(db.session, current_storage(), evidence.storage_key)
    db.session.delete(evidence)
    db.session.flush()
