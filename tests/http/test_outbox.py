"""Development keeps e-mail in an outbox folder under instance/ and lists it on a page whose
links a new user can follow; production has no such page."""

import re
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.mail.services import send_mail
from app.transactions import commit_request
from config import ProductionConfig
from tests.conftest import _app

CONTEXT = {
    "full_name": "Laura Méndez Ochoa",
    "inviter_name": "Patricia Gómez",
    "role": "evaluator",
    "place_name": "CONALEP <b>Azcapotzalco</b>",
    "days": 7,
    "link": "http://127.0.0.1:5000/invitations/abc?x=1&y=2",
}


@pytest.fixture
def development_app(database_url, tmp_path):
    outbox = tmp_path / "instance" / "outbox"
    app = _app(
        database_url,
        tmp_path / "instance",
        MAIL_BACKEND="file",
        MAIL_OUTBOX_PAGE=True,
        MAIL_FILE_PATH=str(outbox),
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_development_mail_lands_in_the_outbox_page_with_clickable_links(development_app):
    send_mail("laura@example.com", "invitation", "es_MX", CONTEXT)
    send_mail("ana@example.com", "password_reset", "en", {**CONTEXT, "hours": 2})
    commit_request()
    assert list(Path(development_app.config["MAIL_FILE_PATH"]).glob("*.log"))
    client = development_app.test_client()
    listing = client.get("/dev/outbox/")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "Tu invitación a Avala" in page and "Choose a new password for Avala" in page
    first = re.search(r'href="(/dev/outbox/[^"]+)">Tu invitación', page).group(1)
    message = client.get(first).get_data(as_text=True)
    assert 'href="http://127.0.0.1:5000/invitations/abc?x=1&amp;y=2"' in message
    assert "&lt;b&gt;Azcapotzalco" in message
    assert client.get("/dev/outbox/no-such-message").status_code == 404


def test_production_has_no_outbox_page(tmp_path):
    class Production(ProductionConfig):
        SECRET_KEY = "x" * 64
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'p.db'}"

    app = create_app(Production, {"INSTANCE_DIR": tmp_path})
    assert app.test_client().get("/dev/outbox/").status_code == 404
    assert not any(rule.rule.startswith("/dev/") for rule in app.url_map.iter_rules())
