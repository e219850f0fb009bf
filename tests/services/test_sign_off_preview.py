"""The judgement before signing and the reasons kept with it (assessments.signing)."""

import pytest

from app.assessments import services
from app.assessments.models import AssessmentStatus
from app.assessments.rules import Judgement
from app.assessments.signing import preview_judgement, reasons_for, results_digest
from app.errors import ValidationFailed
from app.extensions import db
from tests.entry_world import CRITICAL_TEXT, make_course_world

FEEDBACK = "Falta presentar el encuadre del curso; lo demás, muy bien."


@pytest.fixture
def course(app):
    return make_course_world()


def _record(world, assessment, unmet=(), skip=()):
    entries = {
        item.id: (item.position not in unmet, "Observado")
        for item in world.standard.instrument.items
        if item.position not in skip
    }
    services.record_item_results(world.evaluator, assessment, entries)


def test_preview_names_the_unmet_critical_item_and_the_score_against_the_threshold(course):
    assessment = course.schedule()
    _record(course, assessment, unmet=(1,))
    preview = preview_judgement(assessment)
    assert preview.may_sign
    assert preview.decision.judgement == Judgement.NOT_YET_COMPETENT
    assert preview.decision.score_percent == 88.89
    assert preview.decision.threshold_percent == 80 and preview.decision.reaches_threshold
    assert [item.text for item in preview.unmet_critical] == [CRITICAL_TEXT]
    assert assessment.judgement is None  # a preview changes nothing


def test_preview_with_unanswered_items_cannot_be_signed(course):
    assessment = course.schedule()
    _record(course, assessment, skip=(4, 11))
    preview = preview_judgement(assessment)
    assert not preview.may_sign and preview.decision is None
    assert [item.position for item in preview.unanswered] == [4, 11]
    with pytest.raises(ValidationFailed):
        services.sign_off_judgement(course.evaluator, assessment, FEEDBACK)


def test_signed_judgement_keeps_its_reasons_even_after_the_results_change(course):
    assessment = course.schedule()
    _record(course, assessment, unmet=(1,))
    services.sign_off_judgement(course.evaluator, assessment, FEEDBACK, results_digest(assessment))
    db.session.commit()
    reasons = reasons_for(assessment)
    assert assessment.judgement == Judgement.NOT_YET_COMPETENT
    assert (reasons.score_percent, reasons.threshold_percent) == (88.89, 80)
    assert reasons.reaches_threshold
    assert [(item.position, item.text) for item in reasons.unmet_critical] == [(1, CRITICAL_TEXT)]

    # Returned, the results change; the judgement signed keeps the reasons it was signed with.
    services.return_judgement(course.reviewer, assessment, "Revisar el reactivo 1")
    _record(course, assessment)
    db.session.commit()
    db.session.expire_all()
    assert [item.text for item in reasons_for(assessment).unmet_critical] == [CRITICAL_TEXT]


def test_a_judgement_is_not_signed_when_the_results_changed_after_the_preview(course):
    assessment = course.schedule()
    _record(course, assessment)
    seen = results_digest(assessment)
    _record(course, assessment, unmet=(1,))  # e.g. an autosave from another tab
    with pytest.raises(ValidationFailed):
        services.sign_off_judgement(course.evaluator, assessment, FEEDBACK, seen)
    assert assessment.judgement is None and assessment.status == AssessmentStatus.IN_PROGRESS


def test_the_same_answer_twice_changes_nothing_and_the_last_one_wins(course):
    assessment = course.schedule()
    item = course.standard.instrument.items[2]
    assert services.record_item_results(course.evaluator, assessment, {item.id: (True, "a")}) == 1
    assert services.record_item_results(course.evaluator, assessment, {item.id: (True, "a")}) == 0
    services.record_item_results(course.evaluator, assessment, {item.id: (False, "b")})
    result = assessment.result_for(item.id)
    assert (result.is_met, result.observation) == (False, "b")
    assert len(assessment.results) == 1
