"""The spine, end to end through the test client, as each user would do it."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import Candidate
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.rules import Judgement
from app.certificates.models import Certificate
from app.dates import today
from app.extensions import db
from app.standards.models import Standard
from tests import factories


def test_admin_builds_publishes_and_schedules(world, client, login):
    # The body administrator builds and publishes; the centre offers it, then schedules it.
    login(world.body_admin)
    response = client.post(
        "/standards/new",
        data={
            "code": "EC0301",
            "version": "01",
            "title": "Diseño de cursos de formación",
            "level": "3",
            "sector": "Educación",
            "validity_years": "",
            "threshold_percent": "80",
        },
    )
    assert response.status_code == 302
    standard = db.session.scalar(select(Standard).where(Standard.code == "EC0301"))
    url = f"/standards/{standard.id}"
    assert client.post(f"{url}/elements", data={"element-title": "Diseñar"}).status_code == 302
    element = standard.elements[0]
    for kind in ("performance", "product", "knowledge", "attitude"):
        client.post(
            f"{url}/criteria",
            data={
                "criterion-element": element.id,
                "criterion-kind": kind,
                "criterion-text": f"Criterio de {kind}",
            },
        )
    db.session.expire_all()
    for criterion in standard.criteria:
        client.post(
            f"{url}/items",
            data={
                "item-criterion": criterion.id,
                "item-text": "Reactivo",
                "item-weight": "2",
                "item-is_critical": "y",
            },
        )
    response = client.post(f"{url}/publish", follow_redirects=True)
    assert "Ya no se puede modificar" in response.get_data(as_text=True)
    db.session.expire_all()
    assert standard.is_published and len(standard.instrument.items) == 4
    login(world.admin)
    response = client.post("/standards/offered", data={"standard": standard.id})
    assert response.status_code == 302

    response = client.post(
        "/candidates/",
        data={
            "full_name": "Ñoño Güémez Ibarra",
            "curp": factories.valid_curp(77),
            "password": "una-clave-larga",
            "email": "nono@example.com",
            "is_publicly_listed": "y",
        },
    )
    assert response.status_code == 302
    curp = factories.valid_curp(77)
    candidate = db.session.scalar(select(Candidate).where(Candidate.curp == curp))

    start = today() + timedelta(days=1)
    response = client.post(
        "/evaluators/",
        data={
            "evaluator": world.evaluator.id,
            "standard": standard.id,
            "number": "CED-0301-0001",
            "valid_from": start.isoformat(),
            "valid_until": (start + timedelta(days=300)).isoformat(),
        },
    )
    assert response.status_code == 302
    schedule = {
        "candidate": candidate.id,
        "standard": standard.id,
        "starts_at": f"{start.isoformat()}T10:00",
        "ends_at": f"{start.isoformat()}T12:00",
        "show_evaluators": "1",
    }
    # Without a certificate of EC0301 the evaluator is not offered, nor accepted.
    offered = client.post("/assessments/new", data=schedule).get_data(as_text=True)
    assert world.evaluator.full_name not in offered
    response = client.post(
        "/evaluators/credentials",
        data={
            "credential-evaluator": world.evaluator.id,
            "credential-standard_code": "EC0301",
            "credential-source": "elsewhere",
            "credential-folio": "D-0301-000042",
            "credential-file": (io.BytesIO(factories.CERTIFICATE_COPY), "certificado.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    offered = client.post("/assessments/new", data=schedule).get_data(as_text=True)
    assert f'value="{world.evaluator.id}">{world.evaluator.full_name}' in offered
    response = client.post(
        "/assessments/new",
        data={
            "candidate": candidate.id,
            "standard": standard.id,
            "evaluator": world.evaluator.id,
            "starts_at": f"{start.isoformat()}T10:00",
            "ends_at": f"{start.isoformat()}T12:00",
            "location": "Aula 1",
        },
    )
    assert response.status_code == 302


def test_admin_sees_clear_message_when_evaluator_is_not_accredited(world, client, login):
    login(world.admin)
    other = factories.make_standard(world.admin)
    db.session.commit()
    day = today() + timedelta(days=2)
    response = client.post(
        "/assessments/new",
        data={
            "candidate": world.candidate.id,
            "standard": other.id,
            "evaluator": world.evaluator.id,
            "starts_at": f"{day.isoformat()}T10:00",
            "ends_at": f"{day.isoformat()}T12:00",
            "location": "Aula 1",
        },
    )
    assert response.status_code == 422
    assert "no está acreditado" in response.get_data(as_text=True)
    assert db.session.query(Assessment).count() == 0


def test_candidate_with_bad_curp_sees_the_error_in_place_and_nothing_is_saved(world, client, login):
    login(world.admin)
    response = client.post(
        "/candidates/",
        data={
            "full_name": "Ana",
            "curp": "BOXW310820HNERXN08",
            "password": "una-clave-larga",
            "email": "ana@example.com",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="curp-error"' in html and 'aria-invalid="true"' in html
    assert db.session.query(Candidate).count() == 2


def _results_form(assessment, unmet=()):
    data = {}
    for item in assessment.standard.instrument.items:
        data[f"item_{item.id}"] = "not_met" if item.position in unmet else "met"
        data[f"observation_{item.id}"] = f"Observación del reactivo {item.position}"
    return data


def sign_off(client, url: str, feedback: str, confirm: bool = True):
    """What the evaluator does on the preview page: read it, write the feedback, confirm, sign."""
    preview = client.get(f"{url}/sign-off").get_data(as_text=True)
    digest = re.search(r'name="results_digest" type="hidden" value="(\w+)"', preview).group(1)
    data = {"feedback": feedback, "results_digest": digest}
    if confirm:
        data["confirm"] = "y"
    return client.post(f"{url}/sign-off", data=data)


def test_the_whole_journey_from_results_to_public_verification(world, client, login):
    assessment = world.schedule()
    db.session.commit()

    login(world.evaluator)
    page = client.get("/assessments/").get_data(as_text=True)
    assert world.candidate.full_name in page
    url = f"/assessments/{assessment.id}"
    assert client.post(f"{url}/results", data=_results_form(assessment)).status_code == 302
    response = sign_off(client, url, "Excelente conducción del grupo.")
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Competente" in page and 'name="item_' not in page  # locked: no more inputs

    login(world.reviewer)
    assert client.post(f"{url}/review", data={"decision": "approve"}).status_code == 302

    login(world.admin)
    response = client.post(f"/assessments/{assessment.id}/certify", follow_redirects=True)
    assert response.status_code == 200
    certificate = db.session.scalar(select(Certificate))
    assert certificate.folio in response.get_data(as_text=True)

    login(world.candidate.user)
    page = client.get("/certificates/").get_data(as_text=True)
    assert certificate.folio in page
    pdf = client.get(f"/certificates/{certificate.public_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    client.post("/logout")
    public = client.get(f"/v/{certificate.public_id}").get_data(as_text=True)
    assert "VIGENTE" in public or "VALID" in public
    assert world.candidate.full_name in public
    assert world.candidate.curp not in public
    assert re.search(r"[A-Z]{4}\*{6}[HMX][A-Z]{2}\*{3}\w{2}", public)
    by_folio = client.get(f"/verify?folio={certificate.folio}")
    # The holder consented to the public register: the folio's answer names them too.
    assert by_folio.status_code == 200 and world.candidate.full_name in by_folio.get_data(
        as_text=True
    )


def test_not_yet_competent_after_critical_item_unmet_cannot_be_certified(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_results_form(assessment, unmet=(1,)))
    sign_off(client, url, "Falta el encuadre del curso, reforzar.")
    db.session.expire_all()
    assert assessment.judgement == Judgement.NOT_YET_COMPETENT
    login(world.reviewer)
    client.post(f"{url}/review", data={"decision": "approve"})
    login(world.admin)
    client.post(f"{url}/certify")
    assert db.session.query(Certificate).count() == 0
    db.session.expire_all()
    assert assessment.status == AssessmentStatus.REVIEWED


def test_sign_off_without_feedback_shows_the_error_next_to_the_field(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_results_form(assessment))
    response = sign_off(client, url, "corto")
    assert response.status_code == 422
    assert 'id="feedback-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_reviewer_returns_with_reason(world, client, login):
    assessment = world.judge(world.schedule())
    db.session.commit()
    login(world.reviewer)
    url = f"/assessments/{assessment.id}"
    response = client.post(f"{url}/review", data={"decision": "return", "reason": ""})
    assert response.status_code == 422
    client.post(f"{url}/review", data={"decision": "return", "reason": "Falta evidencia"})
    db.session.expire_all()
    assert assessment.status == AssessmentStatus.RETURNED
    login(world.evaluator)
    assert "Falta evidencia" in client.get(url).get_data(as_text=True)


def test_assessment_page_shows_who_changed_which_result(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.evaluator)
    url = f"/assessments/{assessment.id}"
    client.post(f"{url}/results", data=_results_form(assessment))
    client.post(f"{url}/results", data=_results_form(assessment, unmet=(2,)))
    login(world.admin)
    html = client.get(url).get_data(as_text=True)
    assert "result.changed" in html and world.evaluator.full_name in html
    assert "Cumple → No cumple" in html or "Met → Not met" in html


def test_check_and_sign_saves_every_result_before_the_preview(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.evaluator)
    data = {**_results_form(assessment), "feedback": "Demostró dominio del encuadre y cierre."}
    response = client.post(
        f"/assessments/{assessment.id}/results", data={**data, "then": "preview"}
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{assessment.id}/sign-off")
    db.session.expire_all()
    assert len(assessment.results) == len(world.standard.instrument.items)
    assert assessment.judgement is None  # saved, not signed: signing is its own step


def test_a_refused_save_shows_the_typed_results_again_and_saves_nothing(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.evaluator)
    data = {**_results_form(assessment), "feedback": "x" * 5001}
    response = client.post(f"/assessments/{assessment.id}/results", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Observación del reactivo 3" in html and 'id="feedback-error"' in html
    db.session.expire_all()
    assert assessment.results == [] and assessment.status == AssessmentStatus.SCHEDULED


def test_saving_keeps_a_feedback_draft(world, client, login):
    assessment = world.schedule()
    db.session.commit()
    login(world.evaluator)
    client.post(
        f"/assessments/{assessment.id}/results",
        data={**_results_form(assessment), "feedback": "Borrador de retroalimentación"},
    )
    assert "Borrador de retroalimentación" in client.get(f"/assessments/{assessment.id}").get_data(
        as_text=True
    )
