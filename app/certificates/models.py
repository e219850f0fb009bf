from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Candidate, Centre
from app.assessments.models import Assessment
from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db
from app.labels import LabelledEnum


class CertificateStatus(LabelledEnum):
    VALID = "valid", _l("Valid")
    SUSPENDED = "suspended", _l("Suspended")
    REVOKED = "revoked", _l("Revoked")
    SUPERSEDED = "superseded", _l("Superseded")


class PublicStatus(LabelledEnum):
    """What the public page says: the stored status, with expiry derived from the date."""

    VALID = "valid", _l("Valid")
    EXPIRED = "expired", _l("Expired")
    SUSPENDED = "suspended", _l("Suspended")
    REVOKED = "revoked", _l("Revoked")
    SUPERSEDED = "superseded", _l("Superseded")


class PublicReason(LabelledEnum):
    """Why a certificate was withdrawn, in words the public page may show next to the holder's
    name; the detailed reason (status_reason) stays with the staff and the audit trail."""

    DATA_ERROR = "data_error", _l("Error in the data")
    BODY_DECISION = "body_decision", _l("Decision of the certifying body")
    HOLDER_REQUEST = "holder_request", _l("Request of the holder")
    UNDER_REVIEW = "under_review", _l("Under review")


# One live certificate per assessment, whoever issues it and however many workers try at once:
# every certificate but the superseded ones counts. A reissue marks the old certificate
# superseded, and writes that, before its successor is inserted (reissue_certificate).
LIVE_CERTIFICATE_INDEX = "uq_certificates_live_assessment"
_LIVE = text("status <> 'superseded'")


class Certificate(db.Model):
    """An issued certificate; its printed facts are frozen copies, never re-read from live data."""

    __tablename__ = "certificates"
    __repr_attrs__ = ("folio", "status")
    __table_args__ = (
        Index(
            LIVE_CERTIFICATE_INDEX,
            "assessment_id",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
        # The reports count certificates issued by centre and period, or every centre.
        Index("ix_certificates_centre_issued", "centre_id", "issued_at"),
        Index(
            "ix_certificates_issued",
            "issued_at",
            postgresql_include=["centre_id", "status", "judged_on"],
        ),
        CheckConstraint(f"status IN ({sql_values(CertificateStatus)})", name="status_known"),
        CheckConstraint(
            "status <> 'revoked' OR (revoked_at IS NOT NULL AND status_reason <> '')",
            name="revocation_has_reason",
        ),
        CheckConstraint(
            f"public_reason IS NULL OR public_reason IN ({sql_values(PublicReason)})",
            name="public_reason_known",
        ),
        CheckConstraint(
            "status NOT IN ('revoked', 'suspended') OR public_reason IS NOT NULL",
            name="withdrawal_has_public_reason",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    folio: Mapped[str] = mapped_column(String(60), unique=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    holder_name: Mapped[str] = mapped_column(String(200))
    curp_masked: Mapped[str] = mapped_column(String(18))
    standard_code: Mapped[str] = mapped_column(String(30))
    standard_title: Mapped[str] = mapped_column(String(300))
    standard_level: Mapped[int]
    centre_name: Mapped[str] = mapped_column(String(200))
    body_name: Mapped[str] = mapped_column(String(200))
    evaluator_name: Mapped[str] = mapped_column(String(200))
    judged_on: Mapped[date]
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_until: Mapped[date | None]
    status: Mapped[CertificateStatus] = mapped_column(
        StoredEnum(CertificateStatus), default=CertificateStatus.VALID
    )
    # The detailed reason, for staff and the audit trail only (e.g. identity fraud).
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # What the public pages say about a suspension or revocation, and an optional public note.
    public_reason: Mapped[PublicReason | None] = mapped_column(StoredEnum(PublicReason))
    public_note: Mapped[str] = mapped_column(Text, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    design: Mapped[str] = mapped_column(String(60))
    pdf_path: Mapped[str] = mapped_column(String(300))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    signed_payload: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(200))
    key_id: Mapped[str] = mapped_column(String(64))

    assessment: Mapped[Assessment] = relationship()
    candidate: Mapped[Candidate] = relationship()
    centre: Mapped[Centre] = relationship()
    superseded_by: Mapped["Certificate | None"] = relationship(remote_side=[id])

    @classmethod
    def is_live(cls):
        """In SQL: the certificate has not been superseded by a reissue, the same condition
        as LIVE_CERTIFICATE_INDEX (one live certificate per assessment)."""
        return cls.status != CertificateStatus.SUPERSEDED

    def public_status(self, today: date) -> PublicStatus:
        if self.status != CertificateStatus.VALID:
            return PublicStatus(self.status)
        if self.valid_until is not None and today > self.valid_until:
            return PublicStatus.EXPIRED
        return PublicStatus.VALID


class FolioCounter(db.Model):
    """The last folio number used in one scope (body and year); bumped atomically."""

    __tablename__ = "folio_counters"
    __repr_attrs__ = ("scope", "last_number")
    __table_args__ = (UniqueConstraint("scope", name="scope"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(60))
    last_number: Mapped[int] = mapped_column(default=0)


class BatchItemStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting")
    RUNNING = "running", _l("Issuing")
    ISSUED = "issued", _l("Issued")
    FAILED = "failed", _l("Failed")


class IssuanceBatch(db.Model):
    """Many approved judgements certified in one go, in the background."""

    __tablename__ = "issuance_batches"
    __repr_attrs__ = ("centre_id", "finished_at")
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the convergence job last queued it again because its worker had died (batches.py).
    requeued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list["BatchItem"]] = relationship(
        back_populates="batch", order_by="BatchItem.id", cascade="all, delete-orphan"
    )


class BatchItem(db.Model):
    __tablename__ = "batch_items"
    __repr_attrs__ = ("batch_id", "assessment_id", "status")
    __table_args__ = (
        UniqueConstraint("batch_id", "assessment_id", name="batch_assessment"),
        CheckConstraint(f"status IN ({sql_values(BatchItemStatus)})", name="status_known"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("issuance_batches.id"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    status: Mapped[BatchItemStatus] = mapped_column(
        StoredEnum(BatchItemStatus), default=BatchItemStatus.PENDING
    )
    error: Mapped[str] = mapped_column(Text, default="")
    # When a run claimed the item (status running); a claim older than the lease is abandoned.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))

    batch: Mapped[IssuanceBatch] = relationship(back_populates="items")
    assessment: Mapped[Assessment] = relationship()
    certificate: Mapped[Certificate | None] = relationship()


class FolioReservation(db.Model):
    """A folio number taken in its own transaction whose issuance has not committed yet.

    Inserted in the same transaction as the counter bump; deleted in the transaction that
    commits the certificate, or in the one that voids the number. A row older than the grace
    period belongs to an issuance whose process stopped: the convergence job voids it
    (numbering.void_abandoned_numbers), so every number is issued, voided or still in flight.
    """

    __tablename__ = "folio_reservations"
    __repr_attrs__ = ("scope", "number")
    __table_args__ = (
        UniqueConstraint("scope", "number", name="uq_folio_reservations_scope_number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(60))
    number: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class FolioVoid(db.Model):
    """A folio number that was taken but never issued, and why: the sequence has no silent gaps."""

    __tablename__ = "folio_voids"
    __repr_attrs__ = ("scope", "number")
    __table_args__ = (UniqueConstraint("scope", "number", name="scope_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(60))
    number: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    voided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# At most one key signs new certificates at a time, whichever machine registers or rotates it.
ONE_ACTIVE_SIGNING_KEY_INDEX = "uq_signing_keys_one_active"
_ACTIVE_KEY = text("retired_at IS NULL")


class SigningKey(db.Model):
    """The public half of one of the body's Ed25519 keys, shared by every machine.

    The active key (not retired) signs new certificates; retired keys stay published so that
    everything they signed stays verifiable. Private keys are never stored here: each machine
    reads the active key's private half from its configured secret (SIGNING_KEY_PEM or the file
    at SIGNING_KEY_PATH).
    """

    __tablename__ = "signing_keys"
    __repr_attrs__ = ("key_id", "retired_at")
    __table_args__ = (
        Index(
            ONE_ACTIVE_SIGNING_KEY_INDEX,
            text("(retired_at IS NULL)"),
            unique=True,
            sqlite_where=_ACTIVE_KEY,
            postgresql_where=_ACTIVE_KEY,
        ),
    )
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class CertificateReminder(db.Model):
    """An expiry reminder sent to a certificate's holder: at most one per (certificate,
    threshold), however late, often or on however many workers the daily job runs
    (certificates/reminders.py inserts the row before it queues the e-mail)."""

    __tablename__ = "certificate_reminders"
    __repr_attrs__ = ("certificate_id", "days_before")
    __table_args__ = (
        UniqueConstraint(
            "certificate_id", "days_before", name="uq_certificate_reminders_certificate_days"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecertificationStatus(LabelledEnum):
    REQUESTED = "requested", _l("Requested")
    SCHEDULED = "scheduled", _l("Assessment scheduled")
    COMPLETED = "completed", _l("Recertified")
    WITHDRAWN = "withdrawn", _l("Withdrawn by the holder")


# One open request per certificate: requested or scheduled (not yet ended in a new certificate,
# nor withdrawn by the holder).
OPEN_RECERTIFICATION_INDEX = "uq_recertification_requests_open_certificate"
_OPEN = text("status IN ('requested', 'scheduled')")


class RecertificationRequest(db.Model):
    """A holder's request to be assessed again before (or after) their certificate expires.

    The centre schedules the new assessment (assessment_id); the certificate issued from it
    supersedes the old one (certificates/recertification.py). Until it is scheduled, the
    holder may withdraw it.
    """

    __tablename__ = "recertification_requests"
    __repr_attrs__ = ("certificate_id", "status")
    __table_args__ = (
        Index(
            OPEN_RECERTIFICATION_INDEX,
            "certificate_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
        CheckConstraint(f"status IN ({sql_values(RecertificationStatus)})", name="status_known"),
        CheckConstraint(
            "status IN ('requested', 'withdrawn') OR assessment_id IS NOT NULL",
            name="scheduled_has_assessment",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[RecertificationStatus] = mapped_column(
        StoredEnum(RecertificationStatus), default=RecertificationStatus.REQUESTED
    )
    # The new assessment, once scheduled: it recertifies one certificate at most.
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), unique=True)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    certificate: Mapped[Certificate] = relationship()
    assessment: Mapped[Assessment | None] = relationship()
