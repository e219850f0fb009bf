"""The public pages are private by default: folios are sequential, so a folio alone never
gives a name away; visitors get no cookie; a withdrawn certificate never looks valid.

One world for the whole module (issuing renders PDFs): three certificates with consecutive
folios, of a holder who consented to the public register, one who did not, and one who did
not and whose certificate was revoked for an internal reason that must never be shown.
"""

import io
import re
from dataclasses import dataclass

import pytest
from PIL import Image

from app import create_app
from app.accounts.services import update_centre_branding
from app.certificates.lifecycle import change_certificate_status
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from config import TestingConfig
from tests import factories

INTERNAL_REASON = "Suplantación de identidad detectada por el centro"


@dataclass
class Site:
    listed: object
    hidden: object
    revoked: object
    hidden_curp: str
    world: object


@pytest.fixture(scope="module")
def site(module_app):
    world = factories.make_world()
    world.other_candidate.is_publicly_listed = False
    third = factories.make_candidate(world.admin, "Ana Lucía Quintero Zárate", listed=False)
    listed = issue_certificate(world.admin, world.approved(world.candidate, hours_from_now=1))
    hidden = issue_certificate(world.admin, world.approved(world.other_candidate, 4))
    revoked = issue_certificate(world.admin, world.approved(third, 7))
    change_certificate_status(
        world.admin, revoked, "revoked", INTERNAL_REASON, "holder_request", "Aviso 12/2026"
    )
    db.session.commit()
    return Site(listed, hidden, revoked, world.other_candidate.curp, world)


@pytest.fixture
def visitor(module_app):
    return module_app.test_client()


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 93, 75)).save(buffer, "PNG")
    return buffer.getvalue()


def lookup(client, folio: str, holder: str | None = None):
    query = {"folio": folio} if holder is None else {"folio": folio, "holder": holder}
    return client.get("/verify", query_string=query)


def test_a_walk_over_consecutive_folios_reveals_no_name_of_a_non_consenting_holder(site, visitor):
    prefix, number = site.listed.folio.rsplit("-", 1)
    seen = []
    for n in range(int(number) - 1, int(number) + 5):
        response = lookup(visitor, f"{prefix}-{n:06d}")
        seen.append(response.get_data(as_text=True))
    walk = "\n".join(seen)
    assert site.hidden.holder_name not in walk and site.revoked.holder_name not in walk
    assert "Hernández" not in walk and "Quintero" not in walk
    assert site.hidden.public_id not in walk and site.revoked.public_id not in walk
    # The holder who consented is named; the others' certificates are still confirmed.
    assert site.listed.holder_name in walk
    assert walk.count("VIGENTE") >= 2 and "REVOCADO" in walk


def test_unknown_folio_wrong_holder_data_and_non_consenting_holder_answer_alike(site, visitor):
    unknown = site.listed.folio[:-6] + "999999"
    folios = (unknown, site.hidden.folio, site.listed.folio, site.revoked.folio)
    answers = {folio: lookup(visitor, folio, "Pérez") for folio in folios}
    assert {answer.status_code for answer in answers.values()} == {404}
    bodies = {
        answer.get_data(as_text=True).replace(folio, "FOLIO") for folio, answer in answers.items()
    }
    assert len(bodies) == 1
    body = bodies.pop()
    assert "Ningún certificado coincide con estos datos" in body
    for certificate in (site.listed, site.hidden, site.revoked):
        assert certificate.holder_name not in body and certificate.standard_title not in body


def test_without_holder_data_a_non_consenting_holder_gets_status_and_standard_only(site, visitor):
    response = lookup(visitor, site.hidden.folio)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "VIGENTE" in html and site.hidden.standard_title in html
    assert site.hidden.holder_name not in html and site.hidden.curp_masked not in html
    assert site.hidden.public_id not in html  # the QR code's page would name the holder
    assert "solo si aceptó aparecer en el registro público" in html


@pytest.mark.parametrize(
    "holder",
    [
        lambda site: site.hidden_curp.lower(),
        lambda site: f"  {site.hidden_curp[:9]} {site.hidden_curp[9:]} ",
        lambda site: "hernandez",
        lambda site: "HERNÁNDEZ",
        lambda site: "juan pablo hernandez ruiz",
    ],
    ids=["curp", "curp-spaced", "surname-folded", "surname-upper", "whole-name"],
)
def test_the_holders_name_is_shown_with_the_curp_or_first_surname(site, visitor, holder):
    response = lookup(visitor, site.hidden.folio, holder(site))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and site.hidden.holder_name in html


def test_a_given_name_or_the_second_surname_is_not_enough(site, visitor):
    # The CURP with another check digit (whatever the factories' counter made the real one).
    wrong_digit = "1" if site.hidden_curp.endswith("0") else "0"
    for guess in ("Juan", "Ruiz", "Pablo", site.hidden_curp[:-1] + wrong_digit):
        assert lookup(visitor, site.hidden.folio, guess).status_code == 404


def test_the_qr_page_keeps_showing_the_name(site, visitor):
    html = visitor.get(f"/v/{site.hidden.public_id}").get_data(as_text=True)
    assert site.hidden.holder_name in html


def test_a_withdrawn_certificate_shows_its_public_reason_never_the_internal_one(site, visitor):
    for html in (
        visitor.get(f"/v/{site.revoked.public_id}").get_data(as_text=True),
        lookup(visitor, site.revoked.folio).get_data(as_text=True),
        lookup(visitor, site.revoked.folio, "Quintero").get_data(as_text=True),
        visitor.get(f"/api/v1/certificates/{site.revoked.public_id}").get_data(as_text=True),
    ):
        assert INTERNAL_REASON not in html and "Suplantación" not in html
        assert "Vigente hasta" not in html and "VIGENTE" not in html
        assert "Solicitud del titular" in html or "holder_request" in html
        assert "Aviso 12/2026" in html


def test_the_signature_is_genuine_and_the_revoked_certificate_no_longer_valid(site, visitor):
    html = visitor.get(f"/v/{site.revoked.public_id}").get_data(as_text=True)
    assert "firmados digitalmente por" in html and "la firma es válida" in html
    assert "El certificado es auténtico, pero ya no tiene validez (Revocado)" in html
    assert site.revoked.key_id in html
    assert f"/api/v1/certificates/{site.revoked.public_id}" in html


def test_the_genuine_check_of_an_original_pdf_repeats_the_status(site, visitor):
    def check(certificate):
        pdf = read_certificate_pdf(certificate)
        response = visitor.post(
            f"/v/{certificate.public_id}/check", data={"pdf": (io.BytesIO(pdf), "c.pdf")}
        )
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        # The answer comes first on the page, above the verdict, and has the anchor the form
        # posts to, so a phone shows it without scrolling.
        assert html.index('id="pdf-result"') < html.index('id="verdict"')
        return html

    revoked = check(site.revoked)
    assert "es el original sin alteraciones" in revoked
    assert "pero el certificado ya no tiene validez: Revocado" in revoked
    assert "✔ Sí" not in revoked
    valid = check(site.listed)
    assert "✔ Sí: este archivo es el original" in valid and "está vigente" in valid
    page = visitor.get(f"/v/{site.listed.public_id}").get_data(as_text=True)
    assert f'action="/v/{site.listed.public_id}/check#pdf-result"' in page


def test_public_pages_set_no_cookie_for_visitors(site, module_app):
    visitor = module_app.test_client()
    pdf = read_certificate_pdf(site.listed)
    key = site.listed.key_id
    answers = [
        visitor.get("/"),
        visitor.get("/?lang=en"),
        visitor.get("/verify"),
        visitor.get(f"/verify?folio={site.hidden.folio}"),
        visitor.get(f"/verify?folio={site.hidden.folio}&holder=Hernandez"),
        visitor.get(f"/verify?folio={site.hidden.folio}&holder=Perez&lang=en"),
        visitor.get(f"/verify?curp={site.hidden_curp}"),
        visitor.get("/verify?folio="),
        visitor.get(f"/v/{site.listed.public_id}"),
        visitor.get(f"/v/{site.listed.public_id}?lang=en"),
        visitor.get("/v/AAAAAAAAAAAAAAAAAAAAAA"),
        visitor.post(f"/v/{site.listed.public_id}/check", data={"pdf": (io.BytesIO(pdf), "c.pdf")}),
        visitor.post(f"/v/{site.listed.public_id}/check", data={}),
        visitor.get(f"/api/v1/certificates/{site.listed.public_id}"),
        visitor.get("/.well-known/avala/issuer.json"),
        visitor.get("/.well-known/avala/signing-key.pem"),
        visitor.get(f"/.well-known/avala/keys/{key}.pem"),
        visitor.get(f"/centres/{site.listed.centre_id}/logo"),
        visitor.get("/no-such-page"),
    ]
    for answer in answers:
        assert "Set-Cookie" not in answer.headers, answer.request.url
        assert answer.status_code < 500
    assert visitor.get_cookie("session") is None


def test_a_visitor_reads_the_pages_in_english_from_the_address(site, visitor):
    html = visitor.get(f"/v/{site.listed.public_id}?lang=en").get_data(as_text=True)
    assert "VALID" in html and 'lang="en"' in html
    assert 'href="/verify?lang=en"' in html  # the choice lasts from page to page
    assert re.search(r'href="/v/[^"?]+\?lang=es_MX"[^>]*>Español', html)
    # The PDF check keeps the language too: its address carries it.
    assert f"/v/{site.listed.public_id}/check?lang=en#pdf-result" in html


def test_the_pdf_check_works_without_a_session_when_csrf_is_on(site, module_app, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": module_app.config["SQLALCHEMY_DATABASE_URI"],
            "INSTANCE_DIR": tmp_path,
            "SIGNING_KEY_PATH": module_app.config["SIGNING_KEY_PATH"],
            "STORAGE_URL": module_app.config["STORAGE_URL"],
            "WTF_CSRF_ENABLED": True,
        },
    )
    pdf = read_certificate_pdf(site.listed)
    with app.app_context():
        visitor = app.test_client()
        response = visitor.post(
            f"/v/{site.listed.public_id}/check", data={"pdf": (io.BytesIO(pdf), "c.pdf")}
        )
        assert response.status_code == 200
        assert "es el original sin alteraciones" in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers
        db.session.remove()


def test_the_centres_logo_is_public_and_shown_beside_its_name(site, module_app, visitor):
    update_centre_branding(
        site.world.admin,
        design=module_app.config["CERTIFICATE_DESIGN"],
        available_designs=[module_app.config["CERTIFICATE_DESIGN"]],
        logo=png_logo(),
    )
    db.session.commit()
    try:
        html = visitor.get(f"/v/{site.listed.public_id}").get_data(as_text=True)
        logo_url = f"/centres/{site.listed.centre_id}/logo"
        assert f'src="{logo_url}"' in html
        response = visitor.get(logo_url)
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.data.startswith(b"\x89PNG")
    finally:
        update_centre_branding(
            site.world.admin,
            design=module_app.config["CERTIFICATE_DESIGN"],
            available_designs=[module_app.config["CERTIFICATE_DESIGN"]],
            logo=None,
            remove_logo=True,
        )
        db.session.commit()
    assert visitor.get(logo_url).status_code == 404


def test_the_bodys_configured_logo_is_shown(site, module_app, visitor):
    module_app.config["CERTIFYING_BODY_LOGO"] = "favicon.svg"
    try:
        html = visitor.get(f"/v/{site.listed.public_id}").get_data(as_text=True)
    finally:
        module_app.config["CERTIFYING_BODY_LOGO"] = None
    assert 'src="/static/favicon.svg"' in html


def test_the_standard_links_to_the_public_catalogue_where_there_is_one(site, module_app, visitor):
    html = visitor.get(f"/v/{site.listed.public_id}").get_data(as_text=True)
    has_catalogue = "catalogue.show" in module_app.view_functions
    assert (f"/catalogo/{site.listed.standard_code}" in html) == has_catalogue
