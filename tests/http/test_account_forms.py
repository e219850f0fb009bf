"""Account forms: a weak password is explained beside its field and nothing is saved."""

from app.accounts.models import Candidate
from app.extensions import db
from tests import factories


def register(client, password: str):
    return client.post(
        "/candidates/",
        data={
            "full_name": "Ana Ruiz Téllez",
            "curp": factories.valid_curp(5),
            "email": "ana.ruiz@example.com",
            "password": password,
        },
    )


def password_error(html: str) -> str:
    start = html.index('id="password-error"')
    return html[start : html.index("</small>", start)]


def test_a_guessable_password_is_refused_beside_its_field(world, client, login):
    login(world.admin)
    response = register(client, "1234567890")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert "contraseñas más comunes" in password_error(html)
    assert db.session.query(Candidate).count() == 2


def test_the_password_advice_follows_the_users_language(world, client, login):
    login(world.admin)
    client.post("/language", data={"locale": "en"})
    html = register(client, "aaaaaaaaaa").get_data(as_text=True)
    assert "easy to guess" in password_error(html)


def test_a_strong_password_registers_the_candidate(world, client, login):
    login(world.admin)
    assert register(client, "tlacuache-en-la-azotea").status_code == 302
