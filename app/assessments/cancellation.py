"""Cancelling a booked session: the centre administrator calls it off, with a reason; the
evaluator's and candidate's time is free again, and both get the calendar's cancellation."""

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.accounts.roles import Role
from app.assessments.bookings import send_cancellation_notices
from app.assessments.models import BOOKED_STATUSES, Assessment, AssessmentStatus
from app.audit.services import record_event
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import claim_row

MAX_REASON = 500
CHANGED_MEANWHILE = _l(
    "This assessment changed a moment ago, so it was not cancelled. Reload the page to see it."
)


def ensure_may_cancel(actor: User, assessment: Assessment) -> None:
    """Only an administrator of the assessment's centre, and only while it is booked (scheduled
    or under way, before the judgement)."""
    if actor.role != Role.ADMIN or actor.centre_id != assessment.centre_id:
        raise PermissionDenied(_l("Only the centre's administrator can cancel an assessment."))
    if assessment.status not in BOOKED_STATUSES:
        raise ValidationFailed(_l("Only a scheduled assessment, not yet judged, can be cancelled."))


def cancel_assessment(actor: User, assessment: Assessment, reason: str) -> None:
    """Cancel the session: status cancelled (which frees both people's time, see the models'
    double-booking rules), the reason kept and audited, and the candidate and the evaluator sent
    the cancellation with the same calendar event (same UID, next SEQUENCE, METHOD:CANCEL).

    Raises PermissionDenied, ValidationFailed (no reason, or not booked any more) or Conflict
    (a parallel request changed it); nothing changes then.
    """
    ensure_may_cancel(actor, assessment)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationFailed.on("reason", _l("Say why the assessment is cancelled."))
    if len(reason) > MAX_REASON:
        raise ValidationFailed.on("reason", _l("Write at most 500 characters."))
    if not claim_row(assessment, Assessment.status, BOOKED_STATUSES):
        raise Conflict(CHANGED_MEANWHILE)
    previous = assessment.status
    assessment.status = AssessmentStatus.CANCELLED
    assessment.cancel_reason = reason
    assessment.calendar_sequence += 1
    db.session.flush()
    record_event(
        actor,
        "assessment.cancelled",
        assessment,
        reason=reason,
        previous=AssessmentStatus(previous).value,
    )
    send_cancellation_notices(assessment)
