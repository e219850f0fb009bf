"""Rotating the body's signing key never makes an issued certificate unverifiable."""

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import select

from app.certificates import badges, keys, signing
from app.certificates.models import SigningKey
from app.certificates.services import issue_certificate
from app.extensions import db


def rotate(app):
    return app.test_cli_runner().invoke(args=["certificates", "rotate-key", "--yes"])


def key_of(client, record):
    response = client.get(record["public_key_url"])
    assert response.status_code == 200
    return load_pem_public_key(response.data)


def record_of(client, certificate):
    return client.get(f"/api/v1/certificates/{certificate.public_id}").get_json()


def test_certificates_signed_before_a_rotation_stay_verifiable(app, client, login, world):
    before = issue_certificate(world.admin, world.approved())
    db.session.commit()
    login(world.candidate.user)
    credential = json.loads(client.get(f"/certificates/{before.public_id}/badge.json").data)
    current_pem_before = client.get("/.well-known/avala/signing-key.pem").data

    result = rotate(app)
    assert result.exit_code == 0, result.output
    assert f"Key {before.key_id} retired" in result.output

    after = issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=3))
    db.session.commit()
    old_record, new_record = record_of(client, before), record_of(client, after)
    assert old_record["key_id"] == before.key_id != new_record["key_id"] == after.key_id
    old_key, new_key = key_of(client, old_record), key_of(client, new_record)
    assert signing.verify(old_key, old_record["signed_payload"], old_record["signature"])
    assert signing.verify(new_key, new_record["signed_payload"], new_record["signature"])
    assert not signing.verify(old_key, new_record["signed_payload"], new_record["signature"])
    current_pem = client.get("/.well-known/avala/signing-key.pem").data
    assert current_pem != current_pem_before
    assert signing.key_id(load_pem_public_key(current_pem)) == after.key_id

    # A wallet holding the credential downloaded before the rotation can still check it.
    issuer = client.get("/.well-known/avala/issuer.json").get_json()
    methods = {m["id"]: m for m in issuer["verificationMethod"]}
    assert len(methods) == 2 and set(issuer["assertionMethod"]) == set(methods)
    assert issuer["assertionMethod"][0].endswith(f"#{after.key_id}")  # the current key first
    method = methods[credential["proof"][0]["verificationMethod"]]
    assert badges.verify_credential(
        credential, signing.public_key_from_multibase(method["publicKeyMultibase"])
    )


def test_the_retired_key_keeps_only_its_public_half(app):
    key_path = Path(app.config["SIGNING_KEY_PATH"])
    first = keys.active_key().key_id
    assert rotate(app).exit_code == 0
    db.session.remove()
    rows = {row.key_id: row for row in db.session.scalars(select(SigningKey))}
    assert len(rows) == 2 and rows[first].retired_at is not None
    assert all(b"PRIVATE" not in row.public_key_pem.encode() for row in rows.values())
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert not keys.new_key_path(key_path).exists()
    assert rotate(app).exit_code == 0  # a second rotation keeps both retired keys
    db.session.remove()
    assert len(keys.published_public_keys()) == 3


def test_rotation_without_a_key_refuses_and_changes_nothing(app):
    key_path = Path(app.config["SIGNING_KEY_PATH"])
    key_path.unlink()
    result = rotate(app)
    assert result.exit_code != 0
    assert "flask certificates create-key" in result.output
    assert not key_path.exists()
    db.session.remove()
    assert [row.retired_at for row in db.session.scalars(select(SigningKey))] == [None]


def test_rotation_asks_for_confirmation(app):
    key_path = Path(app.config["SIGNING_KEY_PATH"])
    before = key_path.read_bytes()
    result = app.test_cli_runner().invoke(args=["certificates", "rotate-key"], input="n\n")
    assert result.exit_code != 0
    assert key_path.read_bytes() == before


@pytest.mark.parametrize("key_id", ["0000000000000000", "..%2Fsigning_key"])
def test_an_unknown_key_id_is_not_found(client, key_id):
    assert client.get(f"/.well-known/avala/keys/{key_id}.pem").status_code == 404
