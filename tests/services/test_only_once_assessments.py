"""A judgement is signed off once and reviewed once, and nobody is booked twice at the same
time, even when the requests arrive at the same instant: the database decides, on SQLite and
PostgreSQL alike (threads with their own sessions, tests/concurrency.py)."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Candidate, User
from app.accounts.roles import Role
from app.assessments import services
from app.assessments.models import Assessment, AssessmentStatus
from app.audit.models import AuditEvent
from app.db_types import utcnow
from app.errors import Conflict, ValidationFailed
from app.extensions import db
from app.standards.models import Standard
from tests import factories
from tests.concurrency import race

M = timedelta(minutes=1)
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


def booking(admin_id, candidate_id, evaluator_id, standard_id, starts_at):
    def step(go):
        admin, evaluator = db.session.get(User, admin_id), db.session.get(User, evaluator_id)
        candidate = db.session.get(Candidate, candidate_id)
        standard = db.session.get(Standard, standard_id)
        go()
        return services.schedule_assessment(
            actor=admin,
            candidate=candidate,
            standard=standard,
            evaluator=evaluator,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            location="Taller 2",
        ).id

    return step


RACERS = 4


def booked(column, person_id: int) -> int:
    count = select(func.count()).select_from(Assessment).where(column == person_id)
    return db.session.scalar(count)


def refusals(outcomes, field: str) -> list[str]:
    assert all(isinstance(o, int | ValidationFailed) for o in outcomes), outcomes
    return [str(m) for o in outcomes if isinstance(o, ValidationFailed) for m in o.reasons[field]]


def test_parallel_bookings_of_one_evaluator_at_overlapping_times_book_one(app, world):
    candidates = [factories.make_candidate(world.admin, f"Persona {n}") for n in range(RACERS)]
    db.session.commit()
    start, _ = factories.slot(2)
    outcomes = race(
        app,
        *[
            booking(world.admin.id, c.id, world.evaluator.id, world.standard.id, start + n * 10 * M)
            for n, c in enumerate(candidates)
        ],
    )
    assert booked(Assessment.evaluator_id, world.evaluator.id) == 1
    assert refusals(outcomes, "evaluator") == [
        "Este evaluador ya tiene una evaluación en ese horario."
    ] * (RACERS - 1)


def test_parallel_bookings_of_one_candidate_at_overlapping_times_book_one(app, world):
    evaluators = [factories.make_user(world.centre, Role.EVALUATOR) for _ in range(RACERS)]
    for evaluator in evaluators:
        factories.accredit(evaluator, world.standard)
    db.session.commit()
    start, _ = factories.slot(2)
    outcomes = race(
        app,
        *[
            booking(world.admin.id, world.candidate.id, e.id, world.standard.id, start + n * 10 * M)
            for n, e in enumerate(evaluators)
        ],
    )
    assert booked(Assessment.candidate_id, world.candidate.id) == 1
    assert refusals(outcomes, "candidate") == [
        "Este candidato ya tiene una evaluación en ese horario."
    ] * (RACERS - 1)


@pytest.mark.postgres_only
def test_the_database_refuses_overlapping_bookings_but_not_back_to_back_or_cancelled(world):
    first = world.schedule()
    db.session.commit()

    def insert(**changes):
        fields = {
            "centre_id": first.centre_id,
            "candidate_id": world.other_candidate.id,
            "standard_id": first.standard_id,
            "evaluator_id": first.evaluator_id,
            "starts_at": first.starts_at + 30 * M,
            "ends_at": first.ends_at + 30 * M,
            "location": "Taller 3",
            "no_conflict_declared_at": utcnow(),
            "status": AssessmentStatus.SCHEDULED,
        }
        db.session.add(Assessment(**{**fields, **changes}))
        db.session.flush()

    with pytest.raises(IntegrityError, match="evaluator"):
        insert()  # bypassing the service: the constraint itself refuses
    db.session.rollback()
    with pytest.raises(IntegrityError, match="candidate"):
        other = factories.make_user(world.centre, Role.EVALUATOR)
        insert(candidate_id=world.candidate.id, evaluator_id=other.id)
    db.session.rollback()
    insert(starts_at=first.ends_at, ends_at=first.ends_at + 60 * M)
    insert(status=AssessmentStatus.CANCELLED)
    db.session.commit()


def wait_until_a_transaction_waits_for_a_lock() -> None:
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 30
    with db.engine.connect() as watcher:
        while not watcher.execute(waiting).scalar():
            # PostgreSQL reads pg_stat_activity once per transaction: end it, or every later
            # poll would see the first snapshot, taken before anybody waited.
            watcher.rollback()
            assert time.monotonic() < deadline, "nobody waited for the lock"
            time.sleep(0.05)


@pytest.mark.postgres_only
def test_a_booking_refused_by_the_database_itself_gets_the_same_field_error(app, world):
    start, _ = factories.slot(2)
    with db.engine.connect() as other_path:  # not the service: an overlapping booking, uncommitted
        other_path.execute(
            insert(Assessment).values(
                centre_id=world.centre.id,
                candidate_id=world.other_candidate.id,
                standard_id=world.standard.id,
                evaluator_id=world.evaluator.id,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                location="Taller 3",
                no_conflict_declared_at=utcnow(),
                status=AssessmentStatus.SCHEDULED,
            )
        )
        step = booking(
            world.admin.id, world.candidate.id, world.evaluator.id, world.standard.id, start
        )
        outcomes = []

        def book():
            with app.app_context():
                outcomes.extend(race(app, step))

        service = threading.Thread(target=book)
        service.start()
        wait_until_a_transaction_waits_for_a_lock()  # the service's insert, unseen by its checks
        other_path.commit()
        service.join()
    (refused,) = outcomes
    assert isinstance(refused, ValidationFailed), refused
    assert isinstance(refused.__cause__, IntegrityError)  # the exclusion constraint said no
    assert [str(m) for m in refused.reasons["evaluator"]] == [
        "Este evaluador ya tiene una evaluación en ese horario."
    ]
