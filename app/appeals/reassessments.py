"""Re-assessment: a new attempt linked to the one it follows (Assessment.follows_assessment_id).

The centre opens one after an upheld appeal, or after a reviewed "Todavía no competente"; it is
booked by the normal scheduling service, so every scheduling rule holds. At most one
re-assessment follows an attempt (unique index uq_assessments_follows). After "Todavía no
competente" the standard's waiting period (reassessment_wait_days) applies; after an upheld
appeal it does not (the candidate was not found lacking) but another evaluator assesses.
"""

from datetime import datetime

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.roles import Role
from app.appeals import rules
from app.appeals.models import Appeal, AppealStatus
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.rules import Judgement
from app.assessments.services import schedule_assessment
from app.audit.services import record_event
from app.dates import local_date
from app.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import violates

FOLLOWS_INDEX = "uq_assessments_follows"
UPHELD, NOT_YET_COMPETENT = "upheld", "not_yet_competent"
MAX_CHAIN = 50  # attempts shown; a real chain is a handful


def follower_of(assessment: Assessment) -> Assessment | None:
    return db.session.scalar(
        select(Assessment).where(Assessment.follows_assessment_id == assessment.id)
    )


def reassessment_basis(assessment: Assessment) -> str | None:
    """Why this attempt may be followed by a re-assessment: an upheld appeal, or a reviewed
    "Todavía no competente"; None when it may not (yet)."""
    statuses = set(
        db.session.scalars(select(Appeal.status).where(Appeal.assessment_id == assessment.id))
    )
    if AppealStatus.UPHELD in statuses:
        return UPHELD
    if AppealStatus.OPEN in statuses:
        return None
    if (
        assessment.judgement == Judgement.NOT_YET_COMPETENT
        and assessment.status == AssessmentStatus.REVIEWED
    ):
        return NOT_YET_COMPETENT
    return None


def ensure_may_reassess(actor: User, previous: Assessment) -> None:
    """An administrator of the centre, once per attempt, when there is a basis for it."""
    if actor.role != Role.ADMIN or actor.centre_id != previous.centre_id:
        raise PermissionDenied(_l("Only an administrator of this centre can schedule it."))
    if follower_of(previous) is not None:
        raise Conflict(_l("This attempt already has its re-assessment."))
    if reassessment_basis(previous) is None:
        raise ValidationFailed(
            _l(
                "A re-assessment follows an upheld appeal or a reviewed "
                "“Todavía no competente” judgement."
            )
        )


def reassessment_problems(previous: Assessment, evaluator: User, starts_at: datetime) -> dict:
    problems: dict[str, list] = {}
    if reassessment_basis(previous) == UPHELD:
        if evaluator.id == previous.evaluator_id:
            problems["evaluator"] = [_l("After an upheld appeal, another evaluator assesses.")]
        return problems
    judged_on = local_date(previous.signed_off_at)
    earliest = rules.earliest_reassessment_day(judged_on, previous.standard.reassessment_wait_days)
    if local_date(starts_at) < earliest:
        problems["starts_at"] = [
            _l(
                "This standard asks for a waiting period of %(n)d days after “Todavía no "
                "competente”: the re-assessment can start on %(date)s at the earliest.",
                n=previous.standard.reassessment_wait_days,
                date=format_date(earliest),
            )
        ]
    return problems


def schedule_reassessment(
    actor: User,
    previous: Assessment,
    *,
    evaluator: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
) -> Assessment:
    """Book the re-assessment of `previous` (same candidate and standard) with the scheduling
    service, linked to it. Raises PermissionDenied, ValidationFailed (the scheduling rules, the
    waiting period, the evaluator after an upheld appeal) and Conflict when the attempt has its
    re-assessment already, also one booked at this very moment (the unique index decides)."""
    ensure_may_reassess(actor, previous)
    if problems := reassessment_problems(previous, evaluator, starts_at):
        raise ValidationFailed(next(iter(problems.values()))[0], problems)
    assessment = schedule_assessment(
        actor=actor,
        candidate=previous.candidate,
        standard=previous.standard,
        evaluator=evaluator,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
    )
    assessment.follows_assessment_id = previous.id
    try:
        db.session.flush()
    except IntegrityError as error:
        if violates(error, FOLLOWS_INDEX):
            raise Conflict(_l("This attempt already has its re-assessment.")) from error
        raise
    record_event(actor, "assessment.reassessment_scheduled", assessment, follows=previous.id)
    return assessment


def list_attempts(assessment: Assessment) -> list[Assessment]:
    """Every attempt of the chain this assessment belongs to, first to last."""
    earlier, current = [], assessment
    while current.follows is not None and len(earlier) < MAX_CHAIN:
        current = current.follows
        earlier.append(current)
    later, current = [], assessment
    while (current := follower_of(current)) is not None and len(later) < MAX_CHAIN:
        later.append(current)
    return [*reversed(earlier), assessment, *later]


def why_not_reassess(actor: User, previous: Assessment) -> str | None:
    try:
        ensure_may_reassess(actor, previous)
    except DomainError as error:
        return str(error.message)
    return None


def set_reassessment_wait(standard, days: int) -> None:
    """Set the standard's waiting period before a re-assessment after "Todavía no competente"
    (a policy of the body, not part of the frozen standard: it may change on any version)."""
    if days < 0:
        raise ValidationFailed.on("days", _l("The waiting period cannot be negative."))
    before = standard.reassessment_wait_days
    standard.reassessment_wait_days = days
    db.session.flush()
    record_event(None, "standard.reassessment_wait_set", standard, before=before, after=days)
