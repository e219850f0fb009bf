"""The assessment plan: drafted by the centre, accepted by the candidate in the app (a content
hash, once per content), and required before any result is recorded."""

import pytest
from sqlalchemy import func, select

from app.assessments import plans, services
from app.assessments.plan_models import PlanAcceptance
from app.audit.models import AuditEvent
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.transactions import commit_request
from tests.concurrency import race


def all_met(world) -> dict:
    return {item.id: (True, "Observado") for item in world.standard.instrument.items}


def actions(assessment) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "assessments", AuditEvent.object_id == assessment.id)
            .where(AuditEvent.action.like("plan.%"))
            .order_by(AuditEvent.id)
        )
    )


def test_the_default_plan_covers_every_element_with_the_evidence_its_criteria_call_for(world):
    assessment = world.schedule(planned=False)
    [element] = plans.default_elements(assessment)
    # The factory's standard has performance, product, knowledge and attitude criteria.
    assert element.evidence == ["observation", "product", "questionnaire"]
    assert element.place == "Taller 2" and element.starts_at == assessment.starts_at


def test_results_wait_for_the_candidate_to_accept_the_current_plan(world):
    assessment = world.schedule(planned=False)
    with pytest.raises(ValidationFailed) as caught:
        services.record_item_results(world.evaluator, assessment, all_met(world))
    assert "no ha aceptado el plan" in str(caught.value)
    plan = plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
    with pytest.raises(ValidationFailed):
        services.record_item_results(world.evaluator, assessment, all_met(world))
    plans.accept_plan(world.candidate.user, assessment, plan.content_hash)
    assert services.record_item_results(world.evaluator, assessment, all_met(world)) == 5


def test_a_changed_plan_needs_a_new_acceptance_and_every_step_is_audited(world):
    assessment = world.schedule()
    first = plans.get_plan(assessment)
    assert first.version == 1 and first.is_accepted
    changed = plans.default_elements(assessment)
    changed[0].resources = "Proyector, 10 sillas"
    plan = plans.save_plan(world.evaluator, assessment, changed)
    assert plan.version == 2 and plan.has_pending_changes and not plan.is_accepted
    with pytest.raises(ValidationFailed):
        services.record_item_results(world.evaluator, assessment, all_met(world))
    plans.accept_plan(world.candidate.user, assessment, plan.content_hash)
    assert plan.is_accepted and not plan.has_pending_changes
    assert [a.version for a in plan.acceptances] == [1, 2]
    assert plan.acceptances[1].content["elements"][0]["resources"] == "Proyector, 10 sillas"
    assert services.record_item_results(world.evaluator, assessment, all_met(world)) == 5
    assert actions(assessment) == ["plan.drafted", "plan.accepted", "plan.changed", "plan.accepted"]


def test_saving_the_same_content_again_changes_nothing(world, mailbox):
    assessment = world.schedule()
    commit_request()
    mailbox.clear()
    plan = plans.save_plan(world.admin, assessment, plans.planned_elements(assessment))
    commit_request()
    assert plan.version == 1 and plan.is_accepted and mailbox.messages == []


def test_the_hash_is_the_sha256_of_the_canonical_content(world):
    assessment = world.schedule()
    plan = plans.get_plan(assessment)
    assert plan.content_hash == plans.content_hash(plan.content)
    assert plan.content_hash == plans.content_hash(dict(reversed(list(plan.content.items()))))
    assert len(plan.content_hash) == 64


def test_only_the_candidate_accepts_what_they_read_and_only_once(world):
    assessment = world.schedule(planned=False)
    plan = plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
    for somebody in (world.admin, world.evaluator, world.other_candidate.user):
        with pytest.raises(PermissionDenied):
            plans.accept_plan(somebody, assessment, plan.content_hash)
    with pytest.raises(Conflict):
        plans.accept_plan(world.candidate.user, assessment, "0" * 64)
    plans.accept_plan(world.candidate.user, assessment, plan.content_hash)
    with pytest.raises(Conflict):
        plans.accept_plan(world.candidate.user, assessment, plan.content_hash)


def test_only_the_centres_administrator_or_the_evaluator_edits_and_bad_plans_are_refused(world):
    assessment = world.schedule(planned=False)
    for somebody in (world.reviewer, world.candidate.user):
        with pytest.raises(PermissionDenied):
            plans.save_plan(somebody, assessment, plans.default_elements(assessment))
    nothing = plans.default_elements(assessment)
    nothing[0].included = False
    with pytest.raises(ValidationFailed) as caught:
        plans.save_plan(world.admin, assessment, nothing)
    assert "al menos un elemento" in str(caught.value)
    bad = plans.default_elements(assessment)
    bad[0].evidence, bad[0].place = [], " "
    with pytest.raises(ValidationFailed) as caught:
        plans.save_plan(world.admin, assessment, bad)
    n = bad[0].element_id
    assert set(caught.value.reasons) == {f"evidence_{n}", f"place_{n}"}
    assert plans.get_plan(assessment) is None


def test_the_plan_is_frozen_after_sign_off(world):
    assessment = world.judge(world.schedule())
    with pytest.raises(ValidationFailed):
        plans.save_plan(world.admin, assessment, plans.default_elements(assessment))


def accepting(user_id: int, assessment_id: int, digest: str):
    def step(go):
        from app.accounts.models import User
        from app.assessments.models import Assessment

        user = db.session.get(User, user_id)
        assessment = db.session.get(Assessment, assessment_id)
        go()
        plans.accept_plan(user, assessment, digest)
        return "accepted"

    return step


def test_two_acceptances_at_once_record_one(app, world):
    assessment = world.schedule(planned=False)
    plan = plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
    db.session.commit()
    step = accepting(world.candidate.user.id, assessment.id, plan.content_hash)
    outcomes = race(app, step, step)
    assert outcomes.count("accepted") == 1, outcomes
    assert len([o for o in outcomes if isinstance(o, Conflict)]) == 1, outcomes
    assert db.session.scalar(select(func.count()).select_from(PlanAcceptance)) == 1


def test_the_candidate_is_mailed_the_plan_in_their_language(world, mailbox):
    assessment = world.schedule(planned=False)
    commit_request()
    plan = plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
    commit_request()
    received = mailbox.last_to(world.candidate.user.email)
    assert received.subject == f"Tu plan de evaluación está listo: {world.standard.full_code}"
    link = f"http://localhost/assessments/{assessment.id}/plan"
    assert received.links == [link] and f'href="{link}"' in received.html
    assert "Laura Méndez Ochoa" in received.text
    plans.accept_plan(world.candidate.user, assessment, plan.content_hash)
    world.candidate.user.language = "en"
    changed = plans.default_elements(assessment)
    changed[0].notes = "Traer identificación oficial"
    plans.save_plan(world.admin, assessment, changed)
    commit_request()
    received = mailbox.last_to(world.candidate.user.email)
    assert received.subject == f"Your assessment plan changed: {world.standard.full_code}"
    assert "accept it again" in received.text and link in received.html
