"""The assessment plan (plan de evaluación) and the candidate's acceptances of it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.assessments.models import Assessment
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.labels import LabelledEnum


class EvidenceType(LabelledEnum):
    OBSERVATION = "observation", _l("Observation")
    PRODUCT = "product", _l("Product")
    QUESTIONNAIRE = "questionnaire", _l("Questionnaire")


class AssessmentPlan(db.Model):
    """What will be assessed, with which evidence, where and when: one plan per assessment.

    `content` is the plan as plain values (see app.assessments.plans.plan_content); its
    canonical SHA-256 is `content_hash`. Every change of content raises `version`; the
    candidate accepts a content hash (PlanAcceptance), so a changed plan needs a new acceptance.
    """

    __tablename__ = "assessment_plans"
    __repr_attrs__ = ("assessment_id", "version")
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    content: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    updated_by: Mapped[User] = relationship()
    acceptances: Mapped[list["PlanAcceptance"]] = relationship(
        back_populates="plan", order_by="PlanAcceptance.accepted_at"
    )

    @property
    def current_acceptance(self) -> "PlanAcceptance | None":
        return next((a for a in self.acceptances if a.content_hash == self.content_hash), None)

    @property
    def is_accepted(self) -> bool:
        return self.current_acceptance is not None

    @property
    def has_pending_changes(self) -> bool:
        """Accepted once, changed since: "cambios pendientes de aceptar"."""
        return bool(self.acceptances) and not self.is_accepted


class PlanAcceptance(db.Model):
    """The candidate accepted this exact content of the plan, at this time; never changed.

    Unique per (plan, content hash): a second acceptance of the same content (a double click,
    two tabs) is refused by the database."""

    __tablename__ = "plan_acceptances"
    __repr_attrs__ = ("plan_id", "version", "content_hash")
    __table_args__ = (UniqueConstraint("plan_id", "content_hash", name="uq_plan_acceptance_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("assessment_plans.id"))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    # The content accepted, kept as it was: the plan itself may change afterwards.
    content: Mapped[dict] = mapped_column(JSON)
    accepted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[AssessmentPlan] = relationship(back_populates="acceptances")
    accepted_by: Mapped[User] = relationship()
