"""Changing a password and deactivating an account end every session of that person."""

import pytest

from app.accounts import services
from app.accounts.roles import Role
from app.audit.models import AuditEvent
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from tests import factories


def reasons(error: ValidationFailed, field: str) -> list[str]:
    return [str(message) for message in error.value.reasons[field]]


# --- changing the password ----------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one(world):
    with pytest.raises(ValidationFailed) as refused:
        services.change_password(
            world.admin, current_password="not-the-password", password="otro-nopal-marimba-42"
        )
    assert reasons(refused, "current_password")
    assert world.admin.check_password(factories.PASSWORD)


def test_changing_the_password_takes_effect_and_is_recorded(world):
    token = world.admin.session_token
    services.change_password(
        world.admin, current_password=factories.PASSWORD, password="otro-nopal-marimba-42"
    )
    db.session.commit()
    assert services.authenticate(world.admin.email, "otro-nopal-marimba-42") == world.admin
    assert services.authenticate(world.admin.email, factories.PASSWORD) is None
    assert world.admin.session_token != token
    event = db.session.query(AuditEvent).filter_by(action="user.password_changed").one()
    assert event.actor_id == event.object_id == world.admin.id


def test_setting_a_password_ends_every_session(world):
    token = world.evaluator.session_token
    world.evaluator.set_password("otro-nopal-marimba-42")
    assert world.evaluator.session_token != token


def test_every_user_gets_an_unguessable_session_token(world):
    tokens = {user.session_token for user in (world.admin, world.evaluator, world.reviewer)}
    assert len(tokens) == 3 and all(len(token) >= 32 for token in tokens)


# --- deactivating an account --------------------------------------------------------------------


def test_an_administrator_deactivates_an_account_of_the_centre(world):
    token = world.evaluator.session_token
    services.deactivate_user(world.admin, world.evaluator)
    db.session.commit()
    assert not world.evaluator.is_active and world.evaluator.session_token != token
    assert services.authenticate(world.evaluator.email, factories.PASSWORD) is None
    event = db.session.query(AuditEvent).filter_by(action="user.deactivated").one()
    assert (event.actor_id, event.object_id) == (world.admin.id, world.evaluator.id)


def test_only_an_administrator_of_the_same_centre_deactivates_accounts(world):
    outsider = factories.make_user(factories.make_centre("CONALEP Tlalnepantla"), Role.ADMIN)
    for actor in (world.reviewer, world.candidate.user, outsider):
        with pytest.raises(PermissionDenied):
            services.deactivate_user(actor, world.evaluator)
    assert world.evaluator.is_active


def test_an_administrator_cannot_deactivate_their_own_account(world):
    with pytest.raises(ValidationFailed):
        services.deactivate_user(world.admin, world.admin)
    assert world.admin.is_active
