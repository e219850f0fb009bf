"""A diagnostic asks a standard's knowledge questions and advises ready or training first, by
the instrument's own rule; it is answered once and seen only by its candidate and centre."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.roles import Role
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.certificates.models import Certificate
from app.diagnostics import queries, questionnaire, services
from app.diagnostics.models import Diagnostic, DiagnosticAnswer, Recommendation
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.extensions import db
from app.standards.models import CriterionKind
from app.transactions import commit_request
from tests import factories
from tests.concurrency import race

K, P = CriterionKind.KNOWLEDGE, CriterionKind.PERFORMANCE
# Three questions (one critical) and one observed item the diagnostic must not ask.
QUESTIONNAIRE = [(K, 3, True), (K, 2, False), (K, 1, False), (P, 3, True)]


@pytest.fixture
def standard(world):
    return factories.make_standard(world.admin, items=QUESTIONNAIRE, threshold=80)


def questions(standard):
    return questionnaire.items_asked(standard.instrument.items)


def test_only_the_knowledge_items_are_asked(world, standard):
    assert [item.text for item in questions(standard)] == ["Reactivo 1", "Reactivo 2", "Reactivo 3"]


def test_all_known_is_ready_and_nothing_is_assessed_or_certified(world, standard, mailbox):
    diagnostic = services.start_diagnostic(world.evaluator, world.candidate, standard)
    services.answer_diagnostic(
        world.candidate.user, diagnostic, {item.id: True for item in questions(standard)}
    )
    db.session.commit()
    assert diagnostic.recommendation == Recommendation.READY
    assert diagnostic.score_percent == 100
    assert diagnostic.completed_by_id == world.candidate.user.id
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_an_unknown_critical_question_advises_training_whatever_the_score(world, standard):
    diagnostic = services.start_diagnostic(world.admin, world.candidate, standard)
    critical, second, third = questions(standard)
    # 3 of 6 points unmet would fail anyway; make it the critical one with the rest met.
    answers = {critical.id: False, second.id: True, third.id: True}
    services.answer_diagnostic(world.admin, diagnostic, answers)
    assert diagnostic.recommendation == Recommendation.TRAINING
    assert diagnostic.score_percent == 50


def test_below_the_threshold_advises_training(world, standard):
    diagnostic = services.start_diagnostic(world.admin, world.candidate, standard)
    critical, second, third = questions(standard)
    services.answer_diagnostic(
        world.candidate.user, diagnostic, {critical.id: True, second.id: False, third.id: True}
    )
    assert diagnostic.score_percent == pytest.approx(66.67)
    assert diagnostic.recommendation == Recommendation.TRAINING


def test_a_missing_answer_is_refused_and_nothing_is_kept(world, standard):
    diagnostic = services.start_diagnostic(world.admin, world.candidate, standard)
    db.session.commit()
    first, *_rest = questions(standard)
    with pytest.raises(ValidationFailed) as refused:
        services.answer_diagnostic(world.candidate.user, diagnostic, {first.id: True})
    db.session.rollback()
    assert set(refused.value.reasons) == {f"item_{item.id}" for item in _rest}
    assert db.session.get(Diagnostic, diagnostic.id).completed_at is None
    assert db.session.scalar(select(func.count()).select_from(DiagnosticAnswer)) == 0


def test_a_standard_without_questions_has_no_diagnostic(world):
    observed_only = factories.make_standard(world.admin, items=[(P, 1, True)])
    with pytest.raises(ValidationFailed):
        services.start_diagnostic(world.admin, world.candidate, observed_only)


def test_a_draft_standard_has_no_diagnostic(world):
    draft = factories.make_standard(world.admin, items=QUESTIONNAIRE, publish=False)
    with pytest.raises(ValidationFailed):
        services.start_diagnostic(world.admin, world.candidate, draft)


def test_only_admins_and_evaluators_of_the_candidates_centre_open_one(world, standard):
    with pytest.raises(PermissionDenied):
        services.start_diagnostic(world.reviewer, world.candidate, standard)
    other_centre = factories.make_centre("CONALEP Plantel Iztapalapa")
    other_admin = factories.make_user(other_centre, Role.ADMIN)
    with pytest.raises(NotFound):
        services.start_diagnostic(other_admin, world.candidate, standard)


def test_each_sees_only_their_own(world, standard):
    diagnostic = services.start_diagnostic(world.admin, world.candidate, standard)
    assert queries.get_diagnostic(world.candidate.user, diagnostic.id) is diagnostic
    assert queries.get_diagnostic(world.reviewer, diagnostic.id) is diagnostic
    assert queries.list_diagnostics_for(world.other_candidate.user) == []
    with pytest.raises(NotFound):
        queries.get_diagnostic(world.other_candidate.user, diagnostic.id)
    other_centre = factories.make_centre("CONALEP Plantel Iztapalapa")
    stranger = factories.make_user(other_centre, Role.EVALUATOR)
    with pytest.raises(NotFound):
        queries.get_diagnostic(stranger, diagnostic.id)
    assert queries.list_diagnostics_for(stranger) == []


def test_answered_once_even_when_two_answers_arrive_at_once(app, world, standard):
    diagnostic_id = services.start_diagnostic(world.admin, world.candidate, standard).id
    ids = [item.id for item in questions(standard)]
    db.session.commit()

    def answering(user_id: int, met: bool):
        def step(go):
            actor = db.session.get(User, user_id)
            diagnostic = db.session.get(Diagnostic, diagnostic_id)
            go()
            services.answer_diagnostic(actor, diagnostic, dict.fromkeys(ids, met))
            return "answered"

        return step

    outcomes = race(
        app, answering(world.candidate.user.id, True), answering(world.evaluator.id, False)
    )
    assert sorted(map(type, outcomes), key=str) == sorted([str, Conflict], key=str), outcomes
    assert db.session.scalar(select(func.count()).select_from(DiagnosticAnswer)) == len(ids)
    answered = db.session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "diagnostic.answered")
    )
    assert answered == 1


def test_the_candidate_is_told_by_mail_in_their_language(world, standard, mailbox):
    services.start_diagnostic(world.admin, world.candidate, standard)
    commit_request()
    received = mailbox.last_to(world.candidate.user.email)
    assert standard.full_code in received.subject
    assert any("/diagnostics/" in link for link in received.links)
