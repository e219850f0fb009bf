"""The QR code's page is rendered once per worker and revalidated cheaply (ETag, 304), yet a
status change committed by any worker shows on the very next request, and nobody's signed-in
page is ever shared (app/verification/page_cache.py)."""

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import text, update

from app import create_app
from app.accounts.models import User
from app.certificates.lifecycle import revoke_certificate
from app.certificates.models import Certificate
from app.certificates.services import issue_certificate
from app.dates import today
from app.extensions import db
from app.verification import page_cache
from config import TestingConfig


@pytest.fixture
def certificate(world):
    issued = issue_certificate(world.admin, world.approved())
    db.session.commit()
    return issued


def verdict(response) -> str:
    return re.search(r'<h1 id="verdict">(.*?)</h1>', response.text).group(1)


def scan(client, certificate, **headers):
    return client.get(f"/v/{certificate.public_id}", headers=headers)


def test_a_repeated_scan_gets_the_same_page_and_a_revalidation_costs_no_page(client, certificate):
    first = scan(client, certificate)
    assert first.status_code == 200 and "VIGENTE" in first.text
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert first.headers["ETag"]
    again = scan(client, certificate)
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    revalidated = scan(client, certificate, **{"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.data == b""
    assert "Set-Cookie" not in revalidated.headers


def test_a_revocation_by_another_worker_shows_on_the_next_request(app, client, certificate, world):
    seen = scan(client, certificate)
    assert "VIGENTE" in verdict(seen)
    # A second app on the same database: another gunicorn worker with its own page cache.
    other_worker = create_app(
        TestingConfig,
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "INSTANCE_DIR": app.config["INSTANCE_DIR"],
            "STORAGE_URL": app.config["STORAGE_URL"],
            "SIGNING_KEY_PATH": app.config["SIGNING_KEY_PATH"],
        },
    )
    with other_worker.app_context():
        revoke_certificate(
            db.session.get(User, world.admin.id),
            db.session.get(Certificate, certificate.id),
            "Suplantación de identidad",
        )
        db.session.commit()
        db.session.remove()
    # The test client's requests share this test's session; a real request starts a new one.
    db.session.expire_all()
    after = scan(client, certificate, **{"If-None-Match": seen.headers["ETag"]})
    assert after.status_code == 200
    assert "REVOCADO" in verdict(after)
    assert after.headers["ETag"] != seen.headers["ETag"]
    assert "Suplantación" not in after.text  # the internal reason stays internal


@pytest.mark.postgres_only
def test_the_page_survives_the_database_dropping_its_connections(app, client, certificate):
    """A database restart (or a proxy's idle timeout) closes the page's pooled connections;
    the next scan reconnects instead of failing."""
    app.config["VERIFICATION_READ_POOL_SIZE"] = 2
    try:
        assert scan(client, certificate).status_code == 200  # the pool now holds a connection
        with db.engine.begin() as connection:
            dropped = connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND query LIKE '%public_id%' AND state = 'idle'"
                )
            )
        assert dropped >= 1
        answer = scan(client, certificate)
        assert answer.status_code == 200 and "VIGENTE" in verdict(answer)
    finally:
        app.extensions[page_cache.READ_ENGINE][0].dispose()


def test_each_language_has_its_own_page(client, certificate):
    assert "VIGENTE" in scan(client, certificate).text
    english = client.get(f"/v/{certificate.public_id}?lang=en")
    assert "VALID" in english.text and "VIGENTE" not in english.text
    assert "VIGENTE" in scan(client, certificate).text


def test_expiry_changes_the_page_on_the_day_after(client, certificate):
    assert "VIGENTE" in scan(client, certificate).text
    day_after = certificate.valid_until + timedelta(days=1)
    with time_machine.travel(day_after.isoformat() + "T18:00:00", tick=False):
        assert today() == day_after
        assert "VENCIDO" in scan(client, certificate).text


def test_a_signed_in_person_gets_their_own_page_and_it_is_never_shared(
    app, client, certificate, world, login
):
    scan(client, certificate)  # a visitor's page is now kept
    login(world.admin)
    own = scan(client, certificate)
    assert world.admin.full_name in own.text
    assert own.headers["Cache-Control"] == "private, no-cache" and "ETag" not in own.headers
    visitor = app.test_client()
    shared = scan(visitor, certificate)
    assert world.admin.full_name not in shared.text and "public" in shared.headers["Cache-Control"]


def test_an_unknown_id_is_not_found_and_not_kept(client):
    response = client.get("/v/AAAAAAAAAAAAAAAAAAAAAA")
    assert response.status_code == 404 and "ETag" not in response.headers


def test_a_kept_page_is_served_without_rendering_it_again(client, certificate):
    before = scan(client, certificate)
    # Frozen at issue, so not part of the key: change it behind the app's back to see that the
    # second answer is the kept page, not a new rendering.
    db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id)
        .values(evaluator_name="Nombre Cambiado")
    )
    db.session.commit()
    again = scan(client, certificate)
    assert again.data == before.data and "Nombre Cambiado" not in again.text


def test_the_json_record_is_kept_revalidated_and_shows_a_revocation_at_once(
    client, certificate, world
):
    url = f"/api/v1/certificates/{certificate.public_id}"
    first = client.get(url)
    assert first.status_code == 200 and first.get_json()["status"] == "valid"
    assert first.headers["Cache-Control"] == "public, no-cache"
    revalidated = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    revoke_certificate(world.admin, certificate, "Error en los datos")
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["status"] == "revoked"
