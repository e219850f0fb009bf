"""The cédula de evaluación: the printable record of a signed-off judgement, and the candidate's
acknowledgement of it ("He recibido mi cédula").

The cédula is rendered on each download from the judgement's locked data (results cannot change
after sign-off), in the reader's language, through the one PDF pipeline
(app/certificates/rendering.py). Its facts, language aside, have a SHA-256 recorded with the
acknowledgement, so that what the candidate acknowledged can be told apart from a later record
(a judgement returned by the reviewer and signed off again).
"""

import hashlib
import json
from datetime import datetime
from itertools import groupby

from flask import current_app
from flask_babel import format_date, format_time, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.curp import mask_curp
from app.accounts.models import User
from app.assessments.models import Assessment, AssessmentStatus, RecordAcknowledgement
from app.assessments.rules import Judgement
from app.audit.services import record_event
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import violates

TEMPLATE = "cedula.html"
# Signed off and not sent back: the record staff may read (the reviewer reads it to review).
SIGNED_STATUSES = (AssessmentStatus.JUDGED, AssessmentStatus.REVIEWED, AssessmentStatus.CERTIFIED)
# Final: approved by the reviewer, or not selected for review. Only then does the candidate get
# it; a judgement still under review may be returned and change.
FINAL_STATUSES = (AssessmentStatus.REVIEWED, AssessmentStatus.CERTIFIED)
ALREADY_ACKNOWLEDGED = _l("You have already acknowledged this cédula. Nothing was changed.")


def _is_candidate(actor: User, assessment: Assessment) -> bool:
    return assessment.candidate.user_id == actor.id


def ensure_may_read_record(actor: User, assessment: Assessment) -> None:
    """Who may see the assessment at all is decided by queries.get_assessment_for (its centre's
    staff, its evaluator, the candidate); this adds when: staff once the judgement is signed
    off, the candidate once it is final."""
    if assessment.status not in SIGNED_STATUSES:
        raise ValidationFailed(_l("The cédula is available once the judgement is signed off."))
    if _is_candidate(actor, assessment) and assessment.status not in FINAL_STATUSES:
        raise ValidationFailed(_l("Your cédula will be available once the review is complete."))


def get_acknowledgement(assessment: Assessment) -> RecordAcknowledgement | None:
    return db.session.scalar(
        select(RecordAcknowledgement).where(RecordAcknowledgement.assessment_id == assessment.id)
    )


def ensure_may_acknowledge(actor: User, assessment: Assessment) -> None:
    if not _is_candidate(actor, assessment):
        raise PermissionDenied(_l("Only the candidate acknowledges their cédula."))
    if assessment.status not in FINAL_STATUSES:
        raise ValidationFailed(_l("Your cédula will be available once the review is complete."))
    if get_acknowledgement(assessment) is not None:
        raise Conflict(ALREADY_ACKNOWLEDGED)


def acknowledge_record(actor: User, assessment: Assessment) -> RecordAcknowledgement:
    """The candidate records, once, that they received their cédula, with the date and time and
    the hash of its facts. Conflict on a second acknowledgement, also when two arrive at once:
    the unique index record_acknowledged_once refuses the later insert."""
    ensure_may_acknowledge(actor, assessment)
    digest = record_sha256(record_facts(assessment))
    acknowledgement = RecordAcknowledgement(
        assessment_id=assessment.id, user_id=actor.id, record_sha256=digest
    )
    try:
        with db.session.begin_nested():
            db.session.add(acknowledgement)
    except IntegrityError as error:
        if violates(error, "record_acknowledged_once"):
            raise Conflict(ALREADY_ACKNOWLEDGED) from error
        raise
    record_event(actor, "record.acknowledged", assessment, record_sha256=digest)
    return acknowledgement


def record_facts(assessment: Assessment) -> dict:
    """What the cédula states, as plain values independent of the reader's language."""
    standard, instrument = assessment.standard, assessment.standard.instrument
    items = sorted(instrument.items, key=lambda i: (i.criterion.element.position, i.position))
    elements = []
    for element, element_items in groupby(items, key=lambda i: i.criterion.element):
        elements.append(
            {
                "position": element.position,
                "title": element.title,
                "items": [_item_facts(assessment, item) for item in element_items],
            }
        )
    return {
        "candidate_name": assessment.candidate.full_name,
        "curp_masked": mask_curp(assessment.candidate.curp),
        "standard_code": standard.full_code,
        "standard_title": standard.title,
        "standard_version": standard.version,
        "centre_name": assessment.centre.name,
        "starts_at": assessment.starts_at.isoformat(),
        "location": assessment.location,
        "elements": elements,
        "score_percent": assessment.score_percent,
        "threshold_percent": instrument.threshold_percent,
        "judgement": str(assessment.judgement),
        "feedback": assessment.feedback,
        "evaluator_name": assessment.evaluator.full_name,
        "signed_off_at": assessment.signed_off_at.isoformat(),
    }


def _item_facts(assessment: Assessment, item) -> dict:
    result = assessment.result_for(item.id)
    return {
        "position": item.position,
        "text": item.text,
        "weight": item.weight,
        "is_critical": item.is_critical,
        "is_met": result.is_met,
        "observation": result.observation,
    }


def record_sha256(facts: dict) -> str:
    canonical = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render_record(assessment: Assessment) -> bytes:
    """The cédula as PDF bytes, in the current language."""
    from app.certificates.rendering import render_document  # WeasyPrint only when printing

    facts = record_facts(assessment)
    return render_document(TEMPLATE, _presented(facts))


def record_filename(assessment: Assessment) -> str:
    return f"cedula-{assessment.standard.full_code}-{assessment.id}.pdf"


def _presented(facts: dict) -> dict:
    """The facts with dates, numbers and words in the reader's language (plain strings)."""
    judgement = Judgement(facts["judgement"])
    unmet_critical = sum(
        1 for e in facts["elements"] for i in e["items"] if i["is_critical"] and not i["is_met"]
    )
    return {
        **facts,
        "lang": "en" if get_locale().language == "en" else "es-MX",
        "body_name": current_app.config["CERTIFYING_BODY_NAME"],
        "starts_at": _when(datetime.fromisoformat(facts["starts_at"])),
        "signed_off_on": format_date(datetime.fromisoformat(facts["signed_off_at"]), "long"),
        "judgement_label": str(judgement.label),
        "is_competent": judgement == Judgement.COMPETENT,
        "unmet_critical": unmet_critical,
        "labels": _labels(),
        "record_sha256": record_sha256(facts),
    }


def _when(moment: datetime) -> str:
    """The session's start in the centre's time zone: "27 de octubre de 2026, 11:01"."""
    return f"{format_date(moment, 'long')}, {format_time(moment, 'short')}"


def _labels() -> dict:
    return {
        "title": _("Assessment record (cédula de evaluación)"),
        "candidate": _("Candidate"),
        "curp": _("CURP"),
        "standard": _("Competency standard"),
        "version": _("Version"),
        "centre": _("Evaluation centre"),
        "when": _("Date of the assessment"),
        "place": _("Place"),
        "element": _("Element"),
        "item": _("Item"),
        "weight": _("Weight"),
        "result": _("Result"),
        "observation": _("Observation"),
        "met": _("Met"),
        "not_met": _("Not met"),
        "critical": _("Critical"),
        "critical_note": _("Critical item: if it is not met, the judgement cannot be Competente."),
        "score": _("Weighted score"),
        "threshold": _("Threshold"),
        "unmet_critical": _("Critical items not met"),
        "judgement": _("Judgement"),
        "feedback": _("Feedback"),
        "evaluator": _("Evaluator"),
        "signed_off": _("Signed off on"),
        "fingerprint": _("Record fingerprint (SHA-256)"),
    }
