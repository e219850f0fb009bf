"""Reading appeals: who sees which, and whether an appeal holds a judgement back."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Candidate, User
from app.accounts.roles import Role
from app.appeals.models import HOLDING_STATUSES, Appeal, AppealFile, AppealStatus
from app.assessments.models import Assessment
from app.errors import NotFound
from app.extensions import db

STAFF_ROLES = (Role.ADMIN, Role.EVALUATOR, Role.REVIEWER)


def held_by_appeal():
    """SQL: the assessment has an open or upheld appeal (a filter for Assessment queries)."""
    return exists().where(
        Appeal.assessment_id == Assessment.id, Appeal.status.in_(HOLDING_STATUSES)
    )


def certification_hold(assessment: Assessment) -> str | None:
    """Why an appeal keeps this judgement from being certified now, or None."""
    status = db.session.scalar(
        select(Appeal.status)
        .where(Appeal.assessment_id == assessment.id, Appeal.status.in_(HOLDING_STATUSES))
        .limit(1)
    )
    if status == AppealStatus.OPEN:
        return _l(
            "The candidate appealed this judgement; it can be certified only once "
            "the appeal is dismissed."
        )
    if status == AppealStatus.UPHELD:
        return _l("An appeal against this judgement was upheld; the re-assessment decides.")
    return None


def _visible_to(user: User):
    """Staff see their centre's appeals; a candidate sees their own; nobody else any."""
    query = select(Appeal)
    if user.role in STAFF_ROLES:
        return query.where(Appeal.centre_id == user.centre_id)
    if user.role == Role.CANDIDATE:
        return (
            query.join(Assessment, Appeal.assessment_id == Assessment.id)
            .join(Candidate, Assessment.candidate_id == Candidate.id)
            .where(Candidate.user_id == user.id)
        )
    return query.where(False)


def list_appeals_for(user: User) -> list[Appeal]:
    query = _visible_to(user).options(
        selectinload(Appeal.assessment).selectinload(Assessment.standard),
        selectinload(Appeal.assessment)
        .selectinload(Assessment.candidate)
        .selectinload(Candidate.user),
    )
    # Open ones first (they wait for someone), then the newest.
    return sorted(
        db.session.scalars(query.order_by(Appeal.filed_at.desc())),
        key=lambda appeal: not appeal.is_open,
    )


def get_appeal_for(user: User, appeal_id: int) -> Appeal:
    appeal = db.session.scalar(_visible_to(user).where(Appeal.id == appeal_id))
    if appeal is None:
        raise NotFound()
    return appeal


def get_appeal_file_for(user: User, appeal_id: int, file_id: int) -> AppealFile:
    appeal = get_appeal_for(user, appeal_id)
    found = next((f for f in appeal.files if f.id == file_id), None)
    if found is None:
        raise NotFound()
    return found


def list_appeals_of(assessment: Assessment) -> list[Appeal]:
    return list(
        db.session.scalars(
            select(Appeal).where(Appeal.assessment_id == assessment.id).order_by(Appeal.id)
        )
    )


def list_admins_of(centre_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.centre_id == centre_id, User.role == Role.ADMIN, User.is_active_account
            )
        )
    )
