from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.assessments.models import Assessment
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.standards.models import InstrumentItem


class EvidenceFile(db.Model):
    """One file attached to one item of one assessment.

    The bytes live in the store under `storage_key` (made by the app, never from the user's
    file name); `original_name` is display metadata only. After the retention period the file
    is removed and `purged_at` set: the row, with its SHA-256, stays so the index still lists
    what the portfolio held.
    """

    __tablename__ = "evidence_files"
    __repr_attrs__ = ("assessment_id", "item_id", "mimetype", "size_bytes")
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
        Index("ix_evidence_files_assessment_item", "assessment_id", "item_id"),
        Index("ix_evidence_files_storage_key", "storage_key", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("instrument_items.id"))
    storage_key: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    mimetype: Mapped[str] = mapped_column(String(100))
    extension: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assessment: Mapped[Assessment] = relationship()
    item: Mapped[InstrumentItem] = relationship()
    uploaded_by: Mapped[User] = relationship()

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def audit_details(self) -> dict:
        """What the trail keeps of the file when it is added, removed or purged."""
        return {
            "assessment_id": self.assessment_id,
            "item_id": self.item_id,
            "name": self.original_name,
            "mimetype": self.mimetype,
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
        }
