from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Candidate, User
from app.accounts.roles import Role
from app.appeals.queries import held_by_appeal
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.rules import Judgement
from app.errors import NotFound
from app.extensions import db
from app.standards.models import Criterion, Instrument, InstrumentItem, Standard


def _visible_to(user: User):
    """The assessments a user may see: the server-side rule behind every list and detail page."""
    query = select(Assessment)
    if user.role == Role.ADMIN:
        return query.where(Assessment.centre_id == user.centre_id)
    if user.role == Role.EVALUATOR:
        return query.where(Assessment.evaluator_id == user.id)
    if user.role == Role.REVIEWER:
        return query.where(
            Assessment.centre_id == user.centre_id, Assessment.evaluator_id != user.id
        )
    return query.join(Candidate).where(Candidate.user_id == user.id)


def list_assessments_for(user: User, status: str | None = None) -> list[Assessment]:
    query = _visible_to(user).options(
        selectinload(Assessment.candidate).selectinload(Candidate.user),
        selectinload(Assessment.standard),
        selectinload(Assessment.evaluator),
    )
    if status:
        query = query.where(Assessment.status == status)
    return list(db.session.scalars(query.order_by(Assessment.starts_at.desc())))


def get_assessment_for(user: User, assessment_id: int) -> Assessment:
    """One assessment with its instrument and results; NotFound if the user may not see it."""
    assessment = db.session.scalar(
        _visible_to(user)
        .where(Assessment.id == assessment_id)
        .options(
            selectinload(Assessment.results),
            selectinload(Assessment.standard)
            .selectinload(Standard.instrument)
            .selectinload(Instrument.items)
            .selectinload(InstrumentItem.criterion)
            .selectinload(Criterion.element),
        )
    )
    if assessment is None:
        raise NotFound()
    return assessment


def list_ready_to_certify(user: User) -> list[Assessment]:
    """Approved Competente judgements of the user's centre that have no certificate yet and
    no appeal holding them back."""
    held = set(db.session.scalars(select(Assessment.id).where(held_by_appeal())))
    return [
        assessment
        for assessment in list_assessments_for(user, AssessmentStatus.REVIEWED)
        if assessment.judgement == Judgement.COMPETENT and assessment.id not in held
    ]
