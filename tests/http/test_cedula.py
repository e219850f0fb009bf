"""The cédula on the assessment page: who downloads it and when, and the candidate's
"He recibido mi cédula", recorded once even when two clicks arrive together."""

import pytest
from sqlalchemy import func, select

from app.assessments.models import RecordAcknowledgement
from app.assessments.records import acknowledge_record
from app.audit.models import AuditEvent
from app.errors import PermissionDenied
from app.extensions import db
from tests.concurrency import race
from tests.http.test_double_submission import logged_in, posting


@pytest.fixture
def final(world):
    assessment = world.approved()
    db.session.commit()
    return assessment


def acknowledgements() -> int:
    return db.session.scalar(select(func.count()).select_from(RecordAcknowledgement))


def audit_count(action: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    )


def test_while_under_review_staff_read_the_cedula_and_the_candidate_waits(world, client, login):
    assessment = world.judge(world.schedule())
    db.session.commit()
    url = f"/assessments/{assessment.id}/cedula.pdf"
    login(world.reviewer)
    assert client.get(url).status_code == 200
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Verificación obligatoria: entre los primeros juicios del evaluador" in page
    login(world.candidate.user)
    assert client.get(url).status_code == 422
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Tu cédula estará disponible cuando concluya la verificación interna." in page
    assert "He recibido mi cédula" not in page


def test_nothing_before_sign_off_and_nothing_for_another_candidate(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.admin)
    assert client.get(f"/assessments/{assessment.id}/cedula.pdf").status_code == 422
    final = world.approved(candidate=world.other_candidate, hours_from_now=5)
    db.session.commit()
    login(world.candidate.user)
    assert client.get(f"/assessments/{final.id}/cedula.pdf").status_code == 404
    assert client.post(f"/assessments/{final.id}/cedula/acknowledge").status_code == 404
    assert acknowledgements() == 0


def test_the_candidate_acknowledges_once_and_staff_see_when(world, final, client, login):
    login(world.candidate.user)
    page = client.get(f"/assessments/{final.id}").get_data(as_text=True)
    assert "Descargar la cédula (PDF)" in page and "He recibido mi cédula" in page
    response = client.post(f"/assessments/{final.id}/cedula/acknowledge")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Gracias: registramos que recibiste tu cédula." in page
    assert "He recibido mi cédula</button>" not in page
    client.post(f"/assessments/{final.id}/cedula/acknowledge")
    page = client.get(f"/assessments/{final.id}").get_data(as_text=True)
    assert "Ya habías confirmado la recepción de esta cédula." in page
    acknowledgement = db.session.scalar(select(RecordAcknowledgement))
    assert acknowledgement.user_id == world.candidate.user.id
    assert len(acknowledgement.record_sha256) == 64
    assert acknowledgements() == 1 and audit_count("record.acknowledged") == 1
    login(world.admin)
    page = client.get(f"/assessments/{final.id}").get_data(as_text=True)
    assert "El candidato confirmó la recepción de la cédula el" in page


def test_only_the_candidate_acknowledges(world, final, client, login):
    for user in (world.admin, world.evaluator, world.reviewer):
        login(user)
        assert client.post(f"/assessments/{final.id}/cedula/acknowledge").status_code == 403
    with pytest.raises(PermissionDenied):
        acknowledge_record(world.admin, final)
    assert acknowledgements() == 0


def test_two_clicks_at_once_record_one_acknowledgement(app, world, final):
    clients = [logged_in(app, world.candidate.user) for _ in range(2)]
    url = f"/assessments/{final.id}/cedula/acknowledge"
    responses = race(app, *[posting(client, url) for client in clients])
    assert [r.status_code for r in responses] == [302, 302], responses
    assert acknowledgements() == 1 and audit_count("record.acknowledged") == 1
    pages = [
        c.get(r.location).get_data(as_text=True) for c, r in zip(clients, responses, strict=True)
    ]
    assert sum("Ya habías confirmado" in page for page in pages) == 1


def test_the_assessment_page_shows_why_a_judgement_was_not_reviewed(app, world, client, login):
    app.config["REVIEW_SAMPLE_PERCENT"] = 0
    app.config["REVIEW_ALWAYS_FIRST_N"] = 0
    assessment = world.judge(world.schedule())
    db.session.commit()
    login(world.admin)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "No seleccionado para verificación: certificable desde la firma" in page
    assert "Emitir el certificado" in page
    login(world.candidate.user)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "He recibido mi cédula" in page
    assert "No seleccionado" not in page  # the sampling is the centre's business
    login(world.reviewer)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Registrar verificación" not in page and "Verificación interna</h2>" not in page
