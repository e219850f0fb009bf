"""Fixtures: a real database (SQLite file, or PostgreSQL from TEST_DATABASE_URL) per test.

SQLite: the schema is built once by the migrations into a template file, copied for each test.
PostgreSQL: the schema is built once by the migrations; each test ends by truncating every table.
"""

import os
import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.certificates.designs import list_designs
from app.certificates.signing import create_signing_key
from app.extensions import db
from app.tasks import huey
from config import TestingConfig
from tests import factories

# Background tasks run at once, in the test's own app, through Huey's real task machinery.
huey.immediate = True

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and not POSTGRES_URL:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL")


def _app(database_url: str, instance: Path, **overrides):
    instance.mkdir(parents=True, exist_ok=True)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": instance,
        "CERTIFICATE_STORAGE": instance / "certificates",
        "SIGNING_KEY_PATH": instance / "signing_key.pem",
        **overrides,
    }
    return create_app(TestingConfig, config)


def _reset_postgres_schema(app) -> None:
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """Run the migrations once per session; return the URL (PostgreSQL) or the template file."""
    root = tmp_path_factory.mktemp("template")
    if POSTGRES_URL:
        _reset_postgres_schema(_app(POSTGRES_URL, root))
        return POSTGRES_URL
    template = root / "template.db"
    app = _app(f"sqlite:///{template}", root)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return template


@pytest.fixture
def database_url(database_template, tmp_path):
    if POSTGRES_URL:
        return POSTGRES_URL
    copy = tmp_path / "test.db"
    shutil.copyfile(database_template, copy)
    return f"sqlite:///{copy}"


def truncate_all_tables() -> None:
    if db.engine.dialect.name == "postgresql":
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(database_url, tmp_path):
    app = _app(database_url, tmp_path / "instance")
    create_signing_key(app.config["SIGNING_KEY_PATH"])
    with app.app_context():
        yield app
        db.session.remove()
        truncate_all_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(params=list_designs())
def each_design(request, app) -> str:
    """Runs the test once per design shipped in certificates/, as the default for new ones."""
    app.config["CERTIFICATE_DESIGN"] = request.param
    return request.param


@pytest.fixture
def world(app):
    """A centre with its staff, two candidates and a published, accredited standard."""
    return factories.make_world()


@pytest.fixture
def login(client):
    def log_in(user, password=factories.PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, "login failed"
        return client

    return log_in
