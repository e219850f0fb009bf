"""The demo data `make run` loads obeys the same rules as real use, its password included."""

from app.accounts.services import authenticate
from app.demo import DEMO_PASSWORD, LOGINS, load_demo
from app.extensions import db


def test_the_demo_loads_and_its_logins_work_with_the_published_password(app):
    logins = load_demo()
    db.session.commit()
    assert {login.email for login in LOGINS} <= {login.email for login in logins}
    for login in logins:
        assert authenticate(login.email, DEMO_PASSWORD) is not None, login.email
