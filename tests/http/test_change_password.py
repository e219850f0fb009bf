"""Any signed-in user changes their own password: the current one first, the new one twice and
hard to guess; their other sessions end, this one goes on; the change is audited and the user is
told by e-mail (received on a real SMTP server on loopback)."""

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories
from tests.http.test_sessions import PRIVATE_PAGE, is_sent_to_login, replay, session_cookie

NEW = "otro-nopal-marimba-42"


def change(client, current, new, confirm=None):
    return client.post(
        "/password/change",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_a_user_changes_their_password_and_their_other_sessions_end(
    app, world, client, login, mailbox
):
    login(world.evaluator)
    other_device = session_cookie(client)
    assert "Cambiar mi contraseña" in client.get("/password/change").get_data(as_text=True)

    response = change(client, factories.PASSWORD, NEW)

    assert response.status_code == 302
    assert client.get(PRIVATE_PAGE).status_code == 200  # this session goes on
    assert is_sent_to_login(replay(app, other_device))
    client.post("/logout")
    login_old = {"email": world.evaluator.email, "password": factories.PASSWORD}
    assert client.post("/login", data=login_old).status_code == 422
    login_new = {"email": world.evaluator.email, "password": NEW}
    assert client.post("/login", data=login_new).status_code == 302
    received = mailbox.last_to(world.evaluator.email)
    assert received.subject == "Se cambió tu contraseña de Avala"
    assert received.links == ["http://localhost/password/forgot"]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "user.password_changed")
    ).all()
    assert actions == ["user.password_changed"]


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(
    app, world, client, login, mailbox
):
    login(world.candidate.user)
    wrong = change(client, "not-my-password", NEW)
    assert wrong.status_code == 422
    assert "La contraseña actual no es correcta" in wrong.get_data(as_text=True)
    weak = change(client, factories.PASSWORD, "12345678")
    assert weak.status_code == 422
    mismatch = change(client, factories.PASSWORD, NEW, confirm=NEW + "x")
    assert mismatch.status_code == 422
    assert "Las dos contraseñas no son iguales" in mismatch.get_data(as_text=True)
    client.post("/logout")
    login_old = {"email": world.candidate.user.email, "password": factories.PASSWORD}
    assert client.post("/login", data=login_old).status_code == 302
    assert mailbox.messages == []


def test_the_password_page_needs_a_signed_in_user(client):
    assert is_sent_to_login(client.get("/password/change"))
