"""API tokens as the services keep them: hashed, scoped, revoked once even by two at once."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.roles import Role
from app.api import rules, services
from app.api.models import ApiToken, TokenScope
from app.audit.models import AuditEvent
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from tests import factories
from tests.concurrency import race


def test_a_scope_grants_what_it_says():
    assert rules.scope_allows("issue", "read") and rules.scope_allows("issue", "issue")
    assert rules.scope_allows("read", "read") and not rules.scope_allows("read", "issue")
    assert not rules.scope_allows("unknown", "read")


def test_only_an_active_token_authenticates(world):
    token, secret = services.create_token(world.admin, "Control escolar", TokenScope.READ)
    db.session.commit()
    assert services.authenticate(secret) == token
    assert services.authenticate(secret + "x") is None
    assert services.authenticate("") is None and services.authenticate("x" * 500) is None
    services.revoke_token(world.admin, token)
    db.session.commit()
    assert services.authenticate(secret) is None


def test_only_the_centre_administrator_creates_tokens_and_they_need_a_name(world):
    with pytest.raises(PermissionDenied):
        services.create_token(world.evaluator, "Control escolar", TokenScope.READ)
    with pytest.raises(ValidationFailed):
        services.create_token(world.admin, "   ", TokenScope.READ)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def _revoking(admin_id: int, token_id: int):
    def step(go):
        admin = db.session.get(User, admin_id)
        token = db.session.get(ApiToken, token_id)
        go()
        return services.revoke_token(admin, token).revoked_at

    return step


def test_two_revocations_at_once_record_one(app, world):
    other_admin = factories.make_user(world.centre, Role.ADMIN, "Rosa Elena Vargas Toledo")
    token, _secret = services.create_token(world.admin, "Bolsa de trabajo", TokenScope.ISSUE)
    db.session.commit()
    outcomes = race(app, _revoking(world.admin.id, token.id), _revoking(other_admin.id, token.id))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    revocations = db.session.scalar(
        select(func.count()).where(AuditEvent.action == "api_token.revoked")
    )
    assert revocations == 1
    assert db.session.get(ApiToken, token.id).revoked_at is not None
