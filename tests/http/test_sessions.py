"""Sessions end when they should: on logout, a new password, a deactivated account, inactivity."""

import time

import pytest

from app.accounts import services
from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories

PRIVATE_PAGE = "/assessments/"
CANDIDATE_PAGE = "/certificates/"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str, url: str = PRIVATE_PAGE):
    """Open `url` from another device that holds a copy of `cookie`."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get(url)


def is_sent_to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.location


def test_a_copied_session_cookie_stops_working_after_logout(app, world, client, login):
    login(world.admin)
    copied = session_cookie(client)
    assert replay(app, copied).status_code == 200

    assert client.post("/logout").status_code == 302

    assert is_sent_to_login(replay(app, copied))


def test_logging_out_ends_the_users_sessions_on_every_device(app, world, client, login):
    login(world.evaluator)
    laptop = session_cookie(client)
    phone = app.test_client()
    phone.post("/login", data={"email": world.evaluator.email, "password": factories.PASSWORD})

    phone.post("/logout")

    assert is_sent_to_login(replay(app, laptop))


def test_changing_the_password_ends_every_session(app, world, client, login):
    login(world.reviewer)
    copied = session_cookie(client)
    services.change_password(
        world.reviewer, current_password=factories.PASSWORD, password="otro-nopal-marimba-42"
    )
    db.session.commit()

    assert is_sent_to_login(replay(app, copied))
    assert is_sent_to_login(client.get(PRIVATE_PAGE))


def test_deactivating_an_account_ends_its_sessions(app, world, client, login):
    login(world.evaluator)
    copied = session_cookie(client)
    services.deactivate_user(world.admin, world.evaluator)
    db.session.commit()

    assert is_sent_to_login(replay(app, copied))


@pytest.mark.parametrize(
    "session_id",
    ["{id}", "{id}:", "{id}:not-the-token", ":{token}", "²:{token}", "x:{token}"],
    ids=["bare id, as cookies used to carry it", "no token", "wrong token", "no id",
         "superscript digit", "not a number"],
)  # fmt: skip
def test_a_session_id_without_the_current_token_is_not_accepted(world, client, login, session_id):
    login(world.admin)
    with client.session_transaction() as session:
        session["_user_id"] = session_id.format(id=world.admin.id, token=world.admin.session_token)
    assert is_sent_to_login(client.get(PRIVATE_PAGE))


def test_logging_out_is_recorded_in_the_audit_trail(world, client, login):
    login(world.admin)
    client.post("/logout")
    event = db.session.query(AuditEvent).filter_by(action="user.logged_out").one()
    assert event.actor_id == world.admin.id


# --- inactivity -------------------------------------------------------------------------------


def go_idle(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session["last_seen_at"] = time.time() - minutes * 60


def test_staff_session_ends_after_the_staff_idle_limit(app, world, client, login):
    assert app.config["STAFF_SESSION_IDLE_MINUTES"] == 30
    login(world.admin)
    go_idle(client, 31)

    response = client.get(PRIVATE_PAGE)

    assert is_sent_to_login(response)
    page = client.get(response.location).get_data(as_text=True)
    assert "inactividad" in page  # the login page says why, in the user's language
    assert is_sent_to_login(client.get(PRIVATE_PAGE))


def test_candidate_session_lasts_longer_than_staff_session(app, world, client, login):
    assert app.config["CANDIDATE_SESSION_IDLE_MINUTES"] == 240
    login(world.candidate.user)
    go_idle(client, 31)
    assert client.get(CANDIDATE_PAGE).status_code == 200
    go_idle(client, 241)
    assert is_sent_to_login(client.get(CANDIDATE_PAGE))


def test_activity_keeps_the_session_alive(world, client, login):
    login(world.admin)
    go_idle(client, 20)
    assert client.get(PRIVATE_PAGE).status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["last_seen_at"] < 60
    go_idle(client, 20)  # forty minutes in all, never thirty without activity
    assert client.get(PRIVATE_PAGE).status_code == 200


def test_idle_limits_come_from_the_configuration(app, world, client, login):
    app.config["STAFF_SESSION_IDLE_MINUTES"] = 5
    login(world.admin)
    go_idle(client, 6)
    assert is_sent_to_login(client.get(PRIVATE_PAGE))


def test_an_old_cookie_replayed_after_the_idle_limit_is_refused(app, world, client, login):
    login(world.admin)
    go_idle(client, 31)
    old = session_cookie(client)  # as a thief would keep it, never refreshed
    assert is_sent_to_login(replay(app, old))
