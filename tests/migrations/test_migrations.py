"""The migrations alone build the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_upgraded_database_matches_the_models(app):
    # The `app` fixture's database was built by `flask db upgrade` only (create_app never
    # creates tables), so any difference here is a model change without a migration.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_create_app_does_not_create_tables(tmp_path):
    from sqlalchemy import create_engine, inspect

    from app import create_app
    from config import TestingConfig

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    create_app(TestingConfig, {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": tmp_path})
    assert inspect(create_engine(url)).get_table_names() == []


def test_users_that_exist_before_session_tokens_each_get_their_own(app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    downgrade(revision="18d5ddc0bf16")
    try:
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO centres (id, code, name, city) VALUES (1, 'CE-1', 'Centro', '')")
            )
            for n in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO users (id, email, full_name, password_hash, role, centre_id,"
                        " is_active_account, created_at) VALUES (:n, :email, 'Persona', 'x',"
                        " 'admin', 1, :active, CURRENT_TIMESTAMP)"
                    ),
                    {"n": n, "email": f"persona{n}@example.com", "active": True},
                )
    finally:
        upgrade()
    with db.engine.connect() as connection:
        tokens = connection.execute(text("SELECT session_token FROM users")).scalars().all()
    assert len(tokens) == len(set(tokens)) == 2
    assert all(len(token) >= 32 for token in tokens)


def test_certificates_withdrawn_before_public_reasons_get_a_neutral_one(app):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app.certificates.lifecycle import change_certificate_status
    from app.certificates.services import issue_certificate
    from tests import factories

    world = factories.make_world()
    revoked = issue_certificate(world.admin, world.approved())
    change_certificate_status(world.admin, revoked, "revoked", "Fraude", "data_error")
    valid = issue_certificate(world.admin, world.approved(world.other_candidate, 4))
    db.session.commit()
    ids, centre_id = (revoked.id, valid.id), world.centre.id
    db.session.remove()
    # The world's body administrator (who built its standard) has no centre, which the schema
    # before body administrators cannot hold: make them one of the centre's for the way down.
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE users SET role = 'admin', centre_id = :c WHERE centre_id IS NULL"),
            {"c": centre_id},
        )
    downgrade(revision="2c7830d7e095")  # the revision just before the public reasons
    upgrade()
    with db.engine.connect() as connection:
        rows = dict(connection.execute(text("SELECT id, public_reason FROM certificates")).all())
        notes = connection.execute(text("SELECT public_note FROM certificates")).scalars().all()
    assert rows == {ids[0]: "body_decision", ids[1]: None}
    assert notes == ["", ""]
