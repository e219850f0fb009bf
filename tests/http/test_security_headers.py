"""Transport and caching headers: production insists on HTTPS; private pages are never stored,
public ones keep their own caching rules (the route × role matrix checks every route)."""

import pytest

from app import create_app
from app.certificates.services import issue_certificate
from app.extensions import db
from config import ProductionConfig

HSTS = "max-age=63072000; includeSubDomains"


class ConfiguredProduction(ProductionConfig):
    SECRET_KEY = "0123456789abcdef" * 4  # 64 characters: production refuses short keys
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    STRICT_TRANSPORT_SECURITY = HSTS  # whatever the environment of this test run says


@pytest.mark.parametrize("path", ["/login", "/verify", "/static/css/app.css", "/no-such-page"])
def test_production_tells_browsers_to_use_https_only(tmp_path, path):
    app = create_app(ConfiguredProduction, {"INSTANCE_DIR": tmp_path})
    response = app.test_client().get(path)
    assert response.headers["Strict-Transport-Security"] == HSTS


def test_production_config_asks_for_two_years_of_https_with_subdomains():
    assert ProductionConfig.STRICT_TRANSPORT_SECURITY == HSTS


def test_development_and_tests_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_static_files_keep_their_caching_for_signed_in_users(world, client, login):
    login(world.admin)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_public_page_seen_by_a_signed_in_user_keeps_its_own_caching(world, client, login):
    certificate = issue_certificate(world.admin, world.approved())
    db.session.commit()
    login(world.admin)
    page = client.get(f"/v/{certificate.public_id}")
    key = client.get("/.well-known/avala/signing-key.pem")
    assert "no-store" not in page.headers.get("Cache-Control", "")
    assert key.headers["Cache-Control"] == "public, max-age=3600"


def test_an_error_page_shown_to_a_signed_in_user_is_not_stored(world, client, login):
    login(world.admin)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_the_candidate_list_with_full_curps_is_not_stored(world, client, login):
    login(world.admin)
    response = client.get("/candidates/")
    assert world.candidate.curp in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.vary
