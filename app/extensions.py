"""Flask extensions: created here and nowhere else, bound to the app in create_app."""

import sqlite3

from flask import has_request_context, request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter them later, on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # The columns that tell rows apart in a log or a debugger, besides the id. Personal data
    # (names, CURPs, emails) never goes here: reprs end up in logs.
    __repr_attrs__: tuple[str, ...] = ()

    def __repr__(self) -> str:
        # Only what is loaded already: printing a row must never query the database.
        loaded = vars(self)
        shown = " ".join(
            f"{name}={loaded[name]!r}" for name in ("id", *self.__repr_attrs__) if name in loaded
        )
        return f"<{type(self).__name__} {shown}>"


@event.listens_for(Engine, "connect")
def _sqlite_readers_never_wait_for_the_writer(dbapi_connection, _record) -> None:
    """Write-ahead logging for a SQLite file: pages (a batch's progress, the public page) keep
    answering while the worker commits certificates, instead of waiting for its lock."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        (_seq, _name, filename) = dbapi_connection.execute("PRAGMA database_list").fetchone()
        if filename:  # not an in-memory database
            dbapi_connection.execute("PRAGMA journal_mode = WAL")


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
mail = Mail()


def language_in_address() -> str | None:
    """The language a visitor chose in the address (?lang=en): how visitors who are not
    signed in switch language without a cookie (public pages set none)."""
    from flask import current_app

    chosen = request.args.get("lang") if has_request_context() else None
    return chosen if chosen in current_app.config["LANGUAGES"] else None


class OpenApi(Api):
    """flask-smorest, for the JSON API's OpenAPI document and input checks. Its catch-all error
    handler is left out: app/errors.py answers every error, in JSON under /api/."""

    def _register_error_handlers(self):
        pass


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI, worker, tests of services
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = language_in_address() or session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(
        list(languages), default=current_app.config["BABEL_DEFAULT_LOCALE"]
    )


babel = Babel()
