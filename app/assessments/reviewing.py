"""Review by sampling at sign-off, and the candidate's e-mail when a judgement becomes final.

sign_off_judgement (services.py) calls `route_to_review`; approve_judgement calls
`judgement_became_final`. The rule itself is pure: app/assessments/sampling.py.
"""

import random

from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.sampling import ReviewSelection, SamplingPolicy, select_for_review
from app.audit.services import record_event
from app.extensions import db
from app.mail.services import public_url, send_mail

# The OS's randomness: neither an evaluator nor anyone reading the code or the logs can predict
# which judgement will be drawn.
_random = random.SystemRandom()


def sampling_policy() -> SamplingPolicy:
    return SamplingPolicy(
        always_first_n=current_app.config["REVIEW_ALWAYS_FIRST_N"],
        sample_percent=current_app.config["REVIEW_SAMPLE_PERCENT"],
    )


def earlier_judgements(assessment: Assessment) -> int:
    """How many other assessments this evaluator has signed off (each counted once, however
    often it was returned and signed off again)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(
            Assessment.evaluator_id == assessment.evaluator_id,
            Assessment.signed_off_at.is_not(None),
            Assessment.id != assessment.id,
        )
    )


def route_to_review(actor: User, assessment: Assessment, was_returned: bool) -> ReviewSelection:
    """Decide, once per sign-off, whether the judgement waits for the quality reviewer; record
    the decision and why on the assessment and in the audit trail. A judgement not selected is
    certifiable at once: REVIEWED with no reviewer (Assessment.review_waived), which every list
    and check of "approved" judgements already counts, and the candidate is told it is final."""
    policy = sampling_policy()
    earlier = earlier_judgements(assessment)
    selection = select_for_review(
        assessment.judgement, earlier, was_returned, policy, _random.random() * 100
    )
    assessment.review_selection = selection
    record_event(
        actor,
        "judgement.review_selection",
        assessment,
        selection=selection,
        selected=selection.is_selected,
        earlier_judgements=earlier,
        always_first_n=policy.always_first_n,
        sample_percent=policy.sample_percent,
    )
    if not selection.is_selected:
        assessment.status = AssessmentStatus.REVIEWED
        assessment.reviewed_at = assessment.signed_off_at
        record_event(actor, "judgement.review_waived", assessment, judgement=assessment.judgement)
        judgement_became_final(assessment)
    db.session.flush()
    return selection


def judgement_became_final(assessment: Assessment) -> None:
    """E-mail the candidate, after the commit, their judgement, the feedback, and a link to the
    assessment page where the cédula is (a link, not an attachment: the cédula must be
    acknowledged in the app, and its results and feedback are better behind a login than in a
    mailbox that others may read or that forwards)."""
    person = assessment.candidate.user
    instrument = assessment.standard.instrument
    send_mail(
        person.email,
        "judgement_final",
        person.language,
        {
            "full_name": person.full_name,
            "code": assessment.standard.full_code,
            "title": assessment.standard.title,
            "is_competent": assessment.is_competent,
            "score": assessment.score_percent,
            "threshold": instrument.threshold_percent,
            "feedback": assessment.feedback,
            "evaluator_name": assessment.evaluator.full_name,
            "link": public_url("assessments.show", assessment_id=assessment.id),
        },
    )
