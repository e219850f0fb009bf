from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Candidate, Centre, User
from app.assessments.rules import Judgement
from app.assessments.sampling import ReviewSelection
from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db
from app.labels import LabelledEnum
from app.standards.models import InstrumentItem, Standard


class AssessmentStatus(LabelledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    IN_PROGRESS = "in_progress", _l("In progress")
    JUDGED = "judged", _l("Awaiting review")
    RETURNED = "returned", _l("Returned to the evaluator")
    REVIEWED = "reviewed", _l("Reviewed")
    CERTIFIED = "certified", _l("Certified")
    CANCELLED = "cancelled", _l("Cancelled")


# States in which the evaluator may still record or change item results.
EDITABLE_STATUSES = (
    AssessmentStatus.SCHEDULED,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.RETURNED,
)
# States that occupy the evaluator's and candidate's calendar.
BOOKED_STATUSES = (AssessmentStatus.SCHEDULED, AssessmentStatus.IN_PROGRESS)


def _never_double_booked(person: str) -> ExcludeConstraint:
    """PostgreSQL refuses two booked assessments of one person whose times overlap, even from
    parallel transactions. Times are naive UTC, hence tsrange; '[)' lets one session end when
    the next starts. SQLite has no such constraint: see assessments.services.book()."""
    return ExcludeConstraint(
        (person, "="),
        (literal_column("tsrange(starts_at, ends_at)"), "&&"),
        name=f"ex_assessments_{person.removesuffix('_id')}_overlap",
        using="gist",
        where=text(f"status IN ({sql_values(BOOKED_STATUSES)})"),
    )


# What the reports group and filter the assessments by (see the indexes below).
REPORTED_COLUMNS = ["centre_id", "standard_id", "evaluator_id", "status", "judgement"]


class Assessment(db.Model):
    __tablename__ = "assessments"
    __repr_attrs__ = ("status", "judgement", "standard_id")
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_values(AssessmentStatus)})", name="status_known"),
        CheckConstraint(
            f"judgement IS NULL OR judgement IN ({sql_values(Judgement)})", name="judgement_known"
        ),
        CheckConstraint("ends_at > starts_at", name="period_ordered"),
        CheckConstraint(
            f"review_selection IS NULL OR review_selection IN ({sql_values(ReviewSelection)})",
            name="review_selection_known",
        ),
        CheckConstraint(
            "reviewer_id IS NULL OR reviewer_id <> evaluator_id", name="reviewer_not_evaluator"
        ),
        Index("ix_assessments_evaluator_start", "evaluator_id", "starts_at"),
        # The reports (app/reports/queries.py) count by centre and period, or every centre;
        # across every centre PostgreSQL reads the counted columns from the index alone.
        Index("ix_assessments_centre_start", "centre_id", "starts_at"),
        Index("ix_assessments_centre_signed_off", "centre_id", "signed_off_at"),
        Index("ix_assessments_start", "starts_at", postgresql_include=REPORTED_COLUMNS),
        Index("ix_assessments_signed_off", "signed_off_at", postgresql_include=REPORTED_COLUMNS),
        _never_double_booked("evaluator_id"),
        _never_double_booked("candidate_id"),
        # A re-assessment follows one attempt, and an attempt is followed at most once.
        UniqueConstraint("follows_assessment_id", name="uq_assessments_follows"),
        CheckConstraint(
            "follows_assessment_id IS NULL OR follows_assessment_id <> id", name="follows_other"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"))
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(200))
    # When the evaluator declared, themselves, that they did not train this candidate; None
    # until then, and no result can be recorded meanwhile (services.ensure_may_record).
    no_conflict_declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[AssessmentStatus] = mapped_column(
        StoredEnum(AssessmentStatus), default=AssessmentStatus.SCHEDULED
    )
    judgement: Mapped[Judgement | None] = mapped_column(StoredEnum(Judgement))
    score_percent: Mapped[float | None]
    # Why the rule gave the judgement, as signed (assessments.signing.reasons_for): the threshold,
    # the weights and the critical items not met. Kept because the results can change after a
    # reviewer returns the judgement, while the candidate must still see why it was given.
    judgement_reasons: Mapped[dict | None] = mapped_column(JSON)
    feedback: Mapped[str] = mapped_column(Text, default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    # Why the centre cancelled the session (status cancelled); told to both people.
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The calendar event's SEQUENCE (RFC 5546): raised by every change sent after the booking,
    # so calendars apply a cancellation over the invitation they hold.
    calendar_sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    # Whether the signed-off judgement went to the quality reviewer, and why (sampling.py);
    # NOT_SAMPLED judgements became REVIEWED at sign-off with no reviewer (review_waived).
    review_selection: Mapped[ReviewSelection | None] = mapped_column(StoredEnum(ReviewSelection))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The attempt this re-assessment follows (app/appeals/reassessments.py).
    follows_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))

    centre: Mapped[Centre] = relationship()
    candidate: Mapped[Candidate] = relationship()
    standard: Mapped[Standard] = relationship()
    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    results: Mapped[list["ItemResult"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )
    follows: Mapped["Assessment | None"] = relationship(
        remote_side=[id], foreign_keys=[follows_assessment_id]
    )

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def review_waived(self) -> bool:
        return self.review_selection == ReviewSelection.NOT_SAMPLED

    @property
    def is_competent(self) -> bool:
        return self.judgement == Judgement.COMPETENT

    def result_for(self, item_id: int) -> "ItemResult | None":
        return next((r for r in self.results if r.item_id == item_id), None)


class ItemResult(db.Model):
    """Met / not met for one instrument item, with the evaluator's observation."""

    __tablename__ = "item_results"
    __repr_attrs__ = ("assessment_id", "item_id", "is_met")
    __table_args__ = (UniqueConstraint("assessment_id", "item_id", name="assessment_item"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("instrument_items.id"))
    is_met: Mapped[bool]
    observation: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="results")
    item: Mapped[InstrumentItem] = relationship()


class RecordAcknowledgement(db.Model):
    """The candidate's "He recibido mi cédula": once per assessment (the unique index), with
    the SHA-256 of the cédula's content they were shown (app/assessments/records.py)."""

    __tablename__ = "record_acknowledgements"
    __repr_attrs__ = ("assessment_id", "acknowledged_at")
    __table_args__ = (UniqueConstraint("assessment_id", name="record_acknowledged_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    record_sha256: Mapped[str] = mapped_column(String(64))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SessionReminder(db.Model):
    """The reminder of a session the day before, sent once per assessment to the candidate and
    the evaluator (assessments/reminders.py inserts the row before it queues the e-mails)."""

    __tablename__ = "session_reminders"
    __repr_attrs__ = ("assessment_id",)
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
