"""The public verification page and its machine-readable twins."""

import io
import json

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import update

from app import create_app
from app.certificates import badges, signing
from app.certificates.lifecycle import change_certificate_status, revoke_certificate
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate, read_certificate_pdf, reissue_certificate
from app.extensions import db
from config import TestingConfig
from tests.conftest import workers_sharing_redis
from tests.storage_tools import stored_keys


@pytest.fixture
def certificate(world):
    issued = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return issued


def page(client, certificate) -> str:
    response = client.get(f"/v/{certificate.public_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


SIGNATURE_CHECKS_OUT = "la firma es válida"
SIGNATURE_FAILS = "La firma de estos datos no es válida"


@pytest.mark.parametrize(
    "tampering",
    [
        {"signed_payload": '{"holder": "Otra Persona"}'},  # data changed behind the signature
        {"key_id": "0123456789abcdef"},  # a key the body never published
    ],
    ids=["altered-data", "unknown-key"],
)
def test_the_page_warns_when_the_stored_signature_does_not_check_out(client, world, tampering):
    untouched = issue_certificate(world.admin, world.approved())
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    assert SIGNATURE_CHECKS_OUT in page(client, untouched)
    # Scanned for the first time after the change: the signed data are frozen at issue, so a
    # kept page is not checked again until it expires (VERIFICATION_PAGE_CACHE_SECONDS).
    db.session.execute(
        update(Certificate).where(Certificate.id == certificate.id).values(**tampering)
    )
    db.session.commit()
    html = page(client, certificate)
    assert SIGNATURE_FAILS in html and SIGNATURE_CHECKS_OUT not in html


def test_valid_certificate_page_shows_status_first_then_the_facts(client, certificate, world):
    html = page(client, certificate)
    assert html.index("VIGENTE") < html.index(certificate.holder_name)
    for fact in (
        certificate.folio,
        certificate.standard_code,
        certificate.centre_name,
        certificate.evaluator_name,
        "nivel 3",
        certificate.curp_masked,
    ):
        assert fact in html
    assert world.candidate.curp not in html


@pytest.mark.parametrize(("status", "word"), [("revoked", "REVOCADO"), ("suspended", "SUSPENDIDO")])
def test_withdrawn_certificate_says_so_with_its_public_reason_never_the_internal_one(
    client, certificate, world, status, word
):
    change_certificate_status(
        world.admin, certificate, status, "Documentación apócrifa", "data_error", "Folio duplicado"
    )
    db.session.commit()
    html = page(client, certificate)
    assert word in html and "Error en los datos" in html and "Folio duplicado" in html
    assert "Documentación apócrifa" not in html
    assert "VIGENTE" not in html and "Vigente hasta" not in html
    record = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()
    assert "Documentación apócrifa" not in json.dumps(record, ensure_ascii=False)
    assert record["status_reason"] == "data_error" and record["status_note"] == "Folio duplicado"


def test_expired_certificate_says_expired(client, certificate):
    from datetime import date

    certificate.valid_until = date(2020, 1, 1)
    db.session.commit()
    assert "VENCIDO" in page(client, certificate)


def test_superseded_certificate_links_to_its_successor(client, certificate, world):
    successor = reissue_certificate(world.admin, certificate, "Corrección de nombre")
    db.session.commit()
    html = page(client, certificate)
    assert "SUSTITUIDO" in html
    assert f"/v/{successor.public_id}" in html and successor.folio in html


def test_unknown_id_or_folio_says_not_found_and_nothing_else(client, certificate):
    response = client.get("/v/AAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404 and "NO ENCONTRADO" in response.get_data(as_text=True)
    response = client.get("/verify?folio=CONALEP-EC0000.01-2026-999999")
    assert response.status_code == 404
    assert certificate.holder_name not in response.get_data(as_text=True)


def test_folio_lookup_ignores_case_and_spaces(client, certificate):
    response = client.get(f"/verify?folio=%20{certificate.folio.lower()}%20")
    assert response.status_code == 200 and "VIGENTE" in response.get_data(as_text=True)


def test_the_original_pdf_passes_the_genuine_check(client, certificate):
    pdf = read_certificate_pdf(certificate)
    response = client.post(
        f"/v/{certificate.public_id}/check", data={"pdf": (io.BytesIO(pdf), "certificado.pdf")}
    )
    assert "es el original sin alteraciones" in response.get_data(as_text=True)


def test_a_pdf_with_one_changed_byte_fails_the_genuine_check(client, certificate, app):
    pdf = bytearray(read_certificate_pdf(certificate))
    pdf[len(pdf) // 2] ^= 0x01
    response = client.post(
        f"/v/{certificate.public_id}/check",
        data={"pdf": (io.BytesIO(bytes(pdf)), "certificado.pdf")},
    )
    html = response.get_data(as_text=True)
    assert "no es el que se emitió" in html
    assert len(stored_keys()) == 1  # the upload was not kept


def test_json_endpoint_returns_the_facts_and_a_signature_that_verifies(client, certificate):
    record = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()
    assert record["status"] == "valid"
    assert record["certificate"]["folio"] == certificate.folio
    pem = client.get("/.well-known/avala/signing-key.pem").data
    public_key = load_pem_public_key(pem)
    assert signing.verify(public_key, record["signed_payload"], record["signature"])
    altered = record["signed_payload"].replace(certificate.holder_name, "Otra Persona")
    assert not signing.verify(public_key, altered, record["signature"])
    assert json.loads(record["signed_payload"]) == record["certificate"]


def test_json_endpoint_reflects_revocation_at_once(client, certificate, world):
    revoke_certificate(world.admin, certificate, "Fraude")
    db.session.commit()
    record = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()
    assert record["status"] == "revoked" and record["status_reason"] == "body_decision"
    assert "Fraude" not in json.dumps(record)


def test_curp_lookup_lists_only_consenting_holders(client, world):
    listed = issue_certificate(world.admin, world.approved())
    world.other_candidate.is_publicly_listed = False
    hidden = issue_certificate(world.admin, world.approved(world.other_candidate))
    db.session.commit()
    html = client.get(f"/verify?curp={world.candidate.curp}").get_data(as_text=True)
    assert listed.standard_code in html and f"/v/{listed.public_id}" in html
    hidden_html = client.get(f"/verify?curp={world.other_candidate.curp}").get_data(as_text=True)
    unknown_html = client.get("/verify?curp=BOXW310820HNERXN09").get_data(as_text=True)
    assert f"/v/{hidden.public_id}" not in hidden_html
    assert "No hay certificados públicos" in hidden_html
    # A holder who did not consent and a CURP nobody has look exactly the same.
    assert hidden_html.replace(world.other_candidate.curp, "X") == unknown_html.replace(
        "BOXW310820HNERXN09", "X"
    )


def test_open_badges_credential_has_the_standard_as_achievement_and_a_valid_proof(
    client, login, certificate, world
):
    login(world.candidate.user)
    response = client.get(f"/certificates/{certificate.public_id}/badge.json")
    assert response.status_code == 200
    credential = json.loads(response.data)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["humanCode"] == certificate.standard_code
    assert achievement["name"] == certificate.standard_title
    assert credential["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"
    issuer = client.get("/.well-known/avala/issuer.json").get_json()
    method = issuer["verificationMethod"][0]
    assert method["id"] == credential["proof"][0]["verificationMethod"]
    public_key = signing.public_key_from_multibase(method["publicKeyMultibase"])
    assert badges.verify_credential(credential, public_key)
    credential["credentialSubject"]["achievement"]["name"] = "Otro estándar"
    assert not badges.verify_credential(credential, public_key)


def test_public_lookups_are_rate_limited_with_a_friendly_page(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "PUBLIC_LOOKUP_RATE_LIMIT": "3 per minute",
        },
    )
    client = app.test_client()
    statuses = [client.get("/v/unknown-id").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    response = client.get("/verify?folio=X")
    assert response.status_code == 429
    assert "Demasiadas solicitudes" in response.get_data(as_text=True)
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_login_is_rate_limited(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "2 per minute",
        },
    )
    client = app.test_client()
    data = {"email": "nobody@example.com", "password": "wrong-password"}
    statuses = [client.post("/login", data=data).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_rate_limits_are_shared_by_every_worker_through_redis(database_url, tmp_path, redis_url):
    """Two app processes (as two gunicorn workers) draw on one allowance kept in Redis."""
    first, second = workers_sharing_redis(
        database_url, tmp_path, redis_url, PUBLIC_LOOKUP_RATE_LIMIT="4 per minute"
    )
    statuses = [
        client.get("/v/unknown").status_code for client in (first, second, first, second, first)
    ]
    assert statuses == [404, 404, 404, 404, 429]
    assert 1 <= int(second.get("/v/unknown").headers["Retry-After"]) <= 60


def test_the_json_api_answers_its_errors_and_429s_in_json(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "PUBLIC_LOOKUP_RATE_LIMIT": "2 per minute",
        },
    )
    client = app.test_client()
    unknown_route = client.get("/api/v1/nothing-here", headers={"Accept-Language": "es-MX"})
    assert unknown_route.status_code == 404
    assert unknown_route.get_json()["error"]["title"] == "Página no encontrada"
    statuses = [client.get("/api/v1/certificates/unknown-id").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    refused = client.get("/api/v1/certificates/unknown-id")
    assert refused.mimetype == "application/json"
    assert refused.get_json()["error"]["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    page = client.get("/v/unknown-id")  # people still get the friendly page
    assert page.status_code == 429 and page.mimetype == "text/html"
