"""The holder's pages name the achievement first, and offer the PDF, the Open Badges credential,
a link to share and LinkedIn; staff withdraw a certificate with a public and an internal reason."""

from urllib.parse import parse_qs, urlparse

import pytest

from app.certificates.services import issue_certificate
from app.extensions import db


@pytest.fixture
def certificate(world):
    issued = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return issued


def test_the_card_names_the_achievement(client, login, world, certificate):
    login(world.candidate.user)
    html = client.get("/certificates/").get_data(as_text=True)
    card = html[html.index('class="certificate-card"') :]
    assert card.index(certificate.standard_title) < card.index(certificate.folio)
    assert html.count(certificate.folio) == 1


def test_the_detail_page_leads_with_what_was_certified(client, login, world, certificate):
    login(world.candidate.user)
    html = client.get(f"/certificates/{certificate.public_id}").get_data(as_text=True)
    assert f"<h1>{certificate.standard_title}</h1>" in html
    assert html.index(certificate.standard_title) < html.index(certificate.design)
    assert html.index("Conducir la sesión") < html.index(certificate.pdf_sha256)
    assert html.index("Detalles técnicos") < html.index(certificate.pdf_sha256)
    # Download, credential, share and LinkedIn, all plain links (no script under the CSP).
    assert f"/certificates/{certificate.public_id}/pdf" in html
    assert f"/certificates/{certificate.public_id}/badge.json" in html
    assert f'value="http://localhost/v/{certificate.public_id}" readonly' in html
    linkedin = next(
        part.split('"')[0]
        for part in html.split('href="')
        if part.startswith("https://www.linkedin.com/profile/add?")
    )
    query = parse_qs(urlparse(linkedin.replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [f"{certificate.standard_code} {certificate.standard_title}"]
    assert query["organizationName"] == [certificate.body_name]
    assert query["issueYear"] == [str(certificate.issued_at.year)]
    assert query["certUrl"] == [f"http://localhost/v/{certificate.public_id}"]
    assert query["certId"] == [certificate.folio]


def test_revoking_asks_for_a_public_reason_and_keeps_the_internal_one_internal(
    client, login, world, certificate
):
    login(world.admin)
    url = f"/certificates/{certificate.public_id}/status"
    refused = client.post(url, data={"status": "revoked", "reason": "Suplantación de identidad"})
    assert refused.status_code == 422
    assert "Elija el motivo que muestra la página pública" in refused.get_data(as_text=True)
    db.session.refresh(certificate)
    assert certificate.status == "valid"
    response = client.post(
        url,
        data={
            "status": "revoked",
            "reason": "Suplantación de identidad",
            "public_reason": "body_decision",
            "public_note": "Resolución 4/2026",
        },
    )
    assert response.status_code == 302
    staff_page = client.get(f"/certificates/{certificate.public_id}").get_data(as_text=True)
    assert "Suplantación de identidad" in staff_page and "Resolución 4/2026" in staff_page
    login(world.candidate.user)
    holder_page = client.get(f"/certificates/{certificate.public_id}").get_data(as_text=True)
    assert "Suplantación de identidad" not in holder_page
    assert "Resolución de la entidad certificadora" in holder_page
    assert "Vigente hasta" not in holder_page
    listing = client.get("/certificates/").get_data(as_text=True)
    assert "Vigente hasta" not in listing and "Ya no tiene validez (Revocado)" in listing
    client.post("/logout")
    public = client.get(f"/v/{certificate.public_id}").get_data(as_text=True)
    assert "Suplantación de identidad" not in public
    assert "Resolución de la entidad certificadora. Resolución 4/2026" in public
