"""The appeal pages through the test client: the candidate files one (with a file), the centre
lists and decides it, schedules the re-assessment; Spanish and English; who may see what."""

import io
from datetime import datetime, time, timedelta

import time_machine
from sqlalchemy import func, select

from app.accounts.roles import Role
from app.appeals.models import Appeal, AppealFile, AppealStatus
from app.appeals.services import appeal_deadline
from app.dates import local_zone
from app.extensions import db
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REASON = "El reactivo 3 sí se cumplió: entregué el producto completo."


def file_through_the_page(client, assessment, reason=REASON, files=()):
    data = {"reason": reason, "files": [(io.BytesIO(b), n) for n, b in files]}
    return client.post(
        f"/appeals/assessments/{assessment.id}/new", data=data, content_type="multipart/form-data"
    )


def test_the_candidate_files_an_appeal_from_their_assessment_page(world, login):
    assessment = world.approved()
    db.session.commit()
    client = login(world.candidate.user)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Presentar inconformidad" in page and "puedes presentar una inconformidad hasta" in page
    form = client.get(f"/appeals/assessments/{assessment.id}/new").get_data(as_text=True)
    assert "Puedes presentar tu inconformidad hasta el" in form
    response = file_through_the_page(client, assessment, files=[("acta.pdf", PDF)])
    assert response.status_code == 302
    appeal = db.session.scalar(select(Appeal))
    shown = client.get(response.location).get_data(as_text=True)
    assert REASON in shown and "acta.pdf" in shown and "Abierta" in shown
    download = client.get(f"/appeals/{appeal.id}/files/{appeal.files[0].id}")
    assert download.status_code == 200 and download.data == PDF
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Presentar inconformidad" not in page and "Ver la inconformidad" in page


def test_a_wrong_file_is_a_field_error_and_nothing_is_kept(world, login):
    assessment = world.approved()
    db.session.commit()
    client = login(world.candidate.user)
    response = file_through_the_page(client, assessment, files=[("foto.pdf", b"GIF89a....")])
    assert response.status_code == 422
    assert "PDF, PNG o JPEG" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AppealFile.id))) == 0
    assert db.session.scalar(select(func.count(Appeal.id))) == 0


def test_after_the_deadline_the_page_explains_it_has_passed(world, login):
    assessment = world.approved()
    db.session.commit()
    deadline = appeal_deadline(assessment)
    later = datetime.combine(deadline + timedelta(days=3), time(12), tzinfo=local_zone())
    with time_machine.travel(later):
        client = login(world.candidate.user)  # a session does not last weeks
        page = client.get(f"/appeals/assessments/{assessment.id}/new").get_data(as_text=True)
        assert "El plazo ya pasó" in page and "<textarea" not in page
        assert file_through_the_page(client, assessment).status_code == 422
        client.post("/language", data={"locale": "en"})
        page = client.get(f"/appeals/assessments/{assessment.id}/new").get_data(as_text=True)
        assert "The appeal window has passed" in page
    assert db.session.scalar(select(func.count(Appeal.id))) == 0


def test_the_centre_lists_and_an_independent_person_decides_in_english_too(world, login):
    assessment = world.approved()
    db.session.commit()
    file_through_the_page(login(world.candidate.user), assessment)
    appeal = db.session.scalar(select(Appeal))
    client = login(world.evaluator)  # evaluated it: sees it, may not decide
    assert "Abierta" in client.get("/appeals/").get_data(as_text=True)
    page = client.get(f"/appeals/{appeal.id}").get_data(as_text=True)
    assert "Resolver la inconformidad" not in page
    refused = client.post(
        f"/appeals/{appeal.id}/decision", data={"outcome": "upheld", "reason": "Procede"}
    )
    assert refused.status_code == 403
    # certification is held, with the reason
    client = login(world.admin)
    response = client.post(f"/assessments/{assessment.id}/certify", follow_redirects=True)
    assert "presentó una inconformidad" in response.get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert "Decide the appeal" in client.get(f"/appeals/{appeal.id}").get_data(as_text=True)
    empty = client.post(f"/appeals/{appeal.id}/decision", data={"outcome": "upheld"})
    assert empty.status_code == 422
    decided = client.post(
        f"/appeals/{appeal.id}/decision",
        data={"outcome": "upheld", "reason": "The observation was recorded on the wrong item."},
        follow_redirects=True,
    )
    text = decided.get_data(as_text=True)
    assert (
        "Decision recorded." in text and "Upheld" in text and "Schedule the re-assessment" in text
    )
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == AppealStatus.UPHELD


def test_the_reassessment_is_scheduled_and_the_chain_of_attempts_shown(world, login):
    previous = world.approved()
    db.session.commit()
    file_through_the_page(login(world.candidate.user), previous)
    appeal = db.session.scalar(select(Appeal))
    client = login(world.admin)
    client.post(f"/appeals/{appeal.id}/decision", data={"outcome": "upheld", "reason": "Procede"})
    other = factories.make_user(world.centre, Role.EVALUATOR, "Raúl Ortega Díaz")
    factories.accredit(other, world.standard)
    factories.make_user(world.centre, Role.EVALUATOR, "Irma Salas Peña")  # not accredited
    db.session.commit()
    offered = client.get(f"/appeals/reassessments/{previous.id}").get_data(as_text=True)
    assert "Raúl Ortega Díaz" in offered and "Irma Salas Peña" not in offered
    starts_at = (datetime.now(local_zone()) + timedelta(days=3)).replace(hour=9, minute=0)
    form = {
        "evaluator": other.id,
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Taller 3",
    }
    same = client.post(
        f"/appeals/reassessments/{previous.id}", data={**form, "evaluator": world.evaluator.id}
    )
    assert same.status_code == 422 and "otro evaluador" in same.get_data(as_text=True)
    response = client.post(f"/appeals/reassessments/{previous.id}", data=form)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Intentos" in page and "Intento anterior" in page and "Competente" in page
    page = client.get(f"/assessments/{previous.id}").get_data(as_text=True)
    assert "Intento siguiente" in page and "aún sin juicio" in page


def test_nobody_else_sees_an_appeal(world, login):
    assessment = world.approved()
    db.session.commit()
    file_through_the_page(login(world.candidate.user), assessment, files=[("acta.pdf", PDF)])
    appeal = db.session.scalar(select(Appeal))
    other_admin = factories.make_user(factories.make_centre("Otro plantel"), Role.ADMIN)
    db.session.commit()
    for person in (world.other_candidate.user, other_admin):
        client = login(person)
        assert client.get(f"/appeals/{appeal.id}").status_code == 404
        assert client.get(f"/appeals/{appeal.id}/files/{appeal.files[0].id}").status_code == 404
        assert client.get(f"/appeals/assessments/{assessment.id}/new").status_code in (403, 404)
    listed = login(other_admin).get("/appeals/").get_data(as_text=True)
    assert f"/appeals/{appeal.id}" not in listed and "No hay inconformidades." in listed
