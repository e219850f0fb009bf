"""The JSON API: tokens (shown once, hashed, scoped, revoked), a centre's data, batches, limits."""

import hashlib

from sqlalchemy import func, select

from app import create_app
from app.api import services as tokens
from app.api.models import ApiToken, TokenScope
from app.audit.models import AuditEvent
from app.certificates.models import IssuanceBatch
from app.certificates.services import issue_certificate
from app.extensions import db
from config import TestingConfig
from tests import factories


def _token(world, scope=TokenScope.READ, name="Control escolar") -> str:
    _token, secret = tokens.create_token(world.admin, name, scope)
    db.session.commit()
    return secret


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_token_is_shown_once_and_kept_only_as_its_hash(world, client, login):
    login(world.admin)
    created = client.post("/centre/api-tokens", data={"name": "Bolsa de trabajo", "scope": "read"})
    assert created.status_code == 201
    token = db.session.scalar(select(ApiToken))
    page = created.get_data(as_text=True)
    secret = page.split('<code class="hash">')[1].split("</code>")[0]
    assert secret.startswith("avala_") and len(secret) > 40
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    stored = db.session.execute(select(ApiToken.__table__)).one()
    assert secret not in [str(value) for value in stored]
    assert secret not in client.get("/centre/api-tokens").get_data(as_text=True)
    assert token.prefix in client.get("/centre/api-tokens").get_data(as_text=True)
    assert "no-store" in created.headers["Cache-Control"]
    assert [e.details["scope"] for e in _events("api_token.created")] == ["read"]


def test_a_token_needs_a_name(world, client, login):
    login(world.admin)
    refused = client.post("/centre/api-tokens", data={"name": "", "scope": "read"})
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_revoked_token_is_refused_in_json(world, client, login):
    secret = _token(world)
    assert client.get("/api/v1/centre/certificates", headers=_bearer(secret)).status_code == 200
    token_id = db.session.scalar(select(ApiToken.id))
    login(world.admin)
    assert client.post(f"/centre/api-tokens/{token_id}/revoke").status_code == 302
    assert client.post(f"/centre/api-tokens/{token_id}/revoke").status_code == 302  # twice
    refused = client.get("/api/v1/centre/certificates", headers=_bearer(secret))
    assert refused.status_code == 401
    assert refused.get_json()["error"]["status"] == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert len(_events("api_token.revoked")) == 1
    for wrong in ({}, _bearer("avala_nothing"), {"Authorization": f"Basic {secret}"}):
        assert client.get("/api/v1/centre/certificates", headers=wrong).status_code == 401


def test_another_centres_administrator_cannot_revoke_the_token(world, client, login):
    _token(world)
    token_id = db.session.scalar(select(ApiToken.id))
    outsider = factories.make_user(factories.make_centre("Otro plantel"), factories.Role.ADMIN)
    db.session.commit()
    login(outsider)
    assert client.post(f"/centre/api-tokens/{token_id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_read_token_cannot_start_a_batch(world, client):
    assessment = world.approved()
    db.session.commit()
    secret = _token(world, TokenScope.READ)
    refused = client.post(
        "/api/v1/centre/batches",
        json={"assessment_ids": [assessment.id]},
        headers={**_bearer(secret), "Accept-Language": "en"},
    )
    assert refused.status_code == 403
    assert refused.mimetype == "application/json"
    assert "may only read" in refused.get_json()["error"]["message"]
    assert db.session.scalar(select(func.count()).select_from(IssuanceBatch)) == 0
    # The refusal outlives the rolled-back request.
    assert [e.details["needed"] for e in _events("api_token.refused")] == ["issue"]


def test_a_token_never_sees_another_centres_certificates(world, client):
    ours = issue_certificate(world.admin, world.approved())
    other = factories.make_world()
    theirs = issue_certificate(other.admin, other.approved())
    db.session.commit()
    secret = _token(world)
    listing = client.get("/api/v1/centre/certificates", headers=_bearer(secret)).get_json()
    assert [item["folio"] for item in listing["items"]] == [ours.folio]
    assert listing["pagination"] == {"page": 1, "per_page": 25, "total": 1}
    headers = _bearer(secret)
    assert (
        client.get(f"/api/v1/centre/certificates/{ours.public_id}", headers=headers).json[
            "holder_name"
        ]
        == ours.holder_name
    )
    hidden = client.get(f"/api/v1/centre/certificates/{theirs.public_id}", headers=headers)
    assert hidden.status_code == 404 and hidden.get_json()["error"]["status"] == 404
    assert "no-store" in hidden.headers["Cache-Control"]


def test_batch_started_through_the_api_issues_and_can_be_polled(world, client, login):
    assessment = world.approved()
    db.session.commit()
    secret = _token(world, TokenScope.ISSUE)
    ready = client.get("/api/v1/centre/judgements", headers=_bearer(secret)).get_json()
    assert [item["assessment_id"] for item in ready["items"]] == [assessment.id]
    login(world.admin)  # a session cookie alongside changes nothing, and is never enough alone
    started = client.post(
        "/api/v1/centre/batches", json={"assessment_ids": [assessment.id]}, headers=_bearer(secret)
    )
    assert started.status_code == 202, started.get_json()
    batch_url = started.headers["Location"]
    polled = client.get(batch_url, headers=_bearer(secret)).get_json()
    assert polled["finished"] is True
    assert polled["counts"] == {"pending": 0, "issued": 1, "failed": 0}
    assert client.get("/api/v1/centre/judgements", headers=_bearer(secret)).json["items"] == []
    (event,) = _events("api.batch_started")
    assert event.actor_id == world.admin.id and event.details["assessments"] == 1
    without_token = client.post("/api/v1/centre/batches", json={"assessment_ids": [assessment.id]})
    assert without_token.status_code == 401


def test_batch_of_judgements_of_another_centre_is_refused(world, client):
    other = factories.make_world()
    theirs = other.approved()
    db.session.commit()
    secret = _token(world, TokenScope.ISSUE)
    refused = client.post(
        "/api/v1/centre/batches", json={"assessment_ids": [theirs.id]}, headers=_bearer(secret)
    )
    assert refused.status_code == 422
    bad = client.post(
        "/api/v1/centre/batches", json={"assessment_ids": "x"}, headers=_bearer(secret)
    )
    assert bad.status_code == 422 and "assessment_ids" in bad.get_json()["error"]["errors"]["json"]
    assert db.session.scalar(select(func.count()).select_from(IssuanceBatch)) == 0


def test_use_is_noted_on_the_token_and_reads_are_audited_once_an_hour(world, client):
    secret = _token(world)
    for _ in range(3):
        assert client.get("/api/v1/centre/judgements", headers=_bearer(secret)).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None
    (used,) = _events("api_token.used")
    assert used.details["first"] == "GET /api/v1/centre/judgements"


def test_public_certificate_keeps_its_contract(world, client):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    record = client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()
    assert record["status"] == "valid" and record["signature_algorithm"] == "Ed25519"
    assert record["certificate"]["folio"] == certificate.folio
    missing = client.get("/api/v1/certificates/no-such-id")
    assert missing.status_code == 404 and missing.get_json() == {"status": "not_found"}


def test_folio_lookup_shows_the_holder_only_to_who_proves_it_or_with_consent(world, client):
    listed = issue_certificate(world.admin, world.approved())
    private_holder = factories.make_candidate(world.admin, "Ana Sofía Ruiz Campos", listed=False)
    unlisted = issue_certificate(world.admin, world.approved(private_holder))
    db.session.commit()

    def look_up(folio, holder=None):
        query = {"folio": folio} if holder is None else {"folio": folio, "holder": holder}
        return client.get("/api/v1/verify", query_string=query)

    shown = look_up(listed.folio).get_json()
    assert shown["holder_name"] == listed.holder_name and shown["verification_url"]
    quiet = look_up(unlisted.folio).get_json()
    assert quiet["status"] == "valid" and quiet["holder_name"] is None
    assert quiet["verification_url"] is None
    assert look_up(unlisted.folio, "ruiz").get_json()["holder_name"] == "Ana Sofía Ruiz Campos"
    assert look_up(unlisted.folio, private_holder.curp).get_json()["holder_name"]
    unknown = look_up("CONALEP-EC0000.01-2000-999999", "Ruiz")
    wrong = look_up(unlisted.folio, "Campos")
    assert unknown.status_code == wrong.status_code == 404
    assert unknown.get_data() == wrong.get_data()
    assert look_up("CONALEP\x00-1").status_code == 422  # PostgreSQL cannot even compare a NUL


def test_each_token_has_its_own_allowance_and_a_429_answers_in_json(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "RATELIMIT_ENABLED": True,
            "API_TOKEN_RATE_LIMIT": "2 per minute",
        },
    )
    with app.app_context():
        world = factories.make_world()
        first, second = _token(world, name="Uno"), _token(world, name="Dos")
        client = app.test_client()
        url = "/api/v1/centre/certificates"
        statuses = [client.get(url, headers=_bearer(first)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        refused = client.get(url, headers=_bearer(first))
        assert refused.mimetype == "application/json"
        assert refused.get_json()["error"]["status"] == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert client.get(url, headers=_bearer(second)).status_code == 200
        db.session.remove()


def test_api_writes_need_no_csrf_token_but_the_token_page_does(database_url, tmp_path):
    app = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path,
            "WTF_CSRF_ENABLED": True,
        },
    )
    with app.app_context():
        world = factories.make_world()
        secret = _token(world, TokenScope.ISSUE)
        client = app.test_client()
        answer = client.post(
            "/api/v1/centre/batches", json={"assessment_ids": [1]}, headers=_bearer(secret)
        )
        assert answer.status_code == 422  # past CSRF, refused by the centre's rule instead
        refused = client.post("/centre/api-tokens", data={"name": "x", "scope": "read"})
        assert refused.status_code == 400
        db.session.remove()


def test_openapi_document_is_3_1_and_the_docs_page_needs_no_script(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/centre/batches" in document["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "<script" not in page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_a_misspelt_query_parameter_is_refused_and_named_in_the_chosen_language(world, client):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    query = {"folio": certificate.folio, "holdr": "Núñez"}
    refused = client.get("/api/v1/verify", query_string=query)
    assert refused.status_code == 422 and refused.is_json
    assert "holdr" in refused.get_data(as_text=True)
    english = client.get("/api/v1/verify", query_string={"folio": certificate.folio, "lang": "en"})
    assert english.status_code == 200 and english.get_json()["status"] == "valid"
