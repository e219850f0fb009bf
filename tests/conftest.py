"""Fixtures: a real database (SQLite file, or PostgreSQL from TEST_DATABASE_URL) per test.

SQLite: the schema is built once by the migrations into a template file, copied for each test.
PostgreSQL: the schema is built once by the migrations; each test ends by truncating every table.

`module_app` is one app and database shared by every test of a module, for a module that builds
one expensive world and only reads it (tests/http/test_access.py, which rebuilds it when a
request has changed it). On PostgreSQL every app uses
the one database: in a module that also has tests on the function-scoped `app`, those must run
before the module's world is built (they would see its rows, and the truncation at the end of
each would empty it).
"""

import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
import redis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app import create_app
from app.certificates import keys, signing
from app.certificates.designs import list_designs
from app.extensions import db
from app.storage import write_atomically
from app.tasks import huey
from config import TestingConfig
from tests import factories, s3_server
from tests.mail_server import MailServer

# Background tasks run at once, in the test's own app, through Huey's real task machinery.
huey.immediate = True

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")


def _redis_database_of_this_pass(url: str) -> str:
    """`make test` runs its SQLite and PostgreSQL passes side by side, and tests empty their
    Redis database: the PostgreSQL pass uses the database numbered one below TEST_REDIS_URL's
    (14 for .../15; 1 for .../0)."""
    base, _, number = url.rstrip("/").rpartition("/")
    if not number.isdigit() or base.endswith(":/"):  # no database number: database 0
        base, number = url.rstrip("/"), "0"
    return f"{base}/{int(number) - 1 if int(number) > 0 else 1}"


if POSTGRES_URL and os.environ.get("TEST_REDIS_URL"):
    # Set for the whole run, so that worker processes the tests start inherit it too.
    os.environ["TEST_REDIS_URL"] = _redis_database_of_this_pass(os.environ["TEST_REDIS_URL"])


@event.listens_for(Engine, "connect")
def _sqlite_without_waiting_for_the_disk(dbapi_connection, _record) -> None:
    """Test databases are thrown away, so SQLite need not fsync at every commit (~9 ms each
    here, a few hundred per run). Locking and transactions are unchanged."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and not POSTGRES_URL:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL")


def _app(database_url: str, instance: Path, **overrides):
    instance.mkdir(parents=True, exist_ok=True)
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": instance,
        "STORAGE_URL": str(instance),
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


def _database_url(database_template, directory: Path) -> str:
    """A database of one's own built by the migrations: a copy of the template, or PostgreSQL."""
    if POSTGRES_URL:
        return POSTGRES_URL
    copy = directory / "test.db"
    shutil.copyfile(database_template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def database_url(database_template, tmp_path):
    return _database_url(database_template, tmp_path)


@pytest.fixture(scope="module")
def module_directory(request, tmp_path_factory):
    return tmp_path_factory.mktemp(request.path.stem)


@pytest.fixture(scope="module")
def module_database_url(database_template, module_directory):
    return _database_url(database_template, module_directory)


def truncate_all_tables() -> None:
    if db.engine.dialect.name == "postgresql":
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def mail_server():
    """A real SMTP server on a free loopback port for the whole run; apps send to it."""
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(mail_server):
    """The messages the SMTP server received during this test."""
    mail_server.mailbox.clear()
    return mail_server.mailbox


def smtp_settings(mail_server) -> dict:
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": mail_server.port}


# Every test app holds the same private key, as every machine of a deployment does: on
# PostgreSQL the apps of one run share the database, and a module's app (module_app) keeps its
# key registered while the module's other tests make apps of their own.
_TEST_SIGNING_KEY = signing.private_key_pem(Ed25519PrivateKey.generate())


def install_signing_key(app) -> str:
    """What `flask certificates create-key` does with the key every machine is given: the key
    file, registered as the active key."""
    path = Path(app.config["SIGNING_KEY_PATH"])
    if not path.exists():
        write_atomically(path, _TEST_SIGNING_KEY, mode=0o600)
    with app.app_context():
        key_id = keys.create_key().key_id
        db.session.commit()
        db.session.remove()
    return key_id


def _running_app(
    database_url: str, directory: Path, mail_server, storage_settings: dict | None = None
):
    """Yield an app with its signing key, inside its app context; empty the database after."""
    settings = {**smtp_settings(mail_server), **(storage_settings or {})}
    app = _app(database_url, directory / "instance", **settings)
    install_signing_key(app)
    with app.app_context():
        yield app
        db.session.remove()
        truncate_all_tables()
        db.engine.dispose()


@pytest.fixture
def storage_settings():
    """The app's store: its instance folder. A module that overrides this fixture with
    `params=STORAGES` runs each of its tests on every backend (see `storage_for`)."""
    return {}


STORAGES = ["local", "s3"]


def redis_test_url() -> str:
    """The Redis the tests may use (TEST_REDIS_URL): a test that needs it fails under CI=true
    when it is not set, and is skipped elsewhere."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_REDIS_URL must point at Redis in CI")
        pytest.skip("set TEST_REDIS_URL=redis://127.0.0.1:6379/15 to run the tests on Redis")
    return url


@pytest.fixture
def redis_url():
    """TEST_REDIS_URL, its database emptied of what earlier tests left there."""
    url = redis_test_url()
    redis.Redis.from_url(url).flushdb()
    return url


def workers_sharing_redis(database_url, instance, redis_url: str, **settings):
    """Two app objects (as two gunicorn workers) on one database, keeping their rate limits
    in one Redis; their test clients."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": instance,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": redis_url,
        **settings,
    }
    return [create_app(TestingConfig, config).test_client() for _ in range(2)]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server, started for the run (tests/s3_server.py), with one bucket; the test
    credentials are in the environment meanwhile. Under CI=true a missing moto fails."""
    if not s3_server.moto_is_installed():
        message = "needs moto[server] (requirements-dev.txt) for the S3 store"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    before = s3_server.use_test_credentials()
    try:
        with s3_server.running_s3_server() as server:
            s3_server.create_bucket(server.endpoint, S3_BUCKET)
            yield server.endpoint
    finally:
        s3_server.restore_environment(before)


S3_BUCKET = "avala-test"


def storage_for(request) -> dict:
    """Settings for the backend `request.param` names: the instance folder, or a prefix of
    its own in the test bucket of the S3 server."""
    if request.param == "local":
        return {}
    endpoint = request.getfixturevalue("s3_endpoint")
    return {
        "STORAGE_URL": f"s3://{S3_BUCKET}/{uuid.uuid4().hex}",
        "S3_ENDPOINT_URL": endpoint,
    }


@pytest.fixture
def app(database_url, tmp_path, mail_server, storage_settings):
    yield from _running_app(database_url, tmp_path, mail_server, storage_settings)


@pytest.fixture(scope="module")
def module_app(module_database_url, module_directory, mail_server):
    """One app and database for a whole module (see the module docstring)."""
    yield from _running_app(module_database_url, module_directory, mail_server)


@pytest.fixture(scope="module")
def empty_module_database(module_app, database_template, module_directory):
    """A function that gives `module_app` back an empty database (the schema stays)."""

    def empty() -> None:
        db.session.remove()
        if POSTGRES_URL:
            truncate_all_tables()
        else:
            db.engine.dispose()
            _database_url(database_template, module_directory)
        keys.create_key()  # the instance's key file, registered again in the empty database
        db.session.commit()
        db.session.remove()

    return empty


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
