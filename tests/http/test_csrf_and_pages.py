"""One suite with CSRF switched on, plus language, error pages and security headers."""

import re

import pytest
from sqlalchemy import func, select

from app import create_app
from app.certificates.models import IssuanceBatch
from app.extensions import db
from config import TestingConfig
from tests import factories


@pytest.fixture
def csrf_client(database_url, tmp_path):
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
        yield app.test_client(), world
        db.session.remove()


def token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_post_without_csrf_token_is_refused_with_a_friendly_page(csrf_client):
    client, world = csrf_client
    response = client.post(
        "/login", data={"email": world.admin.email, "password": factories.PASSWORD}
    )
    assert response.status_code in (400, 422)
    assert "/logout" not in response.get_data(as_text=True)


def test_forms_work_with_the_token_from_the_page(csrf_client):
    client, world = csrf_client
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": world.admin.email, "csrf_token": token, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    page = client.get("/candidates/").get_data(as_text=True)
    response = client.post(
        "/candidates/",
        data={
            "csrf_token": token_from(page),
            "full_name": "Ana Ruiz",
            "curp": factories.valid_curp(5),
            "email": "ana.ruiz@example.com",
            "password": "una-clave-larga",
        },
    )
    assert response.status_code == 302


def test_the_language_switch_carries_its_token(csrf_client):
    client, world = csrf_client
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"email": world.admin.email, "csrf_token": token, "password": factories.PASSWORD},
    )
    html = client.get("/assessments/").get_data(as_text=True)
    footer_token = re.search(r'<footer.*?name="csrf_token" value="([^"]+)"', html, re.S).group(1)
    client.post("/language", data={"locale": "en"})  # no token: refused, nothing changes
    assert "Evaluaciones" in client.get("/assessments/").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "csrf_token": footer_token})
    assert "Assessments" in client.get("/assessments/").get_data(as_text=True)


def test_state_changing_buttons_need_the_token(csrf_client):
    client, world = csrf_client
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"email": world.admin.email, "csrf_token": token, "password": factories.PASSWORD},
    )
    response = client.post(f"/standards/{world.standard.id}/publish")
    assert response.status_code == 400


def test_starting_a_batch_needs_the_token(csrf_client):
    client, world = csrf_client
    assessment = world.approved()
    db.session.commit()
    token = token_from(client.get("/login").get_data(as_text=True))
    client.post(
        "/login",
        data={"email": world.admin.email, "csrf_token": token, "password": factories.PASSWORD},
    )
    response = client.post("/certificates/batches", data={"assessment": [str(assessment.id)]})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(IssuanceBatch)) == 0


def language_buttons(html: str) -> list[str]:
    footer = html[html.index("<footer") :]
    return re.findall(
        r'<button type="submit" name="locale" value="([^"]+)" lang="([^"]+)"'
        r'\s+class="[^"]*">([^<]+)</button>',
        footer,
    )


def language_links(html: str) -> list[tuple[str, str, str]]:
    footer = html[html.index("<footer") :]
    return re.findall(r'<a href="([^"]+)" lang="([^"]+)" hreflang="[^"]+"[^>]*>([^<]+)</a>', footer)


def test_spanish_is_the_default_and_english_is_one_tap_away(client, world):
    # A visitor switches with a link that keeps the language in the address: no cookie.
    html = client.get("/login").get_data(as_text=True)
    assert "Iniciar sesión" in html
    assert language_links(html) == [("/login?lang=en", "en", "English")]
    assert 'aria-label="Idioma"' in html
    html = client.get("/login?lang=en").get_data(as_text=True)
    assert "Log in" in html and 'lang="en"' in html
    assert language_links(html) == [("/login?lang=es_MX", "es-MX", "Español")]
    assert 'aria-label="Language"' in html
    # Signing in from the English page keeps English, now in the session.
    client.post("/login?lang=en", data={"email": world.admin.email, "password": factories.PASSWORD})
    html = client.get("/assessments/").get_data(as_text=True)
    assert "Assessments" in html
    # A signed-in user switches with the footer's button (POST, with its CSRF token).
    assert language_buttons(html) == [("es_MX", "es-MX", "Español")]
    client.post("/language", data={"locale": "es_MX"})
    assert "Evaluaciones" in client.get("/assessments/").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(client):
    client.post("/language", data={"locale": "fr"})
    assert "Iniciar sesión" in client.get("/login").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "locale" not in session  # refused by the form, not only ignored when read


def test_browser_language_is_honoured_when_nothing_was_chosen(client):
    html = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(
        as_text=True
    )
    assert 'lang="en"' in html


def test_error_pages_are_friendly_and_in_spanish(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Página no encontrada" in response.get_data(as_text=True)


def test_wrong_password_does_not_say_which_part_was_wrong(client, world):
    wrong_password = client.post("/login", data={"email": world.admin.email, "password": "x"})
    no_such_user = client.post("/login", data={"email": "nadie@example.com", "password": "x"})
    assert wrong_password.status_code == no_such_user.status_code == 422
    assert wrong_password.get_data(as_text=True).replace(
        world.admin.email, "X"
    ) == no_such_user.get_data(as_text=True).replace("nadie@example.com", "X")


def test_pages_forbid_external_resources_and_framing(client):
    headers = client.get("/login").headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_user_text_is_escaped_in_html(client, login, world):
    world.candidate.user.full_name = "<script>alert(1)</script>"
    db.session.commit()
    login(world.admin)
    html = client.get("/candidates/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
