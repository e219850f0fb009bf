"""The assessment plan (DOMAIN.md step 3): drafted by the centre's staff, accepted by the
candidate in the app, and required before any result is recorded.

The plan's content is plain values whose canonical JSON is hashed (SHA-256); the candidate
accepts that hash. A change of content is a new version whose hash has no acceptance yet, so
results wait until the candidate accepts again ("cambios pendientes de aceptar").
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.accounts.roles import Role
from app.assessments.models import EDITABLE_STATUSES, Assessment
from app.assessments.plan_models import AssessmentPlan, EvidenceType, PlanAcceptance
from app.audit.services import record_event
from app.db_types import utcnow
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import claim_row, lock_row, violates
from app.mail.services import public_url, send_mail
from app.standards.models import CriterionKind, Element

# Performances and attitudes are observed, products checked, knowledge asked (DOMAIN.md).
EVIDENCE_BY_KIND = {
    CriterionKind.PERFORMANCE: EvidenceType.OBSERVATION,
    CriterionKind.ATTITUDE: EvidenceType.OBSERVATION,
    CriterionKind.PRODUCT: EvidenceType.PRODUCT,
    CriterionKind.KNOWLEDGE: EvidenceType.QUESTIONNAIRE,
}
EVIDENCE_ORDER = [e.value for e in EvidenceType]
NOT_ACCEPTED = _l(
    "The candidate has not accepted the current assessment plan yet: results can be recorded "
    "once they accept it in the app."
)


@dataclass
class PlannedElement:
    """One element of the standard as the staff plan it (times in UTC)."""

    element_id: int
    included: bool = True
    evidence: list[str] = field(default_factory=list)
    place: str = ""
    starts_at: datetime | None = None
    resources: str = ""
    notes: str = ""


def evidence_for(element: Element) -> list[str]:
    """The evidence an element's criteria call for, in a fixed order."""
    kinds = {EVIDENCE_BY_KIND[criterion.kind].value for criterion in element.criteria}
    return [value for value in EVIDENCE_ORDER if value in kinds]


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON: sorted keys, no spaces, UTF-8."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def get_plan(assessment: Assessment) -> AssessmentPlan | None:
    return db.session.scalar(
        select(AssessmentPlan).where(AssessmentPlan.assessment_id == assessment.id)
    )


def default_elements(assessment: Assessment) -> list[PlannedElement]:
    """Every element, with the evidence its criteria call for, at the session's place and time."""
    return [
        PlannedElement(
            element.id,
            evidence=evidence_for(element),
            place=assessment.location,
            starts_at=assessment.starts_at,
        )
        for element in assessment.standard.elements
    ]


def planned_elements(assessment: Assessment) -> list[PlannedElement]:
    """The plan as it stands, element by element (excluded ones too), or the default plan."""
    plan = get_plan(assessment)
    if plan is None:
        return default_elements(assessment)
    chosen = {entry["element_id"]: entry for entry in plan.content["elements"]}
    planned = []
    for element in assessment.standard.elements:
        entry = chosen.get(element.id)
        if entry is None:
            planned.append(PlannedElement(element.id, included=False))
            continue
        starts_at = datetime.fromisoformat(entry["starts_at"]) if entry["starts_at"] else None
        planned.append(
            PlannedElement(
                element.id,
                evidence=list(entry["evidence"]),
                place=entry["place"],
                starts_at=starts_at,
                resources=entry["resources"],
                notes=entry["notes"],
            )
        )
    return planned


def ensure_may_edit_plan(actor: User, assessment: Assessment) -> None:
    """The centre's administrator or the assessment's evaluator, until the judgement is signed."""
    is_centre_admin = actor.role == Role.ADMIN and actor.centre_id == assessment.centre_id
    if not is_centre_admin and actor.id != assessment.evaluator_id:
        raise PermissionDenied(_l("Only the centre's staff can change the assessment plan."))
    if assessment.status not in EDITABLE_STATUSES:
        raise ValidationFailed(_l("The plan cannot change after the judgement is signed off."))


def _problems(assessment: Assessment, elements: list[PlannedElement]) -> dict[str, list]:
    problems: dict[str, list] = {}
    known = {element.id for element in assessment.standard.elements}
    included = [e for e in elements if e.included]
    if not included:
        problems[""] = [_l("Include at least one element of the standard in the plan.")]
    for entry in included:
        if entry.element_id not in known:
            raise ValidationFailed(_l("An element does not belong to this standard."))
        if not entry.evidence or not set(entry.evidence) <= set(EVIDENCE_ORDER):
            problems[f"evidence_{entry.element_id}"] = [_l("Choose at least one kind of evidence.")]
        if not entry.place.strip():
            problems[f"place_{entry.element_id}"] = [_l("Say where this element is assessed.")]
        if entry.starts_at is None:
            problems[f"starts_at_{entry.element_id}"] = [_l("Enter a date and time.")]
    return problems


def plan_content(assessment: Assessment, elements: list[PlannedElement]) -> dict:
    """The plan as plain values: what the candidate reads, accepts and the hash covers."""
    titles = {element.id: element for element in assessment.standard.elements}
    return {
        "assessment_id": assessment.id,
        "standard": assessment.standard.full_code,
        "elements": [
            {
                "element_id": entry.element_id,
                "position": titles[entry.element_id].position,
                "title": titles[entry.element_id].title,
                "evidence": [v for v in EVIDENCE_ORDER if v in entry.evidence],
                "place": entry.place.strip(),
                "starts_at": entry.starts_at.replace(microsecond=0).isoformat(),
                "resources": entry.resources.strip(),
                "notes": entry.notes.strip(),
            }
            for entry in sorted(elements, key=lambda e: titles[e.element_id].position)
            if entry.included
        ],
    }


def save_plan(actor: User, assessment: Assessment, elements: list[PlannedElement]):
    """Write the plan; a new content is a new version the candidate is e-mailed to accept.

    Raises ValidationFailed with the reasons per field. Saving the same content again changes
    nothing. Parallel saves of one assessment's plan are serialised on the assessment's row.
    """
    ensure_may_edit_plan(actor, assessment)
    if problems := _problems(assessment, elements):
        raise ValidationFailed(next(iter(problems.values()))[0], problems)
    content = plan_content(assessment, elements)
    digest = content_hash(content)
    # Serialises saves of this plan, and refuses one racing the sign-off that freezes it.
    if not claim_row(assessment, Assessment.status, EDITABLE_STATUSES):
        raise Conflict(_l("The judgement was signed off a moment ago: the plan cannot change."))
    plan = get_plan(assessment)
    if plan is not None and plan.content_hash == digest:
        return plan
    before = None if plan is None else {"version": plan.version, "hash": plan.content_hash}
    if plan is None:
        plan = AssessmentPlan(assessment_id=assessment.id, version=1)
        db.session.add(plan)
    else:
        plan.version += 1
    plan.content, plan.content_hash = content, digest
    plan.updated_by_id, plan.updated_at = actor.id, utcnow()
    db.session.flush()
    action = "plan.drafted" if before is None else "plan.changed"
    record_event(
        actor,
        action,
        assessment,
        plan_id=plan.id,
        version=plan.version,
        hash=digest,
        before=before,
        content=content,
    )
    _send_plan_to_candidate(assessment, plan, is_change=before is not None)
    return plan


def _send_plan_to_candidate(assessment: Assessment, plan: AssessmentPlan, is_change: bool):
    person = assessment.candidate.user
    send_mail(
        person.email,
        "plan_to_accept",
        person.language,
        {
            "full_name": person.full_name,
            "code": assessment.standard.full_code,
            "title": assessment.standard.title,
            "centre_name": assessment.centre.name if assessment.centre else "",
            "evaluator_name": assessment.evaluator.full_name,
            "version": plan.version,
            "is_change": is_change,
            "link": public_url("assessments.plan", assessment_id=assessment.id),
        },
    )


def ensure_may_accept(actor: User, assessment: Assessment) -> None:
    """The candidate themselves accepts a plan that exists and is not accepted yet."""
    if assessment.candidate.user_id != actor.id:
        raise PermissionDenied(_l("Only the candidate can accept their assessment plan."))
    if assessment.status not in EDITABLE_STATUSES:
        raise ValidationFailed(_l("This assessment is no longer open."))
    plan = get_plan(assessment)
    if plan is None:
        raise ValidationFailed(_l("The centre has not prepared the plan yet."))
    if plan.is_accepted:
        raise Conflict(_l("You have already accepted this plan."))


def accept_plan(actor: User, assessment: Assessment, seen_hash: str) -> PlanAcceptance:
    """Record that the candidate accepts the plan whose content hash they were shown.

    Conflict when the plan changed since they read it (they must read it again) or when this
    content was already accepted (the unique index decides, also for parallel requests).
    """
    ensure_may_accept(actor, assessment)
    plan = get_plan(assessment)
    lock_row(plan)  # a change being saved now finishes first, and we compare with it
    if plan.content_hash != seen_hash:
        raise Conflict(_l("The plan changed while you were reading it. Read it again, please."))
    acceptance = PlanAcceptance(
        plan_id=plan.id,
        version=plan.version,
        content_hash=plan.content_hash,
        content=plan.content,
        accepted_by_id=actor.id,
        accepted_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(acceptance)
    except IntegrityError as error:
        if violates(error, "uq_plan_acceptance_hash"):
            raise Conflict(_l("You have already accepted this plan.")) from error
        raise
    db.session.expire(plan, ["acceptances"])
    record_event(
        actor, "plan.accepted", assessment, plan_id=plan.id, version=plan.version, hash=seen_hash
    )
    return acceptance


def plan_status(assessment: Assessment) -> str:
    """Where the plan stands, in words for the assessment page."""
    plan = get_plan(assessment)
    if plan is None:
        return _l("Not prepared yet")
    if plan.is_accepted:
        return _l("Accepted by the candidate")
    return _l("Changes pending acceptance") if plan.acceptances else _l("Pending acceptance")


def ensure_plan_accepted(assessment: Assessment) -> None:
    """Results wait for the candidate's acceptance of the plan as it is now."""
    plan = get_plan(assessment)
    if plan is None or not plan.is_accepted:
        raise ValidationFailed(NOT_ACCEPTED)
