"""Nothing lost: the backup procedure of docs/deployment.md, run for real.

A populated database is dumped with `pg_dump -Fc` and restored with `pg_restore` into an empty
database; an app started on the restored database, with the backed-up certificate files and
signing key copied into a new instance folder, shows every certificate's public page, serves the
same PDF bytes (hash as recorded) and publishes the key that verifies every signature.
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.certificates import signing
from app.certificates.lifecycle import revoke_certificate
from app.certificates.services import issue_certificate
from app.extensions import db
from tests import factories
from tests.conftest import POSTGRES_URL, _app

pytestmark = pytest.mark.postgres_only


def libpq_url(url) -> str:
    """What pg_dump and pg_restore take: the same database, without SQLAlchemy's driver name."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def scratch_database():
    """An empty database beside the test database (<name>_restore), dropped afterwards."""
    url = make_url(POSTGRES_URL)
    scratch = url.set(database=f"{url.database}_restore")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    admin.dispose()


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"


def test_a_restored_backup_verifies_every_certificate(app, world, scratch_database, tmp_path):
    issued = [
        issue_certificate(world.admin, world.approved()),
        issue_certificate(world.admin, world.approved(world.other_candidate, hours_from_now=3)),
    ]
    third = factories.make_candidate(world.admin, "Rosa Ibarra Luna")
    issued.append(issue_certificate(world.admin, world.approved(third, hours_from_now=5)))
    revoke_certificate(world.admin, issued[1], "Evidencia apócrifa")
    db.session.commit()
    expected = {c.public_id: (c.folio, c.status.value, c.pdf_sha256, c.signature) for c in issued}
    admin_email = world.admin.email
    original = Path(app.config["INSTANCE_DIR"])

    # The backup: the database, the certificate files (object store) and the private key.
    dump = tmp_path / "avala.dump"
    run("pg_dump", "-Fc", "--no-owner", "-f", str(dump), libpq_url(make_url(POSTGRES_URL)))
    restored = tmp_path / "restored-machine"
    shutil.copytree(Path(app.config["STORAGE_URL"]) / "certificates", restored / "certificates")
    shutil.copy2(app.config["SIGNING_KEY_PATH"], restored / "signing_key.pem")
    assert not (restored / "avala.db").exists() and restored != original

    # The restore, into an empty database, and a new app on it.
    run("pg_restore", "--no-owner", "--exit-on-error", "-d", libpq_url(scratch_database), str(dump))
    machine = _app(scratch_database.render_as_string(hide_password=False), restored)
    try:
        with machine.app_context():
            client = machine.test_client()
            assert client.get("/readyz").status_code == 200  # database, storage and key
            response = client.post(
                "/login", data={"email": admin_email, "password": factories.PASSWORD}
            )
            assert response.status_code == 302
            for public_id, (folio, status, pdf_sha256, signature) in expected.items():
                page = client.get(f"/v/{public_id}")
                assert page.status_code == 200 and folio in page.get_data(as_text=True)
                record = client.get(f"/api/v1/certificates/{public_id}").get_json()
                assert record["status"] == status and record["signature"] == signature
                key = load_pem_public_key(client.get(record["public_key_url"]).data)
                assert signing.verify(key, record["signed_payload"], record["signature"])
                pdf = client.get(f"/certificates/{public_id}/pdf")
                assert pdf.status_code == 200
                assert hashlib.sha256(pdf.data).hexdigest() == pdf_sha256
            assert expected[issued[1].public_id][1] == "revoked"
    finally:
        with machine.app_context():
            db.session.remove()
            db.engine.dispose()
