"""Two machines (two app objects, each with its own instance folder) on one database: they
publish the same keys, never make a second key behind the operator's back, and a rotation on
one is seen by the other at its next request."""

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import func, select

from app.accounts.models import User
from app.assessments.models import Assessment
from app.certificates import keys, signing
from app.certificates.models import Certificate, SigningKey
from app.certificates.services import issue_certificate
from app.extensions import db
from tests import factories
from tests.conftest import _app


@pytest.fixture
def second_machine(app, database_url, tmp_path):
    """Another app server on the same database, with an instance folder of its own."""
    machines = []

    def make(**config):
        machine = _app(database_url, tmp_path / f"machine-{len(machines) + 2}", **config)
        machines.append(machine)
        return machine

    yield make
    for machine in machines:
        with machine.app_context():
            db.session.remove()
            db.engine.dispose()


def secret_of(app) -> str:
    """The private key as an operator would hand it to another machine (SIGNING_KEY_PEM)."""
    return Path(app.config["SIGNING_KEY_PATH"]).read_text()


def cli(machine, *args):
    # Inside the machine's own context: the CLI reuses whichever app context is already pushed.
    with machine.app_context():
        result = machine.test_cli_runner().invoke(args=["certificates", *args])
        db.session.remove()
    return result


def key_count() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(SigningKey))


def test_every_machine_publishes_the_same_issuer_profile_and_keys(app, second_machine):
    other = second_machine(SIGNING_KEY_PEM=secret_of(app))
    first, second = app.test_client(), other.test_client()
    for path in ("/.well-known/avala/issuer.json", "/.well-known/avala/signing-key.pem"):
        assert first.get(path).data == second.get(path).data
    # A machine without any private key still publishes the body's keys: they are in the database.
    bare = second_machine().test_client()
    assert (
        bare.get("/.well-known/avala/issuer.json").data
        == first.get("/.well-known/avala/issuer.json").data
    )


def test_create_key_is_idempotent_on_a_machine_given_the_active_key(app, second_machine):
    active = keys.active_key().key_id
    other = second_machine(SIGNING_KEY_PEM=secret_of(app))
    for machine in (app, other, other):
        result = cli(machine, "create-key")
        assert result.exit_code == 0, result.output
        assert f"Signing key {active} is already the active key" in result.output
    assert not Path(other.config["SIGNING_KEY_PATH"]).exists()  # nothing written on B
    assert key_count() == 1


def test_a_second_machine_without_the_key_refuses_to_make_its_own(app, second_machine):
    active = keys.active_key().key_id
    other = second_machine()
    result = cli(other, "create-key")
    assert result.exit_code == 1
    assert f"already has an active signing key ({active})" in result.output
    assert not Path(other.config["SIGNING_KEY_PATH"]).exists()
    assert key_count() == 1


def test_a_second_machine_with_a_different_key_refuses_and_changes_nothing(app, second_machine):
    active = keys.active_key().key_id
    other = second_machine()
    signing.create_signing_key(Path(other.config["SIGNING_KEY_PATH"]))  # a stray key of its own
    result = cli(other, "create-key")
    assert result.exit_code == 1
    assert f"active signing key is {active}" in result.output
    db.session.remove()
    assert [row.key_id for row in db.session.scalars(select(SigningKey))] == [active]


def test_a_machine_with_an_unregistered_key_does_not_sign(app, second_machine, world):
    other = second_machine()
    signing.create_signing_key(Path(other.config["SIGNING_KEY_PATH"]))
    assessment_id = world.approved().id
    db.session.commit()
    with other.app_context():
        with pytest.raises(keys.SigningKeyNotUsable, match="not registered"):
            issue_certificate(
                db.session.get(User, world.admin.id), db.session.get(Assessment, assessment_id)
            )
        db.session.rollback()


def admin_client(machine, world):
    client = machine.test_client()
    response = client.post(
        "/login", data={"email": world.admin.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return client


def certificates_of(assessment_id: int) -> list[Certificate]:
    db.session.remove()
    return list(
        db.session.scalars(select(Certificate).where(Certificate.assessment_id == assessment_id))
    )


def test_a_rotation_on_one_machine_is_seen_by_the_other_at_its_next_request(
    app, second_machine, world
):
    other = second_machine(SIGNING_KEY_PEM=secret_of(app))
    earlier = issue_certificate(world.admin, world.approved())
    pending = world.approved(world.other_candidate, hours_from_now=3).id
    db.session.commit()
    old_id = earlier.key_id

    result = cli(app, "rotate-key", "--yes")
    assert result.exit_code == 0, result.output
    new_id = keys.active_key().key_id
    assert new_id != old_id

    # B still holds the retired key: it publishes the new key but refuses to sign.
    b_client = admin_client(other, world)
    issuer = b_client.get("/.well-known/avala/issuer.json").get_json()
    assert issuer["assertionMethod"][0].endswith(f"#{new_id}")
    current = load_pem_public_key(b_client.get("/.well-known/avala/signing-key.pem").data)
    assert signing.key_id(current) == new_id
    badge = b_client.get(f"/certificates/{earlier.public_id}/badge.json")
    assert badge.status_code == 503
    assert "llave de firma no es la llave vigente" in badge.get_data(as_text=True)
    b_client.post(f"/assessments/{pending}/certify")
    assert certificates_of(pending) == []
    with (
        other.app_context(),
        pytest.raises(keys.SigningKeyNotUsable, match=f"{old_id}.*retired.*{new_id}"),
    ):
        keys.current_signing_key()

    # The new private key is distributed through B's secret: B signs with it, and its signature
    # verifies with the key A publishes.
    other.config["SIGNING_KEY_PEM"] = secret_of(app)
    assert b_client.post(f"/assessments/{pending}/certify").status_code == 302
    [certificate] = certificates_of(pending)
    assert certificate.key_id == new_id
    record = app.test_client().get(f"/api/v1/certificates/{certificate.public_id}").get_json()
    published = load_pem_public_key(app.test_client().get(record["public_key_url"]).data)
    assert signing.verify(published, record["signed_payload"], record["signature"])
    assert b_client.get(f"/certificates/{earlier.public_id}/badge.json").status_code == 200


def test_rotation_from_a_machine_whose_key_was_retired_is_refused(app, second_machine):
    other = second_machine(SIGNING_KEY_PEM=secret_of(app))
    assert cli(app, "rotate-key", "--yes").exit_code == 0
    active = keys.active_key().key_id
    result = cli(other, "rotate-key", "--yes")
    assert result.exit_code == 1
    assert "is not the active key" in result.output
    db.session.remove()
    assert keys.active_key().key_id == active and key_count() == 2


def test_create_key_registers_the_retired_key_files_of_an_older_deployment(app, tmp_path):
    """Before keys lived in the database, rotation kept public keys in retired-signing-keys/."""
    old = Ed25519PrivateKey.generate().public_key()
    folder = signing.retired_keys_dir(Path(app.config["SIGNING_KEY_PATH"]))
    folder.mkdir()
    (folder / f"{signing.key_id(old)}.pem").write_text(signing.public_key_pem(old))
    result = cli(app, "create-key")
    assert result.exit_code == 0, result.output
    assert f"Retired key {signing.key_id(old)} registered" in result.output
    response = app.test_client().get(f"/.well-known/avala/keys/{signing.key_id(old)}.pem")
    assert response.status_code == 200
    assert cli(app, "create-key").output.count("Retired key") == 0  # only once


def test_create_key_registers_the_key_file_of_a_deployment_from_before_the_table(app):
    key_path = Path(app.config["SIGNING_KEY_PATH"])
    before = key_path.read_bytes()
    db.session.execute(SigningKey.__table__.delete())  # as just after `flask db upgrade`
    db.session.commit()
    result = cli(app, "create-key")
    assert result.exit_code == 0, result.output
    assert "registered as the body's active key" in result.output
    assert key_path.read_bytes() == before  # the same key, not a new one
    db.session.remove()
    assert keys.active_key().key_id == signing.key_id(
        signing.load_signing_key(key_path).public_key()
    )


def test_two_machines_creating_the_first_key_at_once_end_with_one_key(app, second_machine):
    """Two fresh machines run create-key at the same instant: the database keeps one key."""
    import threading

    db.session.execute(SigningKey.__table__.delete())  # a database with no key yet
    db.session.commit()
    machines = [second_machine(), second_machine()]
    barrier = threading.Barrier(2, timeout=60)
    outcomes: list = [None, None]

    def run(index: int) -> None:
        with machines[index].app_context():
            try:
                barrier.wait()
                outcomes[index] = keys.create_key().key_id
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the outcome the test looks at
                db.session.rollback()
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [o for o in outcomes if isinstance(o, str)]
    refused = [o for o in outcomes if isinstance(o, keys.KeyRefused)]
    assert len(created) == 1 and len(refused) == 1, outcomes
    db.session.remove()
    assert [row.key_id for row in db.session.scalars(select(SigningKey))] == created
    # Only the winner holds a private key; the loser wrote none.
    files = [Path(m.config["SIGNING_KEY_PATH"]).exists() for m in machines]
    assert sorted(files) == [False, True]
