"""A body rolls itself out without a shell: from the body administrator alone, a centre is
opened, its administrator invited, who invites an evaluator and a quality reviewer; each
follows the link in the e-mail the SMTP server on loopback received, chooses a password and
logs in. The body administrator imports EC0217.01 and EC0076 from a CSV file and publishes
them; the centre offers EC0217.01, accredits its evaluator, registers a candidate and books the
assessment, and both receive the session as a calendar file. Spanish, on a tablet; every page
is measured by check_page (axe-core, labels, the 360 px fit)."""

import csv
import io
import re
import zlib
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser import scenarios
from tests.browser.scenarios import Person
from tests.browser.steps import expect_notice, go_to, log_in
from tests.browser.support import TABLET, check_page, save_screenshot

pytestmark = pytest.mark.browser


def follow_the_invitation(page, mailbox, person: Person, password: str, where: str) -> None:
    received = mailbox.last_to(person.email)
    assert received.subject == "Tu invitación a Avala"
    (link,) = received.links
    page.goto(urlsplit(link).path)
    check_page(page, f"9-{where}-choose-password")
    page.get_by_label("Nueva contraseña", exact=True).fill(password)
    page.get_by_label("Repite la nueva contraseña", exact=True).fill(password)
    page.get_by_role("button", name="Guardar contraseña").click()
    expect_notice(page, "Tu contraseña quedó guardada.")
    check_page(page)


def invite(page, person: Person, role: str | None = None) -> None:
    page.get_by_label("Nombre completo", exact=True).fill(person.name)
    page.get_by_label("Correo electrónico", exact=True).fill(person.email)
    if role:
        page.get_by_label("Rol", exact=True).select_option(label=role)
    page.get_by_role("button", name="Enviar invitación", exact=True).click()
    expect_notice(page, "Invitación enviada.")
    expect(page.get_by_role("row").filter(has_text=person.name)).to_contain_text("Invitado")
    check_page(page)


# The two standards as the body would receive them: one CSV row per criterion and its item.
# EC0076 (the evaluator standard) has no version, as CONOCER lists it.
CATALOGUE_CSV = [
    (
        "EC0217",
        "01",
        "Impartición de cursos de formación del capital humano de manera presencial grupal",
        90,
        [
            (
                "Preparar la sesión de capacitación",
                [
                    (
                        "product",
                        "La carta descriptiva incluye objetivos, temas y tiempos.",
                        2,
                        "sí",
                    ),
                    (
                        "performance",
                        "Verifica el lugar, el equipo y los materiales antes de iniciar.",
                        1,
                        "no",
                    ),
                ],
            ),
            (
                "Conducir la sesión de capacitación",
                [
                    (
                        "performance",
                        "Presenta el objetivo general al inicio de la sesión.",
                        2,
                        "sí",
                    ),
                    ("knowledge", "Explica qué es una técnica instruccional.", 1, "no"),
                ],
            ),
        ],
    ),
    (
        "EC0076",
        "",
        "Evaluación de la competencia de candidatos con base en Estándares de Competencia",
        100,
        [
            (
                "Desarrollar el proceso de evaluación de competencia de candidatos",
                [
                    (
                        "performance",
                        "Aplica los instrumentos de evaluación conforme al plan acordado.",
                        1,
                        "sí",
                    ),
                ],
            ),
        ],
    ),
]

# A scanned certificate as it would arrive: the smallest complete PDF.
CERTIFICATE_COPY = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def catalogue_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        (
            "code",
            "version",
            "title",
            "level",
            "sector",
            "validity_years",
            "threshold_percent",
            "element",
            "element_title",
            "criterion",
            "kind",
            "criterion_text",
            "item",
            "item_text",
            "weight",
            "critical",
        )
    )
    for code, version, title, threshold, elements in CATALOGUE_CSV:
        item = 0
        for e, (element_title, criteria) in enumerate(elements, start=1):
            for c, (kind, text, weight, critical) in enumerate(criteria, start=1):
                item += 1
                writer.writerow(
                    (
                        code,
                        version,
                        title,
                        3,
                        "Educación y formación de personas",
                        3,
                        threshold,
                        e,
                        element_title,
                        c,
                        kind,
                        text,
                        item,
                        text,
                        weight,
                        critical,
                    )
                )
    return out.getvalue().encode("utf-8")


def import_and_publish_the_catalogue(page) -> None:
    go_to(page, "Estándares")
    page.get_by_role("button", name="Importar Estándares de Competencia").click()
    check_page(page, "12-standards-import")
    page.get_by_label("Formato", exact=True).select_option(label="CSV (una fila por criterio)")
    page.get_by_label("Archivo", exact=True).set_input_files(
        {"name": "catalogo.csv", "mimeType": "text/csv", "buffer": catalogue_csv()}
    )
    page.get_by_role("button", name="Importar", exact=True).click()
    expect_notice(page, "2 Estándares de Competencia importados como borradores.")
    check_page(page)
    for code in ("EC0217.01", "EC0076"):
        go_to(page, "Estándares")
        page.get_by_role("link", name=code, exact=True).click()
        check_page(page)
        page.get_by_role("button", name="Publicar…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"¿Publicar {code}?")
        check_page(page)
        page.get_by_role("button", name="Publicar esta versión").click()
        expect_notice(page, "Estándar de Competencia publicado. Ya no se puede modificar.")
        check_page(page)


def offer(page, code: str) -> None:
    page.goto("/standards/offered")
    check_page(page, "12-admin-offered")
    choice = page.get_by_label("Estándar publicado", exact=True)
    choice.select_option(value=choice.locator("option", has_text=code).get_attribute("value"))
    page.get_by_role("button", name="Ofrecer este estándar").click()
    expect_notice(page, f"El centro ahora ofrece {code}.")
    check_page(page)


def _form(page, heading: str):
    return page.locator("article").filter(has=page.get_by_role("heading", name=heading))


def accredit(page, evaluator: Person, standard: str) -> None:
    """Both certificates the cédula needs, each a folio and a scanned copy; then the cédula."""
    go_to(page, "Evaluadores")
    for code, folio in (("EC0076", "D-0076-118204"), ("EC0217", "D-0217-553017")):
        form = _form(page, "Registrar un certificado de un evaluador")
        form.get_by_label("Evaluador", exact=True).select_option(label=evaluator.name)
        form.get_by_label("Estándar certificado", exact=True).fill(code)
        form.get_by_label("Fecha de emisión", exact=True).select_option(
            label="En otro lugar (adjunte una copia)"
        )
        form.get_by_label("Folio", exact=True).fill(folio)
        form.get_by_label(re.compile("^Copia del certificado")).set_input_files(
            {"name": f"{folio}.pdf", "mimeType": "application/pdf", "buffer": CERTIFICATE_COPY}
        )
        form.get_by_role("button", name="Guardar certificado").click()
        expect_notice(page, "Certificado registrado.")
        expect(page.get_by_role("row").filter(has_text=folio)).to_contain_text(code)
        check_page(page)
    form = _form(page, "Registrar una acreditación")
    form.get_by_label("Evaluador", exact=True).select_option(label=evaluator.name)
    choice = form.get_by_label("Estándar de Competencia", exact=True)
    choice.select_option(value=choice.locator("option", has_text=standard).get_attribute("value"))
    form.get_by_label("Número de cédula de acreditación", exact=True).fill("CED-0217-0042")
    form.get_by_label("Vigente desde", exact=True).fill(date.today().isoformat())
    form.get_by_label("Vigente hasta", exact=True).fill(
        (date.today() + timedelta(days=730)).isoformat()
    )
    form.get_by_role("button", name="Guardar acreditación").click()
    expect_notice(page, "Acreditación registrada.")
    expect(page.get_by_role("row").filter(has_text="CED-0217-0042")).to_contain_text(standard)
    check_page(page, "12-admin-evaluators")


def register_candidate(page, candidate: Person, curp: str) -> None:
    go_to(page, "Candidatos")
    born = f"19{curp[4:6]}-{curp[6:8]}-{curp[8:10]}"  # the CURP's own birth date
    page.get_by_label("Nombre completo", exact=True).fill(candidate.name)
    page.get_by_label("CURP", exact=True).fill(curp)
    page.get_by_label("Fecha de nacimiento", exact=True).fill(born)
    page.get_by_label("Correo electrónico", exact=True).fill(candidate.email)
    page.get_by_role("button", name="Registrar", exact=True).click()
    expect_notice(page, "Candidato registrado; le enviamos una invitación por correo.")
    expect(page.get_by_role("row").filter(has_text=candidate.name)).to_contain_text(curp)
    check_page(page, "12-admin-candidates")


def schedule(page, candidate: Person, evaluator: Person, standard: str, starts: datetime) -> None:
    go_to(page, "Evaluaciones")
    page.get_by_role("button", name="Programar una evaluación").click()
    check_page(page, "12-admin-schedule")
    choice = page.get_by_label("Candidato", exact=True)  # "name (CURP)"
    choice.select_option(
        value=choice.locator("option", has_text=candidate.name).get_attribute("value")
    )
    choice = page.get_by_label("Estándar de Competencia", exact=True)
    choice.select_option(value=choice.locator("option", has_text=standard).get_attribute("value"))
    page.get_by_label("Inicio", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Término", exact=True).fill(
        (starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role(
        "button", name="Mostrar los evaluadores acreditados para este estándar y fecha"
    ).click()
    check_page(page, "12-admin-schedule-evaluators")
    page.get_by_label("Evaluador", exact=True).select_option(label=evaluator.name)
    page.get_by_label("Lugar", exact=True).fill("Aula 3, edificio B")
    page.get_by_role("button", name="Programar", exact=True).click()
    expect_notice(page, "Evaluación programada.")
    check_page(page)


def expect_the_calendar(mailbox, person: Person, others: tuple[str, ...]) -> None:
    """The booking's e-mail carries the session as an .ics file naming the standard and both
    people (folded lines joined back, as RFC 5545 says)."""
    calendars = [
        part
        for received in mailbox.to(person.email)
        for part in received.message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(calendars) == 1, f"{person.email} got {len(calendars)} calendar files"
    (calendar,) = calendars
    assert calendar.get_filename().endswith(".ics")
    text = calendar.get_payload(decode=True).decode("utf-8").replace("\r\n ", "")
    assert "BEGIN:VEVENT" in text
    assert "EC0217.01" in text
    for expected in others:
        assert expected in text, f"{expected} missing from the calendar file"


def test_the_body_administrator_opens_a_centre_whose_people_invite_each_other(
    live_server, new_page, mail_server
):
    mailbox = mail_server.mailbox
    body = scenarios.body_administrator(live_server)
    code = f"CONALEP-TOL-{body.email.split('@')[0][-3:]}"
    admin = Person(
        f"direccion.{code.lower()}@example.com",
        "Leticia Arroyo Campos",
        "jacaranda-sobre-el-tejado",
    )
    evaluator = Person(
        f"evaluacion.{code.lower()}@example.com", "Ramón Quiroga Soto", "colibri-en-la-ventana-azul"
    )
    reviewer = Person(
        f"calidad.{code.lower()}@example.com", "Silvia Medina Ortega", "garza-junto-al-lago-verde"
    )
    candidate = Person(f"aspirante.{code.lower()}@example.com", "Daniela Fuentes Rivas")

    page = new_page(TABLET)
    log_in(page, body, "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Centros de Evaluación")
    page.get_by_label("Nombre", exact=True).fill("CONALEP Plantel Toluca")
    page.get_by_label("Código", exact=True).fill(code)
    page.get_by_label("Ciudad", exact=True).fill("Toluca")
    page.get_by_role("button", name="Dar de alta el centro").click()
    expect_notice(page, "Centro dado de alta.")
    expect(page.get_by_role("heading", level=1)).to_have_text("CONALEP Plantel Toluca")
    check_page(page, "9-body-centre")
    invite(page, admin)
    save_screenshot(page, "9-body-admin-invited")

    # The centre administrator, in a browser of their own.
    admin_page = new_page(TABLET)
    follow_the_invitation(admin_page, mailbox, admin, admin.password, "admin")
    log_in(admin_page, admin, "es")
    go_to(admin_page, "Personal")
    invite(admin_page, evaluator, role="Evaluador")
    invite(admin_page, reviewer, role="Verificador interno")
    save_screenshot(admin_page, "9-admin-staff")

    evaluator_page = new_page(TABLET)
    follow_the_invitation(evaluator_page, mailbox, evaluator, evaluator.password, "evaluator")
    log_in(evaluator_page, evaluator, "es")
    expect(evaluator_page).to_have_url(re.compile(r"/assessments/$"))

    reviewer_page = new_page(TABLET)
    follow_the_invitation(reviewer_page, mailbox, reviewer, reviewer.password, "reviewer")
    log_in(reviewer_page, reviewer, "es")

    # The administrator now sees both accounts as active.
    admin_page.reload()
    for person in (evaluator, reviewer):
        expect(admin_page.get_by_role("row").filter(has_text=person.name)).to_contain_text("Activa")
    check_page(admin_page)

    # The body enters its catalogue from a file; the centre offers the standard it assesses.
    import_and_publish_the_catalogue(page)
    offer(admin_page, "EC0217.01")
    accredit(admin_page, evaluator, "EC0217.01")
    register_candidate(
        admin_page, candidate, factories.valid_curp(zlib.crc32(code.encode()), "M", "FURD")
    )
    tomorrow = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
    schedule(admin_page, candidate, evaluator, "EC0217.01", tomorrow + timedelta(days=2))
    save_screenshot(admin_page, "12-admin-booked")
    expect_the_calendar(mailbox, candidate, (candidate.name, evaluator.email, candidate.email))
    expect_the_calendar(mailbox, evaluator, (candidate.name, evaluator.email, candidate.email))
