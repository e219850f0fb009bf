"""A body rolls itself out without a shell: from the body administrator alone, a centre is
opened, its administrator invited, who invites an evaluator; each follows the link in the
e-mail the SMTP server on loopback received, chooses a password and logs in. Spanish, on a
tablet; every page is measured by check_page (axe-core, labels, the 360 px fit)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

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
    page.get_by_role("button", name="Enviar invitación").click()
    expect_notice(page, "Invitación enviada.")
    expect(page.get_by_role("row").filter(has_text=person.name)).to_contain_text("Invitado")
    check_page(page)


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
    save_screenshot(admin_page, "9-admin-staff")

    evaluator_page = new_page(TABLET)
    follow_the_invitation(evaluator_page, mailbox, evaluator, evaluator.password, "evaluator")
    log_in(evaluator_page, evaluator, "es")
    expect(evaluator_page).to_have_url(re.compile(r"/assessments/$"))

    # The administrator now sees the evaluator's account as active.
    admin_page.reload()
    row = admin_page.get_by_role("row").filter(has_text=evaluator.name)
    expect(row).to_contain_text("Activa")
    check_page(admin_page)
