import pytest
from sqlalchemy import select

from app.accounts.roles import Role
from app.assessments import services
from app.assessments.models import AssessmentStatus
from app.assessments.rules import Judgement
from app.audit.models import AuditEvent, AuditTrailIsAppendOnly
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from tests import factories


def test_judgement_is_computed_by_the_rule_not_typed(world):
    assessment = world.judge(world.schedule())
    assert assessment.judgement == Judgement.COMPETENT
    assert assessment.status == AssessmentStatus.JUDGED


def test_unmet_critical_item_gives_not_yet_competent(world):
    assessment = world.judge(world.schedule(), unmet=(1,))  # item 1 is critical
    assert assessment.judgement == Judgement.NOT_YET_COMPETENT


def test_results_are_locked_after_sign_off(world):
    assessment = world.judge(world.schedule())
    item = world.standard.instrument.items[0]
    with pytest.raises(ValidationFailed):
        services.record_item_results(world.evaluator, assessment, {item.id: (False, "cambio")})


def test_sign_off_needs_every_item_and_feedback(world):
    assessment = world.schedule()
    with pytest.raises(ValidationFailed) as caught:
        services.sign_off_judgement(world.evaluator, assessment, "")
    assert set(caught.value.reasons) == {"", "feedback"}


def test_only_the_assigned_evaluator_records_results(world):
    other = factories.make_user(world.centre, Role.EVALUATOR)
    item = world.standard.instrument.items[0]
    with pytest.raises(PermissionDenied):
        services.record_item_results(other, world.schedule(), {item.id: (True, "")})


def test_every_change_of_a_result_is_in_the_audit_trail(world):
    assessment = world.schedule()
    item = world.standard.instrument.items[0]
    services.record_item_results(world.evaluator, assessment, {item.id: (True, "bien")})
    services.record_item_results(world.evaluator, assessment, {item.id: (False, "falta")})
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("result.%")).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["result.recorded", "result.changed"]
    assert events[1].actor_id == world.evaluator.id
    assert events[1].details["before"] == {"is_met": True, "observation": "bien"}
    assert events[1].details["after"] == {"is_met": False, "observation": "falta"}


def test_audit_events_cannot_be_edited_or_deleted(world):
    world.schedule()
    db.session.commit()
    event = db.session.scalars(select(AuditEvent)).first()
    event.action = "forged"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEvent)).first())
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.flush()
    db.session.rollback()


def test_the_database_itself_refuses_to_change_the_audit_trail(world):
    world.schedule()
    db.session.commit()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(db.text("UPDATE audit_events SET action = 'forged'"))
    db.session.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(db.text("DELETE FROM audit_events"))
    db.session.rollback()


def test_reviewer_approves_a_judgement(world):
    assessment = world.judge(world.schedule())
    services.approve_judgement(world.reviewer, assessment)
    assert assessment.status == AssessmentStatus.REVIEWED
    assert assessment.reviewer_id == world.reviewer.id


def test_returning_a_judgement_needs_a_reason_and_unlocks_results(world):
    assessment = world.judge(world.schedule())
    with pytest.raises(ValidationFailed):
        services.return_judgement(world.reviewer, assessment, "  ")
    services.return_judgement(world.reviewer, assessment, "Falta evidencia del producto")
    assert assessment.status == AssessmentStatus.RETURNED
    item = world.standard.instrument.items[0]
    services.record_item_results(world.evaluator, assessment, {item.id: (True, "corregido")})


def test_reviewer_cannot_review_own_assessment(world):
    # A person who is both accredited evaluator and reviewer is modelled as one account per role;
    # the rule is still enforced on the id, whoever holds it.
    assessment = world.judge(world.schedule())
    world.reviewer.id, real_id = world.evaluator.id, world.reviewer.id
    try:
        with pytest.raises(PermissionDenied):
            services.approve_judgement(world.reviewer, assessment)
    finally:
        world.reviewer.id = real_id
        db.session.rollback()


def test_evaluator_cannot_review(world):
    assessment = world.judge(world.schedule())
    with pytest.raises(PermissionDenied):
        services.approve_judgement(world.evaluator, assessment)
