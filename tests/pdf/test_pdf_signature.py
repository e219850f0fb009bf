"""The issued PDF carries the body's PAdES signature: read back with pyHanko as a PDF reader
would, tied to the key the body publishes, and broken by any change.

One certificate is issued for the whole module (a render and a signature are the expensive
part); every test only reads it.
"""

import hashlib
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

from app.certificates import pdf_signing, signing
from app.certificates.services import issue_certificate, read_certificate_pdf
from app.extensions import db
from app.verification.services import is_original_pdf
from tests import factories
from tests.pdf_tools import (
    embedded_certificates,
    pdf_text,
    qr_codes_in,
    raw_key,
    validate_signature,
)


@pytest.fixture(scope="module")
def issued(module_app):
    world = factories.make_world()
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return certificate, read_certificate_pdf(certificate)


@pytest.fixture(scope="module")
def published_key(module_app, issued):
    """The body's public key as anyone gets it: from the URL named by the certificate's key id."""
    certificate, _ = issued
    response = module_app.test_client().get(f"/.well-known/avala/keys/{certificate.key_id}.pem")
    assert response.status_code == 200
    return serialization.load_pem_public_key(response.data)


def test_the_stored_pdf_is_the_signed_one_and_its_sha256_is_recorded(issued, module_app):
    certificate, pdf = issued
    assert b"/ByteRange" in pdf and b"ETSI.CAdES.detached" in pdf
    assert hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256


def test_signature_is_intact_covers_the_whole_file_and_chains_to_the_published_key(
    issued, published_key
):
    certificate, pdf = issued
    embedded = embedded_certificates(pdf)
    # The body's certificate holds exactly the key published under the certificate's key id ...
    assert raw_key(embedded["body"].public_key()) == raw_key(published_key)
    assert embedded["body"].serial_number == int(certificate.key_id, 16)
    # ... which signed the certificate of the PDF-signing key, ECDSA P-256 for PDF readers.
    signer = embedded["signer"]
    published_key.verify(signer.signature, signer.tbs_certificate_bytes)
    assert isinstance(signer.public_key().curve, ec.SECP256R1)
    assert signer.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        certificate.body_name
    )

    status = validate_signature(pdf, trust_root=embedded["body"])
    assert status.bottom_line, status.pretty_print_details()
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.docmdp_ok  # a certification signature that allows no change at all
    assert (
        status.signing_cert.sha256
        == hashlib.sha256(signer.public_bytes(serialization.Encoding.DER)).digest()
    )


def test_the_signer_certificate_is_derived_from_the_body_key_the_same_in_every_process(
    issued, module_app
):
    certificate, pdf = issued
    key = signing.load_signing_key(module_app.config["SIGNING_KEY_PATH"])
    body = module_app.config["CERTIFYING_BODY_NAME"]
    assert embedded_certificates(pdf) == {
        "body": pdf_signing.body_certificate(key, body),
        "signer": pdf_signing.pdf_certificate(key, body),
    }


def test_a_signed_pdf_still_reads_as_text_and_its_qr_code_still_decodes(issued):
    certificate, pdf = issued
    assert "María José Núñez Ávila" in pdf_text(pdf)
    assert certificate.folio in pdf_text(pdf).replace("\n", "")
    assert qr_codes_in(pdf) == [f"http://localhost/v/{certificate.public_id}"]


def test_a_key_from_elsewhere_is_not_trusted(issued):
    _, pdf = issued
    stranger = pdf_signing.body_certificate(Ed25519PrivateKey.generate(), "CONALEP")
    status = validate_signature(pdf, trust_root=stranger)
    assert status.intact and not status.trusted and not status.bottom_line


def _first_signed_stream_byte(pdf: bytes) -> int:
    """The offset of a byte inside the first compressed stream: part of the signed range."""
    return pdf.index(b"stream\n", 0) + len(b"stream\n") + 10


def test_changing_one_byte_of_the_signed_file_breaks_the_signature(issued):
    _, pdf = issued
    at = _first_signed_stream_byte(pdf)
    tampered = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    status = validate_signature(tampered, trust_root=embedded_certificates(pdf)["body"])
    assert not status.intact and not status.bottom_line


def test_covering_text_in_an_update_after_signing_breaks_the_certification(issued):
    """An edit saved the way PDF editors save (an incremental update after the signature,
    here a white box drawn over the page): the signed bytes are untouched, so the signature
    itself is intact, but it no longer covers the file, the page was changed after signing and
    the certification (no change allowed) is broken."""
    _, pdf = issued
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0]
    white_box = writer.add_object(
        generic.StreamObject(stream_data=b"q 1 1 1 rg 0 0 600 300 re f Q")
    )
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), white_box])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    edited = out.getvalue()
    assert edited.startswith(pdf) and len(edited) > len(pdf)

    status = validate_signature(edited, trust_root=embedded_certificates(pdf)["body"])
    assert status.intact  # the bytes it covers are unchanged ...
    assert status.coverage != SignatureCoverageLevel.ENTIRE_FILE  # ... but not the whole file
    assert status.modification_level == ModificationLevel.OTHER
    assert not status.docmdp_ok and not status.bottom_line


def test_the_drop_check_accepts_the_signed_file_and_refuses_a_changed_one(issued):
    certificate, pdf = issued
    at = _first_signed_stream_byte(pdf)
    tampered = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
    assert is_original_pdf(certificate, io.BytesIO(pdf))
    assert not is_original_pdf(certificate, io.BytesIO(tampered))
