"""The cédula de evaluación rendered for real, downloaded as the candidate would, read back."""

import io

import pytest
from pypdf import PdfReader

from app.accounts.curp import mask_curp
from app.assessments import services
from app.extensions import db
from tests.pdf_tools import pdf_text

FEEDBACK = 'Buen manejo del grupo <script>alert("x")</script> & <b>repasar</b> la evaluación final.'


@pytest.fixture
def final_judgement(world):
    """A Todavía no competente (critical item 1 unmet) approved by the reviewer, with feedback
    typed by the evaluator that looks like HTML."""
    assessment = world.schedule()
    items = world.standard.instrument.items
    services.record_item_results(
        world.evaluator,
        assessment,
        {item.id: (item.position != 1, f"Observación {item.position}") for item in items},
    )
    services.sign_off_judgement(world.evaluator, assessment, FEEDBACK)
    services.approve_judgement(world.reviewer, assessment)
    db.session.commit()
    return assessment


def download(client, login, user, assessment, language=None):
    login(user)
    if language:
        client.post("/language", data={"locale": language})
    response = client.get(f"/assessments/{assessment.id}/cedula.pdf")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    return response.data


def test_the_cedula_states_every_item_by_element_the_judgement_and_who_signed(
    world, final_judgement, client, login
):
    pdf = download(client, login, world.candidate.user, final_judgement)
    text = " ".join(pdf_text(pdf).split())
    assert "Cédula de evaluación" in text
    assert "María José Núñez Ávila" in text
    assert mask_curp(world.candidate.curp) in text and world.candidate.curp not in text
    standard = world.standard
    assert standard.full_code in text and standard.title in text
    assert "Taller 2" in text
    for element in standard.elements:
        assert f"Elemento {element.position}: {element.title}" in text
    for item in standard.instrument.items:
        assert " ".join(item.text.split()) in text
        assert f"Observación {item.position}" in text
    assert text.count("No cumple") == 1 and "[Crítico]" in text
    assert "Todavía no competente" in text
    assert f"Puntaje ponderado: {final_judgement.score_percent} %" in text
    assert f"Umbral: {standard.instrument.threshold_percent} %" in text
    assert "Reactivos críticos no cumplidos: 1" in text
    assert "Laura Méndez Ochoa" in text


def test_feedback_typed_as_html_is_printed_as_text_never_run(world, final_judgement, client, login):
    pdf = download(client, login, world.reviewer, final_judgement)
    text = " ".join(pdf_text(pdf).split())
    assert '<script>alert("x")</script> & <b>repasar</b>' in text


def test_the_cedula_speaks_english_to_an_english_reader_and_is_tagged(
    world, final_judgement, client, login
):
    pdf = download(client, login, world.admin, final_judgement, language="en")
    text = " ".join(pdf_text(pdf).split())
    assert "Assessment record (cédula de evaluación)" in text
    assert "Not met" in text and "Todavía no competente" in text
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "en"
