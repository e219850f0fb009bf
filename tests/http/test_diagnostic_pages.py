"""The diagnostic pages: staff open one, the candidate answers it on their phone, the advice
shows what to train; bad answers are explained and change nothing; strangers get a 404."""

import pytest
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.diagnostics.models import Diagnostic, DiagnosticAnswer
from app.diagnostics.questionnaire import items_asked
from app.extensions import db
from app.standards.models import CriterionKind
from tests import factories

K, P = CriterionKind.KNOWLEDGE, CriterionKind.PERFORMANCE


@pytest.fixture
def standard(world):
    standard = factories.make_standard(
        world.admin, items=[(K, 3, True), (K, 2, False), (P, 3, True)], threshold=80
    )
    db.session.commit()
    return standard


def open_diagnostic(client, login, world, standard):
    login(world.admin)
    response = client.post(
        "/diagnostics/", data={"candidate": world.candidate.id, "standard": standard.id}
    )
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def test_staff_open_one_and_the_candidate_answers_it(world, standard, client, login, mailbox):
    page = open_diagnostic(client, login, world, standard)
    assert mailbox.last_to(world.candidate.user.email).links[-1].endswith(page)
    critical, other = items_asked(standard.instrument.items)
    login(world.candidate.user)
    form = client.get(page).text
    assert "Reactivo 1" in form and "Reactivo 3" not in form  # the observed item is not asked
    response = client.post(page, data={f"item_{critical.id}": "no", f"item_{other.id}": "yes"})
    assert response.status_code == 302
    result = client.get(page).text
    assert "Se recomienda capacitarse primero" in result
    assert "Reactivo 1" in result  # listed as what to train in
    assert "/diagnostics/" in client.get("/diagnostics/").text


def test_a_missing_answer_is_explained_and_nothing_is_saved(world, standard, client, login):
    page = open_diagnostic(client, login, world, standard)
    critical, _other = items_asked(standard.instrument.items)
    login(world.candidate.user)
    response = client.post(page, data={f"item_{critical.id}": "yes"})
    assert response.status_code == 422
    assert "Responde esta pregunta." in response.text
    assert db.session.scalar(select(func.count()).select_from(DiagnosticAnswer)) == 0


def test_an_answered_diagnostic_cannot_be_answered_again(world, standard, client, login):
    page = open_diagnostic(client, login, world, standard)
    answers = {f"item_{item.id}": "yes" for item in items_asked(standard.instrument.items)}
    login(world.candidate.user)
    assert client.post(page, data=answers).status_code == 302
    again = client.post(page, data={key: "no" for key in answers})
    assert again.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(Diagnostic.recommendation)).value == "ready"


def test_another_candidate_and_another_centre_get_not_found(world, standard, client, login):
    page = open_diagnostic(client, login, world, standard)
    login(world.other_candidate.user)
    assert client.get(page).status_code == 404
    other_centre = factories.make_centre("CONALEP Plantel Iztapalapa")
    stranger = factories.make_user(other_centre, Role.ADMIN)
    db.session.commit()
    login(stranger)
    assert client.get(page).status_code == 404
    assert "Reactivo" not in client.get("/diagnostics/").text


def test_a_candidate_of_another_centre_cannot_be_chosen(world, standard, client, login):
    other_centre = factories.make_centre("CONALEP Plantel Iztapalapa")
    other_admin = factories.make_user(other_centre, Role.ADMIN)
    outsider = factories.make_candidate(other_admin, "Ana Ruiz Soto")
    db.session.commit()
    login(world.admin)
    response = client.post(
        "/diagnostics/", data={"candidate": outsider.id, "standard": standard.id}
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Diagnostic)) == 0
