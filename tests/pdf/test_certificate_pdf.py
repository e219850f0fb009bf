"""Real certificates rendered, read back as text, and their QR code decoded from the page image."""

import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.certificates import signing
from app.certificates.files import key_of
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from tests.pdf_tools import pdf_text, qr_codes_in


@pytest.fixture
def issued(world, app, each_design):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    assert certificate.design == each_design
    return certificate, read_certificate_pdf(certificate)


def test_pdf_text_has_the_holder_with_accents_the_folio_and_the_standard(issued, world):
    certificate, pdf = issued
    text = pdf_text(pdf)
    assert "María José Núñez Ávila" in text
    assert certificate.folio in text.replace("\n", "")
    assert world.standard.full_code in text
    assert world.candidate.curp not in text
    assert certificate.curp_masked in text


def test_qr_code_decodes_to_the_verification_url_which_answers_valid(issued, client):
    certificate, pdf = issued
    assert qr_codes_in(pdf) == [f"http://localhost/v/{certificate.public_id}"]
    page = client.get(f"/v/{certificate.public_id}").get_data(as_text=True)
    assert "VIGENTE" in page


def test_pdf_is_stored_once_with_its_sha256(issued, app):
    certificate, pdf = issued
    stored = Path(app.config["STORAGE_URL"]) / key_of(certificate.pdf_path)  # the local store
    assert stored.read_bytes() == pdf
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256
    assert not [p for p in stored.parent.iterdir() if p.name.startswith(".")]  # no temp files


def test_pdf_declares_title_language_and_is_tagged_for_accessibility(issued):
    _, pdf = issued
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title.startswith("Certificado de competencia laboral")
    catalog = reader.trailer["/Root"]
    assert catalog.get("/Lang") == "es-MX"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog


def test_signature_verifies_with_the_public_key_and_fails_on_altered_data(issued, app):
    certificate, _ = issued
    key = signing.load_signing_key(app.config["SIGNING_KEY_PATH"])
    assert signing.verify(key.public_key(), certificate.signed_payload, certificate.signature)
    forged = certificate.signed_payload.replace("Núñez", "Nunez")
    assert not signing.verify(key.public_key(), forged, certificate.signature)


def test_user_text_is_escaped_in_the_pdf(world, app, each_design):
    world.candidate.user.full_name = "<b>Ana</b> & Co"
    certificate = issue_certificate(world.admin, world.approved())
    text = pdf_text(read_certificate_pdf(certificate))
    assert "<b>Ana</b> & Co" in text
