"""The only module that imports pyHanko: the body's PAdES signature on each issued PDF.

Called by the issuer once the PDF is rendered; the signed file is the one stored, hashed and
served. Any PDF reader then shows the file as signed by the certifying body, and as changed
after any edit, offline.

Keys. A PDF signature needs an X.509 certificate. The body has one key, Ed25519
(`signing.py`), whose public half is published by key id. PDF 2.0 allows Ed25519 (ISO 32002),
but poppler 22 (Evince, Okular) answers "Document isn't signed or corrupted data" for an
Ed25519 PAdES signature that pyHanko validates, while it validates the same signature made with
ECDSA P-256 (measured, see docs/verification.md), and Adobe Acrobat reads ECDSA P-256 too. So
the PDF is signed with an ECDSA P-256 key **derived** from the body's Ed25519 key (HKDF-SHA256:
no second secret to store, back up or rotate), whose X.509 certificate is issued and signed by
the body's Ed25519 key. The chain embedded in every signed PDF is:

  body certificate      self-issued, Ed25519, the body's published key (serial = key id)
  └ PDF certificate     ECDSA P-256, signed by the body's Ed25519 key

so anyone can tie the PDF's signer to the key published at /.well-known/avala/keys/<key id>.pem
with nothing but `cryptography`. Both certificates are derived deterministically from the key
(fixed validity, Ed25519 signatures are deterministic): every process makes the same bytes.
"""

import asyncio
import hashlib
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import lru_cache
from typing import TypeVar

from asn1crypto import cms as asn1_cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import attributes, fields, signers
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.signers.pdf_cms import SignedAttributeProviderSpec
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.certificates import signing

FIELD_NAME = "FirmaOrganismoCertificador"
# Certificates carry no meaningful validity: whether a certificate of competency holds is told
# by its status on the public page. RFC 5280 4.1.2.5: 99991231235959Z means "no expiry".
NOT_BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
# Room for the CMS signature in the PDF: both certificates (~0.9 KB) and an ECDSA signature fit
# in a third of it. Reserving it saves pyHanko a trial signature to estimate the size.
BYTES_RESERVED = 6144
_DERIVATION_INFO = b"avala pdf-signing ecdsa-p256 v1"


def pdf_signing_key(body_key: Ed25519PrivateKey) -> ec.EllipticCurvePrivateKey:
    """The ECDSA P-256 key derived from the body's Ed25519 key (HKDF-SHA256, 48 bytes so the
    reduction modulo the group order is unbiased)."""
    seed = body_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    okm = HKDF(hashes.SHA256(), length=48, salt=None, info=_DERIVATION_INFO).derive(seed)
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    return ec.derive_private_key(int.from_bytes(okm) % (order - 1) + 1, ec.SECP256R1())


def _name(body_name: str, unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, body_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, body_name),
        ]
    )


def _key_usage(*, signs_documents: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signs_documents,
        content_commitment=signs_documents,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signs_documents,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def body_certificate(body_key: Ed25519PrivateKey, body_name: str) -> x509.Certificate:
    """The body's Ed25519 key as a self-issued X.509 certificate; serial number = key id."""
    public_key = body_key.public_key()
    name = _name(body_name, f"Llave de firma {signing.key_id(public_key)}")
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(int(signing.key_id(public_key), 16) or 1)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signs_documents=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .sign(body_key, None)
    )


def pdf_certificate(body_key: Ed25519PrivateKey, body_name: str) -> x509.Certificate:
    """The derived P-256 key's certificate, issued and signed by the body's Ed25519 key."""
    issuer = body_certificate(body_key, body_name)
    public_key = pdf_signing_key(body_key).public_key()
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return (
        x509.CertificateBuilder()
        .subject_name(_name(body_name, "Firma de certificados PDF"))
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(int.from_bytes(hashlib.sha256(spki).digest()[:8]) or 1)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signs_documents=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(body_key.public_key()),
            critical=False,
        )
        .sign(body_key, None)
    )


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _FixedSigningCertificate(attributes.CMSAttributeProvider):
    """PAdES's signing-certificate-v2 attribute, the same for every signature by one
    certificate: built once and kept as parsed DER. (pyHanko rebuilds it for each signature,
    and asn1crypto spends about 6 ms re-encoding it; the render is ~65 ms.)"""

    attribute_type = "signing_certificate_v2"

    def __init__(self, certificate: asn1_x509.Certificate):
        attribute = simple_cms_attribute(
            self.attribute_type, as_signing_certificate_v2(certificate)
        )
        self.attribute = asn1_cms.CMSAttribute.load(attribute.dump())

    async def get_attribute(self, dry_run=False):
        return self.attribute


class _PadesAttributes(SignedAttributeProviderSpec):
    """PAdES baseline signed attributes: content type and message digest (added by pyHanko),
    signing-certificate-v2; no signing-time attribute (PAdES takes the time from /M)."""

    def __init__(self, certificate: asn1_x509.Certificate):
        self.provider = _FixedSigningCertificate(certificate)

    def signed_attr_providers(self, data_digest, digest_algorithm):
        yield self.provider


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    """Leaves the document's metadata (Info and XMP) as rendered.

    pyHanko's writer rewrites the modification date and producer in both on every save; for a
    PDF/UA file that means parsing and re-serialising its XMP packet, a quarter of the time of
    a signature. The signing time is in the signature itself (/M), and the two metadata copies
    stay in agreement with each other (what PDF/UA asks). `_update_meta` is pyHanko's hook for
    that step (pyHanko is pinned; if it were renamed, only the speed would change, which
    bench/issue.py shows).
    """

    def _update_meta(self):
        return None


@lru_cache(maxsize=4)
def _pdf_signer(seed: bytes, body_name: str) -> signers.PdfSigner:
    body_key = Ed25519PrivateKey.from_private_bytes(seed)
    leaf = _asn1(pdf_certificate(body_key, body_name))
    key = pdf_signing_key(body_key).private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=leaf,
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1(body_certificate(body_key, body_name))]
        ),
    )
    signer.signed_attr_prov_spec = _PadesAttributes(leaf)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=body_name,
        reason="Emisión del certificado de competencia laboral",
        # A certification signature allowing no change: readers show the document as
        # certified by the body, and any later change (even a form fill) as breaking it.
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    return signers.PdfSigner(metadata, signer)


T = TypeVar("T")


def sign_certificate_pdf(pdf: bytes, body_key: Ed25519PrivateKey, body_name: str) -> bytes:
    """The PDF with the body's PAdES (B-B) certification signature over the whole file."""
    seed = body_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    writer = _MetadataKeepingWriter(io.BytesIO(pdf))
    signer = _pdf_signer(seed, body_name)
    output = _outside_any_event_loop(lambda: signer.sign_pdf(writer, bytes_reserved=BYTES_RESERVED))
    return output.getvalue()


def _outside_any_event_loop(sign: Callable[[], T]) -> T:
    """pyHanko's synchronous API starts an event loop of its own (asyncio.run), which Python
    refuses inside a thread whose loop is running (a caller on an asyncio or Playwright loop):
    there, the signature is made on a short-lived thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf-signing") as pool:
        return pool.submit(sign).result()
