"""Appeals (inconformidades): the candidate objects to a signed-off judgement within a window of
working days; someone who neither evaluated nor reviewed the assessment decides it.

An open appeal keeps the judgement from being certified (queries.certification_hold, asked by
app/certificates/services.ensure_may_certify); an upheld one sets it aside and opens a
re-assessment (reassessments.py). Every step is audited and e-mailed (notices.py).
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.roles import Role
from app.appeals import notices, rules
from app.appeals.models import ONE_OPEN_APPEAL_INDEX, Appeal, AppealFile, AppealStatus
from app.appeals.queries import STAFF_ROLES
from app.assessments.models import Assessment, AssessmentStatus
from app.audit.models import AuditEvent
from app.audit.services import record_event
from app.dates import local_date, today
from app.db_types import utcnow
from app.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import claim_row, violates
from app.storage import current_storage, put_with_transaction
from app.uploads import check_document

MAX_REASON_LENGTH = 4000
MIN_REASON_LENGTH = 10
MAX_FILES = 5
FILE_PREFIX = "appeals"
# A judgement that is final for now: signed off, perhaps approved, not yet certified.
APPEALABLE_STATUSES = (AssessmentStatus.JUDGED, AssessmentStatus.REVIEWED)
REVIEW_ACTIONS = ("judgement.approved", "judgement.returned")


@dataclass(frozen=True)
class Upload:
    """A file as the candidate sent it: the name they gave (shown only) and its bytes."""

    name: str
    data: bytes


def appeal_deadline(assessment: Assessment) -> date | None:
    """The last day the judgement may be appealed; None before it is signed off."""
    if assessment.signed_off_at is None:
        return None
    days = current_app.config["APPEAL_WINDOW_WORKING_DAYS"]
    return rules.appeal_deadline(local_date(assessment.signed_off_at), days)


def ensure_may_appeal(actor: User, assessment: Assessment) -> None:
    """The candidate themselves, once per judgement, within the window after the sign-off."""
    if actor.role != Role.CANDIDATE or assessment.candidate.user_id != actor.id:
        raise PermissionDenied(_l("Only the candidate can appeal their own judgement."))
    if assessment.status not in APPEALABLE_STATUSES or assessment.judgement is None:
        raise ValidationFailed(
            _l("Only a signed-off judgement that is not certified yet can be appealed.")
        )
    if db.session.scalar(select(Appeal.id).where(Appeal.assessment_id == assessment.id)):
        raise ValidationFailed(_l("This judgement has already been appealed."))
    deadline = appeal_deadline(assessment)
    if not rules.is_within_window(today(), deadline):
        raise ValidationFailed(
            _l("The time to appeal this judgement ended on %(date)s.", date=format_date(deadline))
        )


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationFailed.on(
            "reason",
            _l("Explain why you disagree (at least %(n)d characters).", n=MIN_REASON_LENGTH),
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed.on(
            "reason", _l("Write at most %(n)d characters.", n=MAX_REASON_LENGTH)
        )
    return reason


def _checked_files(uploads: list[Upload]) -> list[tuple[Upload, object]]:
    """Each upload typed by its content (PDF, PNG or JPEG) and within the size limit."""
    uploads = [upload for upload in uploads if upload.data]
    if len(uploads) > MAX_FILES:
        raise ValidationFailed.on("files", _l("Attach at most %(n)d files.", n=MAX_FILES))
    limit = current_app.config["APPEAL_FILE_MAX_BYTES"]
    return [(u, check_document(u.data, field="files", max_bytes=limit)) for u in uploads]


def file_appeal(actor: User, assessment: Assessment, reason: str, uploads=()) -> Appeal:
    """The candidate appeals the judgement with a reason and up to MAX_FILES files.

    Raises PermissionDenied (not their judgement), ValidationFailed (window over, appealed
    before, bad reason or file: nothing is stored) and Conflict when another appeal of the same
    judgement was filed at the same moment: the database keeps one open appeal per assessment
    (ONE_OPEN_APPEAL_INDEX). The files are stored with the transaction (undone if it rolls
    back); the candidate and the centre's administrators are e-mailed once it commits.
    """
    ensure_may_appeal(actor, assessment)
    reason = _clean_reason(reason)
    checked = _checked_files(list(uploads))
    appeal = Appeal(
        assessment=assessment,
        centre_id=assessment.centre_id,
        filed_by_id=actor.id,
        reason=reason,
        deadline=appeal_deadline(assessment),
        status=AppealStatus.OPEN,
    )
    db.session.add(appeal)
    try:
        db.session.flush()
    except IntegrityError as error:
        if violates(error, ONE_OPEN_APPEAL_INDEX):
            raise Conflict(
                _l("This judgement was appealed a moment ago. Reload the page.")
            ) from error
        raise
    for upload, document in checked:
        _keep_file(appeal, upload, document)
    record_event(actor, "appeal.filed", appeal, assessment_id=assessment.id, files=len(checked))
    notices.appeal_received(appeal)
    return appeal


def _keep_file(appeal: Appeal, upload: Upload, document) -> None:
    key = f"{FILE_PREFIX}/{appeal.id}/{uuid.uuid4().hex}{document.extension}"
    shown = " ".join(upload.name.replace("/", " ").replace("\\", " ").split())[:200]
    appeal.files.append(
        AppealFile(
            file_key=key,
            sha256=hashlib.sha256(document.data).hexdigest(),
            mimetype=document.mimetype,
            size=len(document.data),
            shown_name=shown or key.rsplit("/", 1)[-1],
        )
    )
    put_with_transaction(db.session, current_storage(), key, document.data)


def involved_people(assessment: Assessment) -> set[int]:
    """Who evaluated or reviewed the assessment, including a reviewer who returned it before
    it was signed off again (the row keeps only the last review; the audit trail keeps all)."""
    reviewers = db.session.scalars(
        select(AuditEvent.actor_id).where(
            AuditEvent.object_type == Assessment.__tablename__,
            AuditEvent.object_id == assessment.id,
            AuditEvent.action.in_(REVIEW_ACTIONS),
        )
    )
    people = {assessment.evaluator_id, assessment.reviewer_id, *reviewers}
    return {person for person in people if person is not None}


def ensure_may_decide(actor: User, appeal: Appeal) -> None:
    """Staff of the assessment's centre who neither evaluated nor reviewed it, once."""
    if actor.role not in STAFF_ROLES or actor.centre_id != appeal.centre_id:
        raise PermissionDenied(_l("Only staff of this centre can decide an appeal."))
    if actor.id in involved_people(appeal.assessment):
        raise PermissionDenied(
            _l("You evaluated or reviewed this assessment: someone not involved must decide.")
        )
    if not appeal.is_open:
        raise Conflict(_l("This appeal has already been decided."))


def decide_appeal(actor: User, appeal: Appeal, outcome: AppealStatus, reason: str) -> None:
    """Dismiss the appeal (the judgement may then be certified) or uphold it (a re-assessment
    is opened: reassessments.schedule_reassessment). The reasons are required and sent to the
    candidate. Decided once: Conflict when a parallel request decided it first."""
    ensure_may_decide(actor, appeal)
    if outcome not in (AppealStatus.DISMISSED, AppealStatus.UPHELD):
        raise ValidationFailed.on("outcome", _l("Choose a decision."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", _l("Give the reasons for the decision."))
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed.on(
            "reason", _l("Write at most %(n)d characters.", n=MAX_REASON_LENGTH)
        )
    if not claim_row(appeal, Appeal.status, [AppealStatus.OPEN]):
        raise Conflict(_l("This appeal was decided a moment ago. Reload the page."))
    appeal.status, appeal.decision_reason = outcome, reason
    appeal.decided_by_id, appeal.decided_at = actor.id, utcnow()
    db.session.flush()
    record_event(
        actor, f"appeal.{outcome}", appeal, assessment_id=appeal.assessment_id, reason=reason
    )
    notices.appeal_decided(appeal)


def why_not_appeal(actor: User, assessment: Assessment) -> str | None:
    """The reason ensure_may_appeal gives, for the page to explain; None when it allows."""
    try:
        ensure_may_appeal(actor, assessment)
    except DomainError as error:
        return str(error.message)
    return None
