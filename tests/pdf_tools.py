"""Reading certificates back as a person or a phone would: the text, the QR code on the page,
and the PDF signature as a PDF reader checks it (pyHanko)."""

import io

import pypdfium2
import zxingcpp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def qr_codes_in(pdf: bytes) -> list[str]:
    """Render the first page to an image and decode every QR code on it."""
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=2).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def raw_key(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def only_signature(pdf: bytes):
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    return signatures[0]


def validate_signature(pdf: bytes, trust_root: x509.Certificate):
    root = asn1_x509.Certificate.load(trust_root.public_bytes(serialization.Encoding.DER))
    return validate_pdf_signature(only_signature(pdf), ValidationContext(trust_roots=[root]))


def embedded_certificates(pdf: bytes) -> dict[str, x509.Certificate]:
    """The certificates in the PDF signature's CMS, by role: "body" (self-issued), "signer"."""
    found = {}
    for embedded in only_signature(pdf).signed_data["certificates"]:
        certificate = x509.load_der_x509_certificate(embedded.chosen.dump())
        found["body" if certificate.issuer == certificate.subject else "signer"] = certificate
    return found
