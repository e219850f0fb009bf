"""The key that signs session cookies is never a published constant."""

import time

import pytest
from flask import Flask

from app import create_app
from config import DevelopmentConfig

PUBLISHED_DEVELOPMENT_KEY = "dev-only-not-secret"


def forged_cookie(secret_key: str, session: dict) -> str:
    forger = Flask("forger")
    forger.secret_key = secret_key
    return forger.session_interface.get_signing_serializer(forger).dumps(session)


@pytest.fixture
def development_app(app, database_url, tmp_path):
    """A development app (AVALA_ENV unset, no SECRET_KEY) on the test's own database."""
    return create_app(
        DevelopmentConfig,
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "INSTANCE_DIR": tmp_path / "development",
            "CERTIFICATE_STORAGE": tmp_path / "development" / "certificates",
            "SIGNING_KEY_PATH": tmp_path / "development" / "signing_key.pem",
        },
    )


def test_a_cookie_signed_with_the_published_development_key_is_refused(world, development_app):
    cookie = forged_cookie(
        PUBLISHED_DEVELOPMENT_KEY,
        {"_user_id": world.admin.get_id(), "_fresh": True, "last_seen_at": time.time()},
    )
    client = development_app.test_client()
    client.set_cookie("session", cookie)
    response = client.get("/candidates/")
    assert response.status_code == 302 and "/login" in response.location
