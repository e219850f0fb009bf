"""The whole process for one candidate, in one real browser walk (issue 13): a diagnostic, the
booking and its plan, results with photos and a dropped connection, the sign-off preview, the
review, the cédula, an appeal upheld by someone not involved, the re-assessment with another
evaluator (sampled for review), and the certificate.

Staff work on a tablet, the candidate on a phone, in Spanish; every page is measured by
check_page (axe, labels, the 360 px fit), in the shared steps or here. The world is built once,
through the services; the session is booked in the past (time-machine, as the factories do) so
that results can be recorded now. The re-assessment is booked in the browser a few minutes
ahead, so the clock is moved past its start (time-machine, in this process: the live server
runs in a thread of it) before its results are recorded.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.roles import Role
from app.assessments.models import ItemResult
from app.dates import local_zone
from app.extensions import db
from tests import factories
from tests.browser.scenarios import Item, Person, _person
from tests.browser.steps import (
    ISSUE_TIMEOUT_MS,
    accept_plan,
    answer,
    attach,
    expect_judgement,
    expect_notice,
    log_in,
    open_assessment,
    record_every_item,
    sign_off,
    switch_language,
)
from tests.browser.support import PHONE, TABLET, check_page
from tests.browser.texts import COMPETENT, NOT_YET_COMPETENT, TEXT
from tests.evidence_files import photo

pytestmark = pytest.mark.browser
T = TEXT["es"]


@dataclass(frozen=True)
class Walk:
    admin: Person
    evaluator: Person
    second_evaluator: Person
    reviewer: Person
    candidate: Person
    candidate_id: int
    standard_id: int
    standard_code: str
    assessment_id: int
    items: tuple[Item, ...]


def candidate_booked_with_two_evaluators(live) -> Walk:
    """A centre with two accredited evaluators; the candidate's session booked a day before it
    started (the centre's booking), with no plan and no declaration yet."""
    with live.data():
        world = factories.make_world()
        second = factories.make_user(world.centre, Role.EVALUATOR, "Ricardo Salas Fuentes")
        factories.accredit(second, world.standard)
        assessment = world.schedule(declared=False, planned=False)
        return Walk(
            admin=_person(world.admin),
            evaluator=_person(world.evaluator),
            second_evaluator=_person(second),
            reviewer=_person(world.reviewer),
            candidate=_person(world.candidate.user),
            candidate_id=world.candidate.id,
            standard_id=world.standard.id,
            standard_code=world.standard.full_code,
            assessment_id=assessment.id,
            items=tuple(
                Item(i.id, i.position, i.is_critical) for i in world.standard.instrument.items
            ),
        )


@pytest.fixture
def sampled_for_review(live_server, monkeypatch):
    """Every Competente judgement is sampled for review, from the evaluator's first one on:
    the re-assessment's selection is "Selected at random", whatever the draw."""
    monkeypatch.setitem(live_server.app.config, "REVIEW_ALWAYS_FIRST_N", 0)
    monkeypatch.setitem(live_server.app.config, "REVIEW_SAMPLE_PERCENT", 100)


def test_one_candidate_walks_the_whole_process(live_server, new_page, sampled_for_review):
    walk = candidate_booked_with_two_evaluators(live_server)
    with live_server.app.app_context():
        zone = local_zone()
    admin, evaluator, reviewer = new_page(TABLET), new_page(TABLET), new_page(TABLET)
    candidate = new_page(PHONE)
    log_in(admin, walk.admin, "es")
    log_in(candidate, walk.candidate, "es")
    log_in(reviewer, walk.reviewer, "es")

    diagnostic(admin, candidate, walk)
    plan_drafted_and_accepted(admin, candidate, walk, walk.assessment_id)
    first_attempt(evaluator, live_server, walk)
    review(reviewer, walk.assessment_id, "Verificación obligatoria: Todavía no competente")
    appeal_url = cedula_and_appeal(candidate, walk)
    second_id = appeal_upheld_and_reassessment(admin, walk, appeal_url, zone)

    # The re-assessment starts in a few minutes: results are recorded once it has started.
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=15), tick=True):
        plan_drafted_and_accepted(admin, candidate, walk, second_id)
        second_attempt(new_page(TABLET), walk, second_id)
        review(reviewer, second_id, "Seleccionado al azar para verificación")
        certificate(admin, candidate, walk, second_id)
        candidate_pages_in_english(candidate, walk, appeal_url, second_id)


def diagnostic(staff, candidate, walk: Walk) -> None:
    staff.goto("/diagnostics/")
    check_page(staff, "walk-1-diagnostic-open")
    staff.get_by_label("Candidato").select_option(str(walk.candidate_id))
    staff.get_by_label("Estándar de Competencia").select_option(str(walk.standard_id))
    staff.get_by_role("button", name="Abrir el diagnóstico").click()
    expect_notice(staff, "Diagnóstico abierto. Se avisó a la persona candidata por correo.")
    check_page(staff)

    candidate.goto("/diagnostics/")
    check_page(candidate, "walk-1-diagnostic-mine")
    row = candidate.get_by_role("row").filter(has_text=walk.standard_code)
    expect(row).to_contain_text("En espera de respuestas")
    row.get_by_role("link").click()
    for choice in candidate.get_by_label("Sí, lo sé").all():
        choice.check()
    check_page(candidate, "walk-1-diagnostic-answers")
    candidate.get_by_role("button", name="Enviar mis respuestas").click()
    expect_notice(candidate, "Respuestas guardadas.")
    result = candidate.locator(".diagnostic-result")
    expect(result).to_contain_text("Listo para evaluarse")
    expect(result).to_contain_text("el centro puede agendar la evaluación")
    check_page(candidate, "walk-1-diagnostic-advice")


def plan_drafted_and_accepted(admin, candidate, walk: Walk, assessment_id: int) -> None:
    admin.goto(f"/assessments/{assessment_id}/plan")
    check_page(admin)
    admin.get_by_role("button", name="Guardar el plan").click()
    expect_notice(admin, "Plan guardado. Se pidió al candidato que lo acepte.")
    check_page(admin)
    accept_plan(candidate, walk.standard_code)


def first_attempt(page, live, walk: Walk) -> None:
    """Declared, recorded through a dropped connection, two photos, a critical item not met."""
    log_in(page, walk.evaluator, "es")
    open_assessment(page, walk.candidate.name)
    page.get_by_label(
        "Declaro que no capacité a este candidato (sin conflicto de interés)."
    ).check()
    page.get_by_role("button", name="Registrar mi declaración").click()
    expect_notice(page, "Declaración registrada.")
    check_page(page, "walk-3-declared")

    critical = next(item for item in walk.items if item.is_critical)
    other = next(item for item in walk.items if not item.is_critical)
    state = page.locator("[data-save-state]")
    answer(page, other, True, "Verificó el equipo")
    expect(state).to_have_text(T["saved"])
    page.context.set_offline(True)
    answer(page, critical, False, "No presentó el encuadre")
    expect(state).to_contain_text(T["offline"])
    page.context.set_offline(False)
    expect(state).to_have_text(T["saved"])
    assert results_on_the_server(live, walk.assessment_id) == {
        other.id: (True, "Verificó el equipo"),
        critical.id: (False, "No presentó el encuadre"),
    }
    check_page(page)

    record_every_item(page, walk.items, "es", not_met={critical.id})
    attach(page, critical.id, "foto-1.jpg", photo(), "image/jpeg")
    expect_notice(page, "Evidencia adjuntada: foto-1.jpg.")
    attach(page, critical.id, "foto-2.jpg", photo(colour=(10, 200, 10)), "image/jpeg")
    expect_notice(page, "Evidencia adjuntada: foto-2.jpg.")
    expect(page.locator(f"#evidence-{critical.id}")).to_contain_text("(archivos: 2)")
    check_page(page, "walk-3-evidence")

    sign_off(
        page,
        "es",
        "Buena conducción del grupo; falta presentar el encuadre completo.",
        preview_shows=(
            f"No cumple: {critical.position}. Reactivo {critical.position}",
            re.compile(r"Puntaje ponderado: 70(\.0+)? % de 90 % requerido"),
        ),
    )
    expect_judgement(page, "es", NOT_YET_COMPETENT)


def results_on_the_server(live, assessment_id: int) -> dict[int, tuple[bool, str]]:
    with live.app.app_context():
        rows = db.session.scalars(
            select(ItemResult).where(ItemResult.assessment_id == assessment_id)
        )
        return {row.item_id: (row.is_met, row.observation) for row in rows}


def review(page, assessment_id: int, selection: str) -> None:
    """The reviewer sees why the judgement was selected for review, and approves it."""
    page.goto(f"/assessments/{assessment_id}")
    expect(page.locator(".review-selection")).to_contain_text(selection)
    check_page(page, "walk-review")
    page.get_by_label(T["approve"]).check()
    page.get_by_role("button", name=T["record_review"]).click()
    expect_notice(page, T["review_recorded"])
    check_page(page)


def cedula_and_appeal(page, walk: Walk) -> str:
    """The candidate downloads and acknowledges the cédula, then files an appeal."""
    page.goto(f"/assessments/{walk.assessment_id}")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar la cédula (PDF)").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    page.get_by_role("button", name="He recibido mi cédula").click()
    expect_notice(page, "Gracias: registramos que recibiste tu cédula.")
    check_page(page, "walk-6-cedula")
    page.get_by_role("button", name="Presentar inconformidad").click()
    check_page(page, "walk-6-appeal-form")
    page.get_by_label("¿Por qué no estás de acuerdo con el juicio de competencia?").fill(
        "Sí presenté el encuadre al inicio de la sesión; el evaluador llegó tarde y no lo vio."
    )
    page.get_by_role("button", name="Enviar la inconformidad").click()
    expect_notice(page, "Recibimos tu inconformidad.")
    check_page(page, "walk-6-appeal-filed")
    return page.url


def appeal_upheld_and_reassessment(page, walk: Walk, appeal_url: str, zone) -> int:
    """The administrator, who neither evaluated nor reviewed, upholds the appeal and books the
    re-assessment with the other evaluator; the new attempt shows the chain."""
    page.goto(appeal_url)
    check_page(page, "walk-7-appeal")
    page.get_by_label(
        "Declarar procedente la inconformidad: el candidato será evaluado de nuevo"
    ).check()
    page.get_by_label("Motivos de la resolución").fill(
        "El evaluador llegó tarde: la candidata será evaluada de nuevo por otra persona."
    )
    page.get_by_role("button", name="Registrar la resolución").click()
    expect_notice(page, "Resolución registrada.")
    check_page(page)
    page.get_by_role("button", name="Programar la nueva evaluación").click()
    check_page(page, "walk-7-reassess")
    starts = (datetime.now(zone) + timedelta(minutes=3)).replace(second=0, microsecond=0)
    page.get_by_label("Evaluador").select_option(label=walk.second_evaluator.name)
    page.get_by_label("Inicio").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Término").fill((starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lugar").fill("Taller 3")
    page.get_by_role("button", name="Programar la nueva evaluación").click()
    expect_notice(page, "Nueva evaluación programada.")
    attempts = page.get_by_role("region", name="Intentos")
    expect(attempts.get_by_role("listitem")).to_have_count(2)
    expect(attempts).to_contain_text("Intento anterior")
    expect(attempts).to_contain_text("Este intento")
    expect(attempts).to_contain_text(NOT_YET_COMPETENT)
    check_page(page, "walk-7-attempts")
    return int(re.search(r"/assessments/(\d+)$", page.url).group(1))


def second_attempt(page, walk: Walk, assessment_id: int) -> None:
    log_in(page, walk.second_evaluator, "es")
    page.goto(f"/assessments/{assessment_id}")
    page.get_by_label(
        "Declaro que no capacité a este candidato (sin conflicto de interés)."
    ).check()
    page.get_by_role("button", name="Registrar mi declaración").click()
    expect_notice(page, "Declaración registrada.")
    record_every_item(page, walk.items, "es")
    sign_off(page, "es", "Presentó el encuadre completo y condujo el grupo con seguridad.")
    expect_judgement(page, "es", COMPETENT)
    expect(page.locator(".review-selection")).to_contain_text(
        "Seleccionado al azar para verificación"
    )


def certificate(admin, candidate, walk: Walk, assessment_id: int) -> None:
    admin.goto(f"/assessments/{assessment_id}")
    admin.get_by_role("button", name=T["issue"]).click()
    issued = re.compile(re.escape(T["issued"]).replace(re.escape("{folio}"), r"(\S+)"))
    notice = admin.get_by_role("status").filter(has_text=issued)
    expect(notice).to_be_visible(timeout=ISSUE_TIMEOUT_MS)
    folio = issued.search(notice.inner_text()).group(1)
    check_page(admin, "walk-9-issued")

    candidate.goto("/certificates/")
    expect(candidate.get_by_role("heading", level=1)).to_have_text(T["my_certificates"])
    card = candidate.locator("article.certificate-card").filter(has_text=folio)
    expect(card).to_contain_text(walk.candidate.name)
    check_page(candidate, "walk-9-certificate")


def candidate_pages_in_english(page, walk: Walk, appeal_url: str, second_id: int) -> None:
    """The candidate's pages of the walk once more, in English (their choice, kept)."""
    switch_language(page, "en")
    page.goto("/assessments/mine")
    expect(page.get_by_role("heading", level=1)).to_have_text("My assessments")
    expect(page.locator("article.my-assessment")).to_have_count(2)
    check_page(page, "walk-en-mine")
    page.goto("/diagnostics/")
    expect(page.locator("main")).to_contain_text("Ready to be assessed")
    check_page(page, "walk-en-diagnostics")
    for path in (f"/assessments/{walk.assessment_id}", appeal_url, f"/assessments/{second_id}"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        check_page(page)
    expect(page.get_by_role("region", name="Attempts")).to_contain_text("Previous attempt")
    page.goto("/certificates/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXT["en"]["my_certificates"])
    check_page(page, "walk-en-certificates")
