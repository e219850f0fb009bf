"""The pages of issue 12's national record: enrolling a known CURP from a second centre, the
candidate's own privacy page, the accreditation pages, each scoped to its centre."""

import io
from datetime import timedelta

from app.accounts.models import Accreditation, Credential
from app.accounts.roles import Role
from app.audit.models import AuditEvent
from app.dates import today
from app.extensions import db
from tests import factories
from tests.services.test_one_person import BORN, CURP, NAME


def other_centre_admin():
    centre = factories.make_centre("CONALEP Plantel Tlalnepantla")
    return factories.make_user(centre, Role.ADMIN, "Otra Administradora")


def test_a_second_centre_enrols_a_known_curp_and_sees_only_what_it_typed(world, client, login):
    login(world.admin)
    data = {"full_name": NAME, "curp": CURP, "email": "juan.pablo@example.com"}
    assert client.post("/candidates/", data=data).status_code == 302
    outsider = other_centre_admin()
    db.session.commit()
    login(outsider)
    wrong_date = {**data, "email": "otro@example.com", "birth_date": "1990-03-15"}
    response = client.post("/candidates/", data=wrong_date)
    assert response.status_code == 422
    assert "no coincide con la CURP" in response.get_data(as_text=True)
    response = client.post("/candidates/", data={**wrong_date, "birth_date": BORN.isoformat()})
    assert response.status_code == 302
    page = client.get("/candidates/").get_data(as_text=True)
    assert NAME in page and "juan.pablo@example.com" not in page
    assert world.candidate.full_name not in page


def test_the_candidate_changes_their_consent_on_their_own_page(world, client, login):
    login(world.candidate.user)
    page = client.get("/me/privacy").get_data(as_text=True)
    assert "Aviso de privacidad" in page
    response = client.post("/me/privacy", data={"accepts_privacy_notice": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not world.candidate.is_publicly_listed
    assert world.candidate.privacy_notice_accepted_at is not None
    actions = {e.action for e in db.session.query(AuditEvent)}
    assert {"candidate.consent_changed", "candidate.privacy_notice_accepted"} <= actions


def test_accreditation_pages_of_another_centre_are_not_found(world, client, login):
    cedula = db.session.query(Accreditation).filter_by(evaluator_id=world.evaluator.id).one()
    credential = db.session.query(Credential).filter_by(evaluator_id=world.evaluator.id)[0]
    outsider = other_centre_admin()
    db.session.commit()
    login(outsider)
    assert client.get(f"/evaluators/accreditations/{cedula.id}").status_code == 404
    response = client.post(
        f"/evaluators/accreditations/{cedula.id}/withdraw", data={"reason": "Fuera"}
    )
    assert response.status_code == 404
    assert client.get(f"/evaluators/credentials/{credential.id}/file").status_code == 404
    db.session.expire_all()
    assert cedula.withdrawn_at is None


def test_the_admin_corrects_and_withdraws_an_accreditation(world, client, login):
    cedula = db.session.query(Accreditation).filter_by(evaluator_id=world.evaluator.id).one()
    credential = db.session.query(Credential).filter_by(evaluator_id=world.evaluator.id)[0]
    login(world.admin)
    url = f"/evaluators/accreditations/{cedula.id}"
    bad = {"number": "CED-1", "valid_from": today().isoformat(), "valid_until": "2000-01-01"}
    response = client.post(url, data=bad)
    assert response.status_code == 422 and "es anterior" in response.get_data(as_text=True)
    until = today() + timedelta(days=30)
    good = {**bad, "valid_until": until.isoformat()}
    assert client.post(url, data=good).status_code == 302
    assert client.post(f"{url}/withdraw", data={"reason": ""}).status_code == 422
    assert client.post(f"{url}/withdraw", data={"reason": "Cédula cancelada"}).status_code == 302
    db.session.expire_all()
    assert cedula.valid_until == until and cedula.withdrawn_at is not None
    download = client.get(f"/evaluators/credentials/{credential.id}/file")
    assert download.status_code == 200 and download.data == factories.CERTIFICATE_COPY


def test_a_damaged_certificate_copy_is_a_field_error_and_changes_nothing(world, client, login):
    login(world.admin)
    before = db.session.query(Credential).count()
    response = client.post(
        "/evaluators/credentials",
        data={
            "credential-evaluator": world.evaluator.id,
            "credential-standard_code": "EC0301",
            "credential-source": "elsewhere",
            "credential-folio": "D-1",
            "credential-file": (io.BytesIO(b"%PDF-1.4 cut"), "copia.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "incompleto" in response.get_data(as_text=True)
    assert db.session.query(Credential).count() == before


def test_the_evaluator_declares_on_the_assessment_page(world, client, login):
    assessment = world.schedule(declared=False)
    db.session.commit()
    login(world.evaluator)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Registrar mi declaración" in page and "Guardar resultados" not in page
    url = f"/assessments/{assessment.id}/declaration"
    assert client.post(url, data={}).status_code == 422
    assert client.post(url, data={"no_conflict": "y"}).status_code == 302
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "Guardar resultados" in page
