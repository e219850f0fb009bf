"""Result entry and sign-off through the test client: the tablet form, the autosave endpoint
that static/js/result-entry.js calls, the plain form without JavaScript, the preview and the
confirmed signature."""

import re

import pytest
from sqlalchemy import select

from app.assessments.models import AssessmentStatus
from app.assessments.rules import Judgement
from app.audit.models import AuditEvent
from app.extensions import db
from tests.entry_world import CRITICAL_TEXT, make_course_world
from tests.http.test_journey import sign_off

FEEDBACK = "Falta presentar el encuadre del curso; lo demás, muy bien."


@pytest.fixture
def course(app):
    return make_course_world()


def _answers(world, unmet=(), only=None):
    data = {}
    for item in world.standard.instrument.items:
        if only is not None and item.position not in only:
            continue
        data[f"item_{item.id}"] = "not_met" if item.position in unmet else "met"
        data[f"observation_{item.id}"] = f"Observación del reactivo {item.position}"
    return data


def _item(world, position):
    return world.standard.instrument.items[position - 1]


def test_the_form_groups_items_by_element_and_evidence_and_marks_critical_items(
    course, client, login
):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    html = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Elemento 1: Preparar la sesión" in html and "Elemento 2: Conducir la sesión" in html
    for kind in ("Desempeño", "Producto", "Conocimiento", "Actitud"):
        assert f"Evidencia: {kind}" in html
    assert "0 de 12 respondidos" in html
    legend = re.search(rf'id="entry-item-{_item(course, 1).id}".*?</legend>', html, re.S)
    assert "Crítico" in legend.group(0) and "<svg" in legend.group(0)
    assert 'src="/static/js/result-entry.js"' in html and "<script>" not in html


def test_autosave_records_the_items_sent_and_leaves_the_others(course, client, login):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    url = f"/assessments/{assessment.id}/results/autosave"
    client.post(url, data=_answers(course, only=(1, 2)))
    response = client.post(url, data=_answers(course, unmet=(3,), only=(3,)))
    assert response.status_code == 200
    assert response.json == {"saved": [_item(course, 3).id], "answered": 3, "total": 12}
    again = client.post(url, data=_answers(course, unmet=(3,), only=(3,)))  # a retry
    assert again.status_code == 200
    db.session.expire_all()
    results = {r.item.position: (r.is_met, r.observation) for r in assessment.results}
    assert results == {
        1: (True, "Observación del reactivo 1"),
        2: (True, "Observación del reactivo 2"),
        3: (False, "Observación del reactivo 3"),
    }
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("result.%")))
    assert [e.action for e in events] == ["result.recorded"] * 3  # the retry changed nothing
    html = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "3 de 12 respondidos" in html and 'class="row-not-met"' in html


def test_autosave_after_sign_off_is_refused_in_json_and_changes_nothing(course, client, login):
    assessment = course.judge(course.schedule())
    db.session.commit()
    login(course.evaluator)
    response = client.post(
        f"/assessments/{assessment.id}/results/autosave",
        data=_answers(course, unmet=(2,), only=(2,)),
    )
    assert response.status_code == 422 and "bloqueados" in response.json["error"]
    db.session.expire_all()
    assert assessment.result_for(_item(course, 2).id).is_met


def test_another_evaluator_cannot_autosave(course, client, login):
    from app.accounts.roles import Role
    from tests import factories

    assessment = course.schedule()
    other = factories.make_user(course.centre, Role.EVALUATOR)
    db.session.commit()
    login(other)
    response = client.post(
        f"/assessments/{assessment.id}/results/autosave", data=_answers(course, only=(1,))
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert assessment.results == []


def test_the_plain_form_saves_every_answer_without_javascript(course, client, login):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    url = f"/assessments/{assessment.id}"
    response = client.post(f"{url}/results", data=_answers(course, unmet=(5,)))
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "12 de 12 respondidos" in html
    db.session.expire_all()
    assert len(assessment.results) == 12
    assert not assessment.result_for(_item(course, 5).id).is_met


def test_preview_shows_the_unmet_critical_item_and_the_score_against_the_threshold(
    course, client, login
):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_answers(course, unmet=(1,)))
    html = client.get(f"{url}/sign-off").get_data(as_text=True)
    assert "Todavía no competente" in html
    assert f"No cumple: 1. {CRITICAL_TEXT}" in html
    assert "88.89 % de 80 % requerido" in html
    db.session.expire_all()
    assert assessment.judgement is None


def test_signing_without_the_confirmation_is_refused_and_changes_nothing(course, client, login):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_answers(course))
    response = sign_off(client, url, FEEDBACK, confirm=False)
    assert response.status_code == 422
    assert 'id="confirm-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert assessment.judgement is None and assessment.status == AssessmentStatus.IN_PROGRESS


def test_unanswered_items_block_signing_with_a_clear_message(course, client, login):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_answers(course, only=range(1, 11)))
    html = client.get(f"{url}/sign-off").get_data(as_text=True)
    assert "Reactivos sin resultado: 2." in html
    assert 'name="confirm"' not in html
    response = client.post(
        f"{url}/sign-off", data={"feedback": FEEDBACK, "confirm": "y", "results_digest": "x"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert assessment.judgement is None


def test_candidate_and_reviewer_see_why_after_signing_in_both_languages(course, client, login):
    assessment = course.schedule()
    db.session.commit()
    login(course.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_answers(course, unmet=(1,)))
    assert sign_off(client, url, FEEDBACK).status_code == 302
    db.session.expire_all()
    assert assessment.judgement == Judgement.NOT_YET_COMPETENT
    for person in (course.candidate.user, course.reviewer):
        login(person)
        html = client.get(url).get_data(as_text=True)
        assert f"No cumple: 1. {CRITICAL_TEXT}" in html
        assert "88.89 % de 80 % requerido" in html
    client.post("/language", data={"locale": "en"})
    html = client.get(url).get_data(as_text=True)
    assert f"Not met: 1. {CRITICAL_TEXT}" in html and "88.89 % of 80 % required" in html
