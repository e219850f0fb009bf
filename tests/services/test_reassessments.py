"""Re-assessments: linked to the attempt they follow, once, after an upheld appeal or a reviewed
"Todavía no competente", with the standard's waiting period."""

import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.appeals import reassessments, services
from app.appeals.models import AppealStatus
from app.assessments import services as assessments
from app.audit.models import AuditEvent
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from tests import factories

REASON = "El reactivo 3 sí se cumplió: entregué el producto completo."


def not_yet_competent(world):
    assessment = world.judge(world.schedule(), unmet=(1,))
    assessments.approve_judgement(world.reviewer, assessment)
    return assessment


def book(world, previous, evaluator=None, days=2):
    starts_at, ends_at = factories.slot(24 * days)
    return reassessments.schedule_reassessment(
        world.admin,
        previous,
        evaluator=evaluator or world.evaluator,
        starts_at=starts_at,
        ends_at=ends_at,
        location="Taller 3",
    )


def test_a_not_yet_competent_result_is_followed_by_one_linked_reassessment(world):
    previous = not_yet_competent(world)
    following = book(world, previous)
    assert following.follows_assessment_id == previous.id
    assert (following.candidate, following.standard) == (previous.candidate, previous.standard)
    assert reassessments.list_attempts(previous) == [previous, following]
    assert reassessments.list_attempts(following) == [previous, following]
    with pytest.raises(Conflict):
        book(world, previous, days=5)
    assert (
        db.session.scalar(
            select(func.count()).where(AuditEvent.action == "assessment.reassessment_scheduled")
        )
        == 1
    )


def test_a_competent_or_unreviewed_judgement_is_not_reassessed(world):
    for assessment in (world.approved(), world.judge(world.schedule(hours_from_now=5), unmet=(1,))):
        with pytest.raises(ValidationFailed):
            book(world, assessment)


def test_only_an_administrator_of_the_centre_schedules_it(world):
    previous = not_yet_competent(world)
    other_admin = factories.make_user(factories.make_centre("Otro plantel"), Role.ADMIN)
    for person in (world.evaluator, world.reviewer, other_admin, world.candidate.user):
        with pytest.raises(PermissionDenied):
            reassessments.ensure_may_reassess(person, previous)


def test_the_standards_waiting_period_is_enforced_with_a_clear_error(world):
    world.standard.reassessment_wait_days = 45
    previous = not_yet_competent(world)
    db.session.commit()
    with pytest.raises(ValidationFailed, match="periodo de espera de 45 días") as caught:
        book(world, previous, days=3)
    assert "starts_at" in caught.value.reasons
    db.session.rollback()
    following = book(world, previous, days=46)
    assert following.follows_assessment_id == previous.id


def test_an_upheld_appeal_opens_a_reassessment_with_another_evaluator(world):
    world.standard.reassessment_wait_days = 45  # not for an upheld appeal
    previous = world.approved()
    appeal = services.file_appeal(world.candidate.user, previous, REASON)
    with pytest.raises(ValidationFailed):  # while the appeal is open
        book(world, previous)
    services.decide_appeal(world.admin, appeal, AppealStatus.UPHELD, "Hubo un error al registrar.")
    db.session.commit()
    with pytest.raises(ValidationFailed, match="otro evaluador"):
        book(world, previous)
    db.session.rollback()
    other = factories.make_user(world.centre, Role.EVALUATOR, "Raúl Ortega Díaz")
    factories.accredit(other, world.standard)
    following = book(world, previous, evaluator=other)
    assert following.follows_assessment_id == previous.id
    assert following.evaluator_id == other.id


def test_a_dismissed_appeal_opens_no_reassessment(world):
    previous = world.approved()
    appeal = services.file_appeal(world.candidate.user, previous, REASON)
    services.decide_appeal(world.admin, appeal, AppealStatus.DISMISSED, "Los resultados constan.")
    assert reassessments.reassessment_basis(previous) is None


def test_the_database_links_one_reassessment_per_attempt(world):
    previous = not_yet_competent(world)
    first = world.schedule(hours_from_now=100)
    second = world.schedule(hours_from_now=200)
    first.follows_assessment_id = previous.id
    db.session.flush()
    second.follows_assessment_id = previous.id
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.flush()
    db.session.rollback()


def test_the_waiting_period_is_set_by_command_and_audited(world, runner):
    result = runner.invoke(args=["appeals", "wait-days", world.standard.full_code, "30"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert world.standard.reassessment_wait_days == 30
    assert (
        db.session.scalar(
            select(func.count()).where(AuditEvent.action == "standard.reassessment_wait_set")
        )
        == 1
    )
    refused = runner.invoke(args=["appeals", "wait-days", world.standard.full_code, "-1"])
    assert refused.exit_code != 0
    assert runner.invoke(args=["appeals", "wait-days", "EC9999", "5"]).exit_code != 0
