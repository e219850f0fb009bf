"""The plan through the pages: the centre prepares it, the candidate accepts it on their own
"Mis evaluaciones", and the evaluator cannot record results until then."""

from app.assessments import plans, services
from app.extensions import db


def _plan_form(assessment, **changes) -> dict:
    data = {}
    for element in assessment.standard.elements:
        n = element.id
        data |= {
            f"include_{n}": "y",
            f"evidence_{n}": ["observation", "product"],
            f"place_{n}": "Taller 2",
            f"starts_at_{n}": "2031-03-04T09:30",
            f"resources_{n}": "Proyector",
            f"notes_{n}": "",
        }
    return data | changes


def test_the_candidate_accepts_the_plan_the_centre_prepared_and_results_follow(
    world, client, login
):
    assessment = world.schedule(planned=False)
    db.session.commit()
    url = f"/assessments/{assessment.id}"
    item = world.standard.instrument.items[0]
    results = {f"item_{item.id}": "met", f"observation_{item.id}": ""}

    login(world.evaluator)
    refused = client.post(f"{url}/results", data=results)
    assert refused.status_code == 422 and "no ha aceptado el plan" in refused.get_data(as_text=True)
    assert "no ha aceptado el plan" in client.get(url).get_data(as_text=True)

    login(world.admin)
    assert "Aún no se prepara" in client.get(url).get_data(as_text=True)
    assert "Preparar el plan" in client.get(f"{url}/plan").get_data(as_text=True)
    n = world.standard.elements[0].id
    bad = client.post(f"{url}/plan", data=_plan_form(assessment, **{f"place_{n}": ""}))
    assert bad.status_code == 422 and "Indica dónde se evalúa" in bad.get_data(as_text=True)
    assert plans.get_plan(assessment) is None
    assert client.post(f"{url}/plan", data=_plan_form(assessment)).status_code == 302

    login(world.candidate.user)
    mine = client.get("/assessments/mine").get_data(as_text=True)
    assert "Pendiente de tu aceptación" in mine and f"{url}/plan" in mine
    assert "Taller 2" in mine and world.evaluator.full_name in mine
    page = client.get(f"{url}/plan").get_data(as_text=True)
    assert "Observación, Producto" in page and "Proyector" in page
    digest = plans.get_plan(assessment).content_hash
    assert digest in page
    response = client.post(f"{url}/plan/accept", data={"content_hash": digest, "agree": "y"})
    assert response.status_code == 302 and response.location.endswith("/assessments/mine")
    assert "Lo aceptaste el" in client.get("/assessments/mine").get_data(as_text=True)

    login(world.evaluator)
    assert client.post(f"{url}/results", data=results).status_code == 302
    assert "Aceptado por el candidato" in client.get(url).get_data(as_text=True)
    changed = _plan_form(assessment, **{f"notes_{n}": "Traer identificación"})
    assert client.post(f"{url}/plan", data=changed).status_code == 302
    assert client.post(f"{url}/results", data=results).status_code == 422

    login(world.candidate.user)
    assert "Cambios pendientes de aceptar" in client.get("/assessments/mine").get_data(as_text=True)


def test_a_stale_or_unticked_acceptance_changes_nothing(world, client, login):
    assessment = world.schedule(planned=False)
    plan = plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
    db.session.commit()
    url = f"/assessments/{assessment.id}/plan/accept"
    login(world.candidate.user)
    assert client.post(url, data={"content_hash": plan.content_hash}).status_code == 422
    assert client.post(url, data={"content_hash": "0" * 64, "agree": "y"}).status_code == 409
    db.session.expire_all()
    assert plans.get_plan(assessment).acceptances == []


def test_another_candidate_sees_nothing_of_this_candidates_assessments(world, client, login):
    assessment = world.schedule(planned=False)
    plan = plans.save_plan(world.admin, assessment, plans.default_elements(assessment))
    db.session.commit()
    login(world.other_candidate.user)
    assert client.get(f"/assessments/{assessment.id}/plan").status_code == 404
    accept = {"content_hash": plan.content_hash, "agree": "y"}
    assert client.post(f"/assessments/{assessment.id}/plan/accept", data=accept).status_code == 404
    mine = client.get("/assessments/mine").get_data(as_text=True)
    assert world.standard.full_code not in mine and "Aún no tienes evaluaciones" in mine
    db.session.expire_all()
    assert plans.get_plan(assessment).acceptances == []


def test_the_candidate_reads_why_they_are_not_yet_competent_once_approved(world, client, login):
    assessment = world.judge(world.schedule(), unmet=(1,))
    db.session.commit()
    login(world.candidate.user)
    mine = client.get("/assessments/mine").get_data(as_text=True)
    assert "Todavía no competente" not in mine and "está revisando tu juicio" in mine
    services.approve_judgement(world.reviewer, assessment)
    db.session.commit()
    mine = client.get("/assessments/mine").get_data(as_text=True)
    assert "Todavía no competente" in mine
    assert "Reactivo crítico no cumplido: 1. Reactivo 1" in mine
    assert "Puntaje ponderado de 70.0 % frente al 90 % requerido." in mine
    assert "reforzar la evaluación final" in mine
    assert "Mis evaluaciones" in client.get("/certificates/").get_data(as_text=True)


def test_the_candidate_gets_the_cedula_and_the_way_to_appeal_from_their_assessments(
    world, client, login
):
    assessment = world.judge(world.schedule(), unmet=(1,))
    services.approve_judgement(world.reviewer, assessment)
    db.session.commit()
    login(world.candidate.user)
    mine = client.get("/assessments/mine").get_data(as_text=True)
    assert f"/assessments/{assessment.id}/cedula.pdf" in mine
    assert f"/appeals/assessments/{assessment.id}/new" in mine
    acknowledged = client.post(f"/assessments/{assessment.id}/cedula/acknowledge")
    assert acknowledged.status_code == 302
    mine = client.get("/assessments/mine").get_data(as_text=True)
    assert "Confirmaste haberla recibido" in mine
