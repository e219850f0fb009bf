"""A judgement is signed off once and reviewed once, even when the requests arrive at the same
instant: the database decides, on SQLite and PostgreSQL alike (threads with their own sessions,
tests/concurrency.py)."""

from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments import services
from app.assessments.models import Assessment, AssessmentStatus
from app.audit.models import AuditEvent
from app.errors import Conflict
from app.extensions import db
from tests.concurrency import race

FEEDBACK = "Buen desempeño general; reforzar la evaluación final."


def events(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def conflicts(outcomes) -> list[Conflict]:
    return [outcome for outcome in outcomes if isinstance(outcome, Conflict)]


def deciding(reviewer_id: int, assessment_id: int, decision: str):
    """What the review page's POST does: approve, or return with a reason."""

    def step(go):
        reviewer = db.session.get(User, reviewer_id)
        assessment = db.session.get(Assessment, assessment_id)
        go()
        if decision == "approve":
            services.approve_judgement(reviewer, assessment)
        else:
            services.return_judgement(reviewer, assessment, "Falta evidencia del producto")
        return decision

    return step


def test_two_approvals_at_once_record_one_decision(app, world):
    assessment_id = world.judge(world.schedule()).id
    db.session.commit()
    outcomes = race(app, *[deciding(world.reviewer.id, assessment_id, "approve")] * 2)
    assert len(conflicts(outcomes)) == 1, outcomes
    assert events("judgement.approved") == 1
    assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.REVIEWED


def test_an_approval_and_a_return_at_once_record_one_decision(app, world):
    assessment_id = world.judge(world.schedule()).id
    db.session.commit()
    outcomes = race(
        app,
        deciding(world.reviewer.id, assessment_id, "approve"),
        deciding(world.reviewer.id, assessment_id, "return"),
    )
    assert len(conflicts(outcomes)) == 1, outcomes
    assert events("judgement.approved") + events("judgement.returned") == 1
    winner = next(outcome for outcome in outcomes if isinstance(outcome, str))
    expected = AssessmentStatus.REVIEWED if winner == "approve" else AssessmentStatus.RETURNED
    assert db.session.get(Assessment, assessment_id).status == expected


def signing_off(evaluator_id: int, assessment_id: int):
    """What the sign-off page's POST does: save every result, then sign off."""

    def step(go):
        evaluator = db.session.get(User, evaluator_id)
        assessment = db.session.get(Assessment, assessment_id)
        items = assessment.standard.instrument.items
        go()
        services.record_item_results(
            evaluator, assessment, {item.id: (True, "Observado") for item in items}
        )
        services.sign_off_judgement(evaluator, assessment, FEEDBACK)
        return "signed off"

    return step


def test_two_sign_offs_at_once_record_one_judgement(app, world):
    assessment_id = world.schedule().id
    db.session.commit()
    outcomes = race(app, *[signing_off(world.evaluator.id, assessment_id)] * 2)
    refused = conflicts(outcomes)
    assert len(refused) == 1, outcomes
    assert "se firmó" in str(refused[0].message)
    assert events("judgement.signed_off") == 1
    assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.JUDGED
