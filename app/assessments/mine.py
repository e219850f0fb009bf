"""The candidate's side: their assessments, each with what they need to know or do next."""

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import User
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.plan_models import AssessmentPlan
from app.assessments.plans import get_plan
from app.assessments.queries import list_assessments_for
from app.certificates.models import Certificate
from app.extensions import db
from app.standards.models import InstrumentItem

# The judgement reaches the candidate once the quality reviewer approved it.
APPROVED_STATUSES = (AssessmentStatus.REVIEWED, AssessmentStatus.CERTIFIED)


@dataclass
class Reason:
    """Why a judgement is "Todavía no competente", from the recorded results."""

    unmet_critical: list[InstrumentItem]
    score_percent: float
    threshold_percent: int

    @property
    def below_threshold(self) -> bool:
        return self.score_percent < self.threshold_percent


@dataclass
class MyAssessment:
    assessment: Assessment
    plan: AssessmentPlan | None
    is_upcoming: bool
    shows_judgement: bool
    reason: Reason | None
    certificates: list[Certificate]


def _reason(assessment: Assessment) -> Reason | None:
    if assessment.is_competent or assessment.score_percent is None:
        return None
    instrument = assessment.standard.instrument
    unmet = [
        item
        for item in instrument.items
        if item.is_critical and (r := assessment.result_for(item.id)) is not None and not r.is_met
    ]
    return Reason(unmet, assessment.score_percent, instrument.threshold_percent)


def list_my_assessments(user: User) -> list[MyAssessment]:
    """The candidate's own assessments (the visibility rule of queries._visible_to), newest
    first; a judgement only once approved by the quality reviewer."""
    mine = []
    for assessment in list_assessments_for(user):
        approved = assessment.status in APPROVED_STATUSES and assessment.judgement is not None
        certificates = list(
            db.session.scalars(
                select(Certificate)
                .where(Certificate.assessment_id == assessment.id)
                .order_by(Certificate.issued_at.desc())
            )
        )
        mine.append(
            MyAssessment(
                assessment=assessment,
                plan=get_plan(assessment),
                is_upcoming=assessment.status == AssessmentStatus.SCHEDULED,
                shows_judgement=approved,
                reason=_reason(assessment) if approved else None,
                certificates=certificates,
            )
        )
    return mine
