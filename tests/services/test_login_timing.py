"""Logging in takes the same work whether or not the e-mail has an account.

Timing tests would be flaky; instead these tests watch which password hashes werkzeug verifies
(bench/login_timing.py measures the times themselves).
"""

import sys
from contextlib import contextmanager

from werkzeug.security import check_password_hash

from app.accounts import services
from tests import factories


@contextmanager
def password_checks():
    """The hashes werkzeug's check_password_hash verifies while the block runs.

    A profiler hook only watches the calls: nothing is replaced, every check runs for real.
    """
    seen = []
    code = check_password_hash.__code__

    def watch(frame, event, _arg):
        if event == "call" and frame.f_code is code:
            seen.append(frame.f_locals["pwhash"])

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        yield seen
    finally:
        sys.setprofile(previous)


def method_of(password_hash: str) -> str:
    return password_hash.split("$", 1)[0]


def test_an_unknown_email_costs_the_same_password_check_as_a_wrong_password(world):
    stored = method_of(world.admin.password_hash)
    with password_checks() as wrong_password:
        assert services.authenticate(world.admin.email, "not-the-password") is None
    with password_checks() as unknown_email:
        assert services.authenticate("nadie@example.com", "not-the-password") is None
    assert [method_of(h) for h in wrong_password] == [stored]
    assert [method_of(h) for h in unknown_email] == [stored]


def test_a_deactivated_account_costs_the_same_password_check_too(world):
    services.deactivate_user(world.admin, world.evaluator)
    with password_checks() as checks:
        assert services.authenticate(world.evaluator.email, factories.PASSWORD) is None
    assert [method_of(h) for h in checks] == [method_of(world.evaluator.password_hash)]


def test_a_locked_email_costs_the_same_password_check_known_or_not(world, app):
    app.config.update(LOGIN_LOCK_AFTER_FAILURES=2)
    stored = method_of(world.admin.password_hash)
    for email in (world.admin.email, "nadie@example.com"):
        for _ in range(2):
            services.authenticate(email, "not-the-password")
        assert services.login_is_locked(email)
        with password_checks() as checks:
            assert services.authenticate(email, factories.PASSWORD) is None
        assert [method_of(h) for h in checks] == [stored]


def test_an_invited_account_without_a_password_costs_the_same_check(world):
    invited = services.create_user(
        centre=world.centre,
        email="invitada@example.com",
        full_name="Invitada Sin Clave",
        role=world.evaluator.role,
        password=None,
    )
    with password_checks() as checks:
        assert services.authenticate(invited.email, "anything-at-all") is None
    assert [method_of(h) for h in checks] == [method_of(world.admin.password_hash)]
