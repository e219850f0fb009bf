"""Steps that several journeys share, written the way a person does them: by labels and names.

Each step measures every page it lands on with check_page (axe-core, labels, the 360 px fit).
"""

import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.browser.scenarios import Item, Person
from tests.browser.support import check_page
from tests.browser.texts import TEXT

# Rendering and storing a certificate takes longer than an ordinary page.
ISSUE_TIMEOUT_MS = 30_000


def switch_language(page, lang: str) -> None:
    """Tap the other language's name in the footer: a signed-in user's choice is kept in the
    session, a visitor's in the address (?lang=), so that visitors get no cookie."""
    name = "Español" if lang == "es" else "English"
    page.get_by_role("contentinfo").get_by_role("button", name=name, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", TEXT[lang]["html_lang"])
    check_page(page)


def log_in(page, person: Person, lang: str) -> None:
    t = TEXT[lang]
    if urlparse(page.url).path != "/login":
        page.goto("/login")
        check_page(page)
    page.get_by_label(t["email"], exact=True).fill(person.email)
    page.get_by_label(t["password"], exact=True).fill(person.password)
    page.get_by_role("button", name=t["log_in"], exact=True).click()
    expect(page.get_by_role("button", name=t["log_out"])).to_be_visible()
    check_page(page)


def expect_notice(page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def open_assessment(page, candidate: str) -> None:
    """From the list of assessments, follow the one of this candidate."""
    expect(page).to_have_url(re.compile(r"/assessments/$"))
    page.get_by_role("row").filter(has_text=candidate).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(candidate)
    check_page(page)


def go_to(page, link_name: str) -> None:
    """Follow a link of the main navigation."""
    page.get_by_role("navigation").get_by_role("link", name=link_name, exact=True).click()
    check_page(page)


def answer(page, item, met: bool, observation: str = "") -> None:
    """Answer one item on the result-entry form (autosaved while online)."""
    page.locator(f"#item_{item.id}-{0 if met else 1}").check()
    if observation:
        page.locator(f"#observation_{item.id}").fill(observation)


def attach(page, item_id: int, name: str, data: bytes, mimetype: str) -> None:
    """Attach one file as evidence of an item, as the tablet's camera input would give it."""
    section = page.locator(f"#evidence-{item_id}")
    section.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mimetype, "buffer": data}]
    )
    section.locator(".evidence-form button[type=submit]").click()


def accept_plan(page, standard_code: str) -> None:
    """The candidate, from "Mis evaluaciones", reads the plan of this standard and accepts it
    (first forgetting the box, which the page asks for)."""
    page.get_by_role("link", name="Mis evaluaciones", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mis evaluaciones")
    card = (
        page.locator("article.my-assessment")
        .filter(has_text=standard_code)
        .filter(has_text="Pendiente de tu aceptación")
    )
    expect(card).to_have_count(1)
    check_page(page, "plan-candidate-es-mine")
    card.get_by_role("button", name="Leer y aceptar el plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan de evaluación")
    expect(page.get_by_text("Observación, Producto, Cuestionario")).to_be_visible()
    check_page(page, "plan-candidate-es-plan")
    page.get_by_role("button", name="Aceptar el plan").click()
    expect(page.get_by_text("Marca la casilla para aceptar el plan.")).to_be_visible()
    check_page(page)
    page.get_by_label("Leí el plan y estoy de acuerdo").check()
    page.get_by_role("button", name="Aceptar el plan").click()
    expect(page).to_have_url(re.compile(r"/assessments/mine$"))
    expect_notice(page, "Aceptaste el plan de evaluación.")
    check_page(page, "plan-candidate-es-accepted")


def record_every_item(page, items: tuple[Item, ...], lang: str, not_met=()) -> None:
    for item in items:
        answer = 1 if item.id in not_met else 0  # item_<id>-0 is "met", -1 "not met"
        page.locator(f"#item_{item.id}-{answer}").check()
        page.locator(f"#observation_{item.id}").fill(
            f"Reactivo {item.position}: " + ("no se observó." if answer else "se observó.")
        )
    page.get_by_role("button", name=TEXT[lang]["save_results"]).click()
    expect_notice(page, TEXT[lang]["results_saved"])
    for item in items:
        answer = 1 if item.id in not_met else 0
        expect(page.locator(f"#item_{item.id}-{answer}")).to_be_checked()
    check_page(page)


def sign_off(page, lang: str, feedback: str, preview_shows=()) -> None:
    """Save and check the judgement, then sign it on the preview with its confirmation; the
    preview must show each text (or pattern) of `preview_shows` first."""
    t = TEXT[lang]
    page.locator("#feedback").fill(feedback)
    page.get_by_role("button", name=t["check_and_sign"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["preview_title"])
    for text in preview_shows:
        expect(page.locator("main").get_by_text(text)).to_be_visible()
    check_page(page)
    page.get_by_label(t["confirm_sign"]).check()
    page.get_by_role("button", name=t["sign_off"]).click()
    expect_notice(page, TEXT[lang]["signed_off"])
    check_page(page)


def expect_judgement(page, lang: str, judgement: str) -> None:
    heading = page.locator("#judgement-heading")
    expect(heading).to_have_text(re.compile(rf"{TEXT[lang]['judgement']}:\s*{judgement}$"))
    expect(page.get_by_text(TEXT[lang]["locked"])).to_be_visible()
    expect(page.locator("input[type=radio]")).to_have_count(0)


def download_pdf(page, folio: str, lang: str) -> bytes:
    """Download a certificate from the list of certificates; the bytes the browser saved."""
    card = page.locator("article.certificate-card").filter(has_text=folio)
    with page.expect_download() as download_info:
        card.get_by_role("button", name=TEXT[lang]["download"]).click()
    download = download_info.value
    assert download.suggested_filename == f"{folio}.pdf"
    return Path(download.path()).read_bytes()
