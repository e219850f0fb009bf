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
