from datetime import timedelta

import pytest

from app.accounts.roles import Role
from app.assessments import services
from app.assessments.models import AssessmentStatus
from app.errors import ValidationFailed
from app.extensions import db
from tests import factories


def schedule(world, **changes):
    starts_at, ends_at = factories.slot(2)
    arguments = dict(
        actor=world.admin,
        candidate=world.candidate,
        standard=world.standard,
        evaluator=world.evaluator,
        starts_at=starts_at,
        ends_at=ends_at,
        location="Taller 2",
    )
    arguments.update(changes)
    return services.schedule_assessment(**arguments)


def refusal(world, **changes) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        schedule(world, **changes)
    return {field: [str(m) for m in messages] for field, messages in caught.value.reasons.items()}


def test_accredited_free_evaluator_is_booked(world):
    assessment = schedule(world)
    assert assessment.status == AssessmentStatus.SCHEDULED


def test_unaccredited_evaluator_is_refused(world):
    stranger = factories.make_user(world.centre, Role.EVALUATOR)
    reasons = refusal(world, evaluator=stranger)
    assert "no está acreditado" in reasons["evaluator"][0]


def test_evaluator_whose_accreditation_has_lapsed_is_refused(world):
    lapsed = factories.make_user(world.centre, Role.EVALUATOR)
    factories.accredit(lapsed, world.standard, days_before=400, days_after=-1)
    assert "no está acreditado" in refusal(world, evaluator=lapsed)["evaluator"][0]


def test_evaluator_already_booked_at_that_time_is_refused(world):
    schedule(world)
    starts_at, ends_at = factories.slot(2)
    reasons = refusal(
        world,
        candidate=world.other_candidate,
        starts_at=starts_at + timedelta(minutes=30),
        ends_at=ends_at + timedelta(minutes=30),
    )
    assert "ya tiene una evaluación" in reasons["evaluator"][0]


def test_back_to_back_sessions_do_not_clash(world):
    first = schedule(world)
    second = schedule(
        world,
        candidate=world.other_candidate,
        starts_at=first.ends_at,
        ends_at=first.ends_at + timedelta(hours=1),
    )
    assert second.id != first.id


def test_candidate_already_booked_at_that_time_is_refused(world):
    schedule(world)
    other_evaluator = factories.make_user(world.centre, Role.EVALUATOR)
    factories.accredit(other_evaluator, world.standard)
    assert "candidate" in refusal(world, evaluator=other_evaluator)


def test_a_session_in_the_past_is_refused(world):
    starts_at, ends_at = factories.slot(-3)
    reasons = refusal(world, starts_at=starts_at, ends_at=ends_at)
    assert "en el pasado" in reasons["starts_at"][0]


def test_a_session_starting_now_is_refused(world):
    starts_at, ends_at = factories.slot(0)
    assert "starts_at" in refusal(world, starts_at=starts_at, ends_at=ends_at)


def test_draft_standard_cannot_be_scheduled(world):
    draft = factories.make_standard(world.admin, publish=False)
    assert "standard" in refusal(world, standard=draft)


def test_end_before_start_is_refused(world):
    starts_at, ends_at = factories.slot(2)
    assert "ends_at" in refusal(world, starts_at=ends_at, ends_at=starts_at)


def test_a_refused_booking_writes_nothing(world):
    before = db.session.query(services.Assessment).count()
    starts_at, ends_at = factories.slot(-3)
    refusal(world, starts_at=starts_at, ends_at=ends_at)
    assert db.session.query(services.Assessment).count() == before
