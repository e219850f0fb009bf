"""Password reset by e-mail, deactivated accounts, and logins locked after repeated failures,
none of which tells anyone whether an e-mail address has an account."""

from urllib.parse import urlsplit

import pytest

from app.extensions import db
from tests import factories
from tests.conftest import workers_sharing_redis

STRONG = "otro-nopal-marimba-42"


def reset_link(mailbox, email: str) -> str:
    (link,) = mailbox.last_to(email).links
    return urlsplit(link).path


def test_a_password_reset_mails_a_link_that_sets_a_new_password(world, client, mailbox):
    response = client.post("/password/forgot", data={"email": world.evaluator.email.upper()})
    assert response.status_code == 302
    received = mailbox.last_to(world.evaluator.email)
    assert received.subject == "Elige una nueva contraseña para Avala"
    path = reset_link(mailbox, world.evaluator.email)
    assert client.post(path, data={"password": STRONG, "confirm": STRONG}).status_code == 302
    assert client.post(path, data={"password": STRONG, "confirm": STRONG}).status_code == 410
    old = client.post(
        "/login", data={"email": world.evaluator.email, "password": factories.PASSWORD}
    )
    assert old.status_code == 422
    new = client.post("/login", data={"email": world.evaluator.email, "password": STRONG})
    assert new.status_code == 302


def test_a_reset_for_an_unknown_email_sends_nothing_and_answers_the_same(world, client, mailbox):
    known = client.post("/password/forgot", data={"email": world.evaluator.email})
    known_page = client.get(known.location).get_data(as_text=True)
    unknown = client.post("/password/forgot", data={"email": "nadie@example.com"})
    unknown_page = client.get(unknown.location).get_data(as_text=True)
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert "Si alguna cuenta usa este correo" in known_page
    assert known_page == unknown_page
    assert mailbox.to("nadie@example.com") == []
    assert len(mailbox.to(world.evaluator.email)) == 1


def test_a_deactivated_account_cannot_log_in_and_its_sessions_end(world, client, login, app):
    other = app.test_client()
    other.post("/login", data={"email": world.evaluator.email, "password": factories.PASSWORD})
    assert other.get("/assessments/").status_code == 200
    login(world.admin)
    assert client.post(f"/people/{world.evaluator.id}/deactivate").status_code == 302
    assert "Desactivada" in client.get("/staff/").get_data(as_text=True)
    assert other.get("/assessments/").status_code == 302  # back to the login page
    refused = other.post(
        "/login", data={"email": world.evaluator.email, "password": factories.PASSWORD}
    )
    assert refused.status_code == 422
    assert client.post(f"/people/{world.evaluator.id}/reactivate").status_code == 302
    again = other.post(
        "/login", data={"email": world.evaluator.email, "password": factories.PASSWORD}
    )
    assert again.status_code == 302


def test_a_deactivated_account_gets_no_reset_link(world, client, login, mailbox):
    login(world.admin)
    client.post(f"/people/{world.evaluator.id}/deactivate")
    client.post("/password/forgot", data={"email": world.evaluator.email})
    assert mailbox.to(world.evaluator.email) == []


def _fail(client, email: str):
    return client.post("/login", data={"email": email, "password": "not-the-password"})


def _refusal(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index('class="notice notice-error"')
    return html[start : html.index("</div>", start)]


@pytest.fixture
def lock_after_three(app):
    app.config.update(LOGIN_LOCK_AFTER_FAILURES=3, LOGIN_LOCK_MINUTES=15)


def test_repeated_failures_lock_the_email_even_for_the_right_password(
    world, client, lock_after_three
):
    for _ in range(3):
        assert _fail(client, world.reviewer.email).status_code == 422
    locked = client.post(
        "/login", data={"email": world.reviewer.email, "password": factories.PASSWORD}
    )
    assert locked.status_code == 422
    assert "Demasiados intentos fallidos" in locked.get_data(as_text=True)
    # Another address is not affected.
    ok = client.post("/login", data={"email": world.admin.email, "password": factories.PASSWORD})
    assert ok.status_code == 302


def test_the_lock_message_is_the_same_for_an_email_without_an_account(
    world, client, lock_after_three
):
    pages = []
    for email in (world.reviewer.email, "nadie@example.com"):
        for _ in range(3):
            first = _refusal(_fail(client, email))
        pages.append((first, _refusal(_fail(client, email))))
    (known_last_failure, known_locked), (unknown_last_failure, unknown_locked) = pages
    assert known_locked == unknown_locked and "Demasiados intentos" in known_locked
    assert known_last_failure == unknown_last_failure


def test_a_successful_login_forgets_earlier_failures(world, client, lock_after_three):
    for _ in range(2):
        _fail(client, world.reviewer.email)
    client.post("/login", data={"email": world.reviewer.email, "password": factories.PASSWORD})
    client.post("/logout")
    for _ in range(2):
        _fail(client, world.reviewer.email)
    ok = client.post("/login", data={"email": world.reviewer.email, "password": factories.PASSWORD})
    assert ok.status_code == 302
    db.session.rollback()


def test_the_lock_is_shared_by_every_worker_through_redis(world, database_url, tmp_path, redis_url):
    """Two app processes (as two gunicorn workers) count one address's failures together."""
    first, second = workers_sharing_redis(
        database_url, tmp_path, redis_url, RATELIMIT_ENABLED=False, LOGIN_LOCK_AFTER_FAILURES=2
    )
    _fail(first, world.reviewer.email)
    _fail(second, world.reviewer.email)
    locked = first.post(
        "/login", data={"email": world.reviewer.email, "password": factories.PASSWORD}
    )
    assert "Demasiados intentos fallidos" in _refusal(locked)
