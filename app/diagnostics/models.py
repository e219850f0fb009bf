"""A diagnostic (diagnóstico): the questionnaire of a standard's instrument, answered by the
candidate (or entered by staff) to advise whether to book an assessment or train first. It
never leads to a certificate: nothing here refers to an assessment."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Candidate, Centre, User
from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db
from app.labels import LabelledEnum
from app.standards.models import InstrumentItem, Standard


class Recommendation(LabelledEnum):
    READY = "ready", _l("Ready to be assessed")
    TRAINING = "training", _l("Training advised first")


class Diagnostic(db.Model):
    __tablename__ = "diagnostics"
    __repr_attrs__ = ("candidate_id", "standard_id", "recommendation")
    __table_args__ = (
        CheckConstraint(
            f"recommendation IS NULL OR recommendation IN ({sql_values(Recommendation)})",
            name="recommendation_known",
        ),
        # Finished means answered and advised, both or neither.
        CheckConstraint(
            "(completed_at IS NULL) = (recommendation IS NULL)", name="completed_with_advice"
        ),
        Index("ix_diagnostics_centre_created", "centre_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    score_percent: Mapped[float | None]
    recommendation: Mapped[Recommendation | None] = mapped_column(StoredEnum(Recommendation))

    centre: Mapped[Centre] = relationship()
    candidate: Mapped[Candidate] = relationship()
    standard: Mapped[Standard] = relationship()
    started_by: Mapped[User] = relationship(foreign_keys=[started_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    answers: Mapped[list["DiagnosticAnswer"]] = relationship(
        back_populates="diagnostic", cascade="all, delete-orphan"
    )

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class DiagnosticAnswer(db.Model):
    """One questionnaire item answered; once per item (the unique index decides)."""

    __tablename__ = "diagnostic_answers"
    __repr_attrs__ = ("diagnostic_id", "item_id", "is_met")
    __table_args__ = (UniqueConstraint("diagnostic_id", "item_id", name="diagnostic_item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    diagnostic_id: Mapped[int] = mapped_column(ForeignKey("diagnostics.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("instrument_items.id"))
    is_met: Mapped[bool]

    diagnostic: Mapped[Diagnostic] = relationship(back_populates="answers")
    item: Mapped[InstrumentItem] = relationship()
