"""The assessment process: scheduling, recording results, the judgement and its review."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.accreditations import accreditation_problems
from app.accounts.models import Candidate, User
from app.accounts.queries import is_enrolled
from app.accounts.roles import Role
from app.assessments.bookings import send_booking_notices
from app.assessments.models import (
    BOOKED_STATUSES,
    EDITABLE_STATUSES,
    Assessment,
    AssessmentStatus,
    ItemResult,
)
from app.assessments.plans import ensure_plan_accepted
from app.assessments.reviewing import judgement_became_final, route_to_review
from app.assessments.signing import preview_judgement, reasons_record
from app.audit.services import record_event
from app.dates import local_date
from app.db_types import utcnow
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import claim_row, lock_row, violates
from app.standards import offers
from app.standards.models import Standard

MIN_FEEDBACK_LENGTH = 20

# Who may be booked only once at a time: the form field, the column, the database's rule.
DOUBLE_BOOKINGS = {
    "evaluator": (
        Assessment.evaluator_id,
        "ex_assessments_evaluator_overlap",
        _l("This evaluator already has an assessment at that time."),
    ),
    "candidate": (
        Assessment.candidate_id,
        "ex_assessments_candidate_overlap",
        _l("This candidate already has an assessment at that time."),
    ),
}


def _overlaps(column, person_id: int, starts_at: datetime, ends_at: datetime, but=None) -> bool:
    return (
        db.session.scalar(
            select(Assessment.id)
            .where(
                column == person_id,
                Assessment.status.in_(BOOKED_STATUSES),
                Assessment.starts_at < ends_at,
                Assessment.ends_at > starts_at,
                Assessment.id != but,
            )
            .limit(1)
        )
        is not None
    )


def scheduling_problems(
    actor: User,
    candidate: Candidate,
    standard: Standard,
    evaluator: User,
    starts_at: datetime,
    ends_at: datetime,
) -> dict[str, list]:
    """Every reason this booking cannot be made, by form field; an empty dict means it can.

    The rules of DOMAIN.md step 3: candidate and evaluator belong to the actor's centre, the
    standard is published and offered by the centre (app/standards/offers.py), the evaluator
    holds an accreditation for it covering every day of the session, the session starts in the
    future, and neither person is booked at an overlapping time. (The evaluator declares no
    conflict of interest themselves afterwards: declare_no_conflict.) Reads only;
    schedule_assessment is the one that books.
    """
    problems: dict[str, list] = {}

    def refuse(field, message):
        problems.setdefault(field, []).append(message)

    if not is_enrolled(candidate.id, actor.centre_id):
        refuse("candidate", _l("The candidate belongs to another centre."))
    if evaluator.role != Role.EVALUATOR or evaluator.centre_id != actor.centre_id:
        refuse("evaluator", _l("Choose an evaluator of this centre."))
    if not standard.is_published:
        refuse("standard", _l("Only a published standard can be assessed."))
    elif not offers.is_offered(actor.centre_id, standard.id):
        refuse("standard", offers.NOT_OFFERED)
    if starts_at <= utcnow():
        refuse("starts_at", _l("A session cannot be scheduled in the past."))
    if ends_at <= starts_at:
        refuse("ends_at", _l("The end must be after the start."))
        return problems
    for message in accreditation_problems(
        evaluator, standard, local_date(starts_at), local_date(ends_at)
    ):
        refuse("evaluator", message)
    people = {"evaluator": evaluator.id, "candidate": candidate.id}
    for field, (column, _rule, message) in DOUBLE_BOOKINGS.items():
        if _overlaps(column, people[field], starts_at, ends_at):
            refuse(field, message)
    return problems


def schedule_assessment(
    *,
    actor: User,
    candidate: Candidate,
    standard: Standard,
    evaluator: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
) -> Assessment:
    """Book an assessment. Raises ValidationFailed with every reason it cannot be booked.

    Guarantees the session starts in the future, the evaluator holds a current accreditation
    for the standard over the whole session and neither evaluator nor candidate is booked
    elsewhere at an overlapping time, even when another booking of either is being made at the
    same moment (see _book). Once committed, the candidate and the evaluator each receive an
    e-mail with the session as a calendar file (app/assessments/bookings.py).
    """
    _wait_for_other_bookings(evaluator, candidate)
    problems = scheduling_problems(actor, candidate, standard, evaluator, starts_at, ends_at)
    if problems:
        first = next(iter(problems.values()))[0]
        raise ValidationFailed(first, problems)
    assessment = Assessment(
        centre_id=actor.centre_id,
        candidate=candidate,
        standard=standard,
        evaluator=evaluator,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        status=AssessmentStatus.SCHEDULED,
    )
    db.session.add(assessment)
    _book(assessment)
    record_event(
        actor,
        "assessment.scheduled",
        assessment,
        evaluator_id=evaluator.id,
        starts_at=starts_at.isoformat(),
    )
    send_booking_notices(assessment)
    return assessment


def _wait_for_other_bookings(evaluator: User, candidate: Candidate) -> None:
    """PostgreSQL: a booking of the same evaluator or candidate being made at this moment
    finishes first, so the checks that follow see it and refuse with every reason.

    Always the evaluator first, then the candidate: two bookings never wait for each other in a
    circle. Without these locks, two overlapping inserts at the same instant may deadlock in the
    exclusion constraints' check, which PostgreSQL resolves by failing one with an error.
    SQLite ignores them (see _book).
    """
    lock_row(evaluator)
    lock_row(candidate)


def _book(assessment: Assessment) -> None:
    """Write the booking so that nobody is booked twice at once, however it was checked.

    PostgreSQL: the exclusion constraints on assessments (models.py) refuse an overlapping
    booked row from any path, also from a parallel transaction: the second insert waits for the
    first and fails if it commits. SQLite has no such constraint but a single writer: once this
    insert is written, this transaction holds the database's write lock until it ends, so nobody
    can commit a booking meanwhile, and checking the calendars again now sees every booking that
    could compete (scheduling_problems read them before this transaction wrote anything). Either
    way the loser gets the same field error as a booking refused up front.
    """
    try:
        db.session.flush()
    except IntegrityError as error:
        for field, (_column, rule, message) in DOUBLE_BOOKINGS.items():
            if violates(error, rule):
                raise ValidationFailed.on(field, message) from error
        raise
    if db.engine.dialect.name != "sqlite":
        return
    starts_at, ends_at = assessment.starts_at, assessment.ends_at
    for field, (column, _rule, message) in DOUBLE_BOOKINGS.items():
        person_id = getattr(assessment, column.key)
        if _overlaps(column, person_id, starts_at, ends_at, but=assessment.id):
            raise ValidationFailed.on(field, message)


def _hold(assessment: Assessment, statuses, message) -> None:
    """Lock the assessment's row for this transaction while its status is still one of
    `statuses` (a compare-and-set, app/locks.py); otherwise a parallel request changed it after
    this one read it, and this one is refused with `message` (Conflict) instead of overwriting."""
    if not claim_row(assessment, Assessment.status, statuses):
        raise Conflict(message)


SIGNED_OFF_MEANWHILE = _l(
    "This judgement was signed off a moment ago, so nothing was saved. Reload the page to see it."
)
# A second click on "Aprobar" may arrive before the first commits (then `_hold` refuses it) or
# after (then the status says it): either way it is the same conflict for the person clicking.
REVIEWED_STATUSES = (
    AssessmentStatus.REVIEWED,
    AssessmentStatus.RETURNED,
    AssessmentStatus.CERTIFIED,
)
ALREADY_REVIEWED = _l(
    "This judgement has already been reviewed, so nothing was saved. "
    "Reload the page to see the decision."
)
REVIEWED_MEANWHILE = _l(
    "This judgement was reviewed a moment ago, so nothing was saved. "
    "Reload the page to see the decision."
)


def ensure_may_declare(actor: User, assessment: Assessment) -> None:
    """Only the assigned evaluator declares, once, before any result is recorded."""
    if actor.id != assessment.evaluator_id:
        raise PermissionDenied(_l("Only the assigned evaluator can make this declaration."))
    if assessment.no_conflict_declared_at is not None:
        raise ValidationFailed(_l("The declaration has already been made."))
    if assessment.status != AssessmentStatus.SCHEDULED:
        raise ValidationFailed(_l("This assessment is no longer waiting to start."))


def declare_no_conflict(actor: User, assessment: Assessment) -> None:
    """The evaluator declares, in their own name, that they did not train this candidate
    (DOMAIN.md step 3); results can be recorded only after it. Declared once: a second
    declaration (two clicks at once included) is refused and the first one's time stays."""
    ensure_may_declare(actor, assessment)
    now = utcnow()
    declared = db.session.execute(  # a compare-and-set: NULL → now, by one request only
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.no_conflict_declared_at.is_(None))
        .values(no_conflict_declared_at=now)
        .execution_options(synchronize_session=False)
    )
    if declared.rowcount != 1:
        raise Conflict(_l("The declaration was made a moment ago. Reload the page."))
    assessment.no_conflict_declared_at = now
    db.session.flush()
    record_event(actor, "assessment.no_conflict_declared", assessment)


def ensure_may_record(actor: User, assessment: Assessment) -> None:
    """Only the assigned evaluator records results, once the session has started, they have
    declared no conflict of interest and the candidate has accepted the current plan (plans.py),
    while their accreditation for the standard (and the certificates it needs) is in force
    today, and only until the judgement is signed off (or after a reviewer returned it).
    sign_off_judgement asks this too."""
    if actor.id != assessment.evaluator_id:
        raise PermissionDenied(_l("Only the assigned evaluator can record results."))
    if not assessment.is_editable:
        raise ValidationFailed(_l("The results are locked after sign-off."))
    if assessment.no_conflict_declared_at is None:
        raise ValidationFailed(
            _l("Declare that you did not train this candidate before recording results.")
        )
    ensure_plan_accepted(assessment)
    if assessment.starts_at > utcnow():
        raise ValidationFailed(_l("Results can be recorded only once the session has started."))
    day = local_date(utcnow())
    if problems := accreditation_problems(actor, assessment.standard, day, day):
        raise ValidationFailed(problems[0], {"": problems})


def record_item_results(
    actor: User, assessment: Assessment, entries: dict[int, tuple[bool | None, str]]
) -> int:
    """Record met / not met and an observation per item; unanswered items are left as they are.

    Every change of an existing result is written to the audit trail with the old and new value.
    Returns the number of results created or changed.
    """
    ensure_may_record(actor, assessment)
    _hold(assessment, EDITABLE_STATUSES, SIGNED_OFF_MEANWHILE)
    # The row is locked now: read the results again, so that a save that waited for a parallel
    # one (two tabs, a retried autosave) changes what that one wrote instead of inserting twice.
    db.session.refresh(assessment, ["results"])
    valid_items = {item.id for item in assessment.standard.instrument.items}
    changed = 0
    for item_id, (is_met, observation) in entries.items():
        if item_id not in valid_items:
            raise ValidationFailed(_l("An item does not belong to this instrument."))
        if is_met is None:
            continue
        changed += _record_one(actor, assessment, item_id, is_met, observation.strip())
    if changed and assessment.status == AssessmentStatus.SCHEDULED:
        assessment.status = AssessmentStatus.IN_PROGRESS
    db.session.flush()
    return changed


def _record_one(actor, assessment, item_id: int, is_met: bool, observation: str) -> int:
    result = assessment.result_for(item_id)
    if result is None:
        result = ItemResult(
            item_id=item_id, is_met=is_met, observation=observation, recorded_by_id=actor.id
        )
        assessment.results.append(result)
        db.session.flush()
        record_event(
            actor,
            "result.recorded",
            result,
            assessment_id=assessment.id,
            item_id=item_id,
            is_met=is_met,
            observation=observation,
        )
        return 1
    if result.is_met == is_met and result.observation == observation:
        return 0
    record_event(
        actor,
        "result.changed",
        result,
        assessment_id=assessment.id,
        item_id=item_id,
        before={"is_met": result.is_met, "observation": result.observation},
        after={"is_met": is_met, "observation": observation},
    )
    result.is_met, result.observation = is_met, observation
    result.recorded_by_id, result.recorded_at = actor.id, utcnow()
    return 1


def save_feedback_draft(actor: User, assessment: Assessment, feedback: str) -> None:
    """Keep the feedback written so far; it becomes final only at sign-off."""
    ensure_may_record(actor, assessment)
    _hold(assessment, EDITABLE_STATUSES, SIGNED_OFF_MEANWHILE)
    assessment.feedback = feedback.strip()
    db.session.flush()


RESULTS_CHANGED = _l(
    "The results changed after you opened the preview, so nothing was signed. "
    "Check the judgement again before signing."
)


def sign_off_judgement(
    actor: User, assessment: Assessment, feedback: str, seen_digest: str | None = None
) -> None:
    """Compute the judgement with the instrument's rule, store it with its reasons and the
    feedback, and lock the results; then decide whether it waits for the quality reviewer
    (reviewing.route_to_review).

    Raises ValidationFailed when an item has no result or the feedback is missing, or when
    `seen_digest` (the results the evaluator saw on the preview, signing.results_digest) no
    longer matches them; Conflict when a parallel request signed it off first: signed off once.
    """
    ensure_may_record(actor, assessment)
    preview = preview_judgement(assessment)
    problems = {}
    if preview.unanswered:
        problems[""] = [_l("%(n)d items have no result yet.", n=len(preview.unanswered))]
    if len(feedback.strip()) < MIN_FEEDBACK_LENGTH:
        problems["feedback"] = [
            _l(
                "Write the feedback for the candidate (at least %(n)d characters).",
                n=MIN_FEEDBACK_LENGTH,
            )
        ]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], problems)
    if seen_digest is not None and seen_digest != preview.results_digest:
        raise ValidationFailed(RESULTS_CHANGED)
    _hold(assessment, EDITABLE_STATUSES, SIGNED_OFF_MEANWHILE)
    decision = preview.decision
    was_returned = assessment.status == AssessmentStatus.RETURNED
    assessment.judgement = decision.judgement
    assessment.score_percent = decision.score_percent
    assessment.judgement_reasons = reasons_record(preview)
    assessment.feedback = feedback.strip()
    assessment.signed_off_at = utcnow()
    assessment.status = AssessmentStatus.JUDGED
    assessment.reviewer_id, assessment.reviewed_at = None, None
    record_event(
        actor,
        "judgement.signed_off",
        assessment,
        judgement=decision.judgement,
        score_percent=decision.score_percent,
        unmet_critical_item_ids=list(decision.unmet_critical_ids),
    )
    route_to_review(actor, assessment, was_returned)  # may make it certifiable at once
    db.session.flush()


def ensure_may_review(actor: User, assessment: Assessment) -> None:
    """A quality reviewer of the assessment's centre reviews a signed-off judgement, never one
    they evaluated themselves (the database refuses that too: reviewer_not_evaluator)."""
    if actor.role != Role.REVIEWER or actor.centre_id != assessment.centre_id:
        raise PermissionDenied(_l("Only a quality reviewer of this centre can review."))
    if actor.id == assessment.evaluator_id:
        raise PermissionDenied(_l("A reviewer cannot review their own assessment."))
    if assessment.status in REVIEWED_STATUSES:
        raise Conflict(ALREADY_REVIEWED)
    if assessment.status != AssessmentStatus.JUDGED:
        raise ValidationFailed(
            _l("Only a signed-off judgement waiting for review can be reviewed.")
        )


def approve_judgement(actor: User, assessment: Assessment) -> None:
    """The quality reviewer confirms the judgement; a competent one may then be certified.

    Reviewed once: Conflict when a parallel request approved or returned it first.
    """
    ensure_may_review(actor, assessment)
    _hold(assessment, [AssessmentStatus.JUDGED], REVIEWED_MEANWHILE)
    assessment.status = AssessmentStatus.REVIEWED
    assessment.reviewer_id, assessment.reviewed_at = actor.id, utcnow()
    assessment.return_reason = ""
    record_event(actor, "judgement.approved", assessment, judgement=assessment.judgement)
    judgement_became_final(assessment)
    db.session.flush()


def return_judgement(actor: User, assessment: Assessment, reason: str) -> None:
    """Send the judgement back to the evaluator, unlocking the results; a reason is required.

    Reviewed once: Conflict when a parallel request approved or returned it first.
    """
    ensure_may_review(actor, assessment)
    if not reason.strip():
        raise ValidationFailed.on("reason", _l("Say why the judgement is returned."))
    _hold(assessment, [AssessmentStatus.JUDGED], REVIEWED_MEANWHILE)
    assessment.status = AssessmentStatus.RETURNED
    assessment.return_reason = reason.strip()
    assessment.reviewer_id, assessment.reviewed_at = actor.id, utcnow()
    record_event(actor, "judgement.returned", assessment, reason=reason.strip())
    db.session.flush()
