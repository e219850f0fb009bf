"""Folio numbers: unique per body and year, even when several workers issue at once.

On PostgreSQL the number is taken in its own short transaction, so parallel issuers wait for
each other only for that UPDATE and not for a whole PDF render; a number whose issuance then
fails is written to `folio_voids` with the reason, so every gap in the sequence is explained.
SQLite has a single writer anyway, so there the number is taken in the caller's transaction,
and a failed issuance rolls it back with everything else (no gap at all).
"""

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.certificates.models import FolioCounter, FolioVoid
from app.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _bump(connection, scope: str) -> int:
    insert = _INSERTS[db.engine.dialect.name]
    connection.execute(
        insert(FolioCounter).values(scope=scope, last_number=0).on_conflict_do_nothing(
            index_elements=["scope"]
        )
    )
    return connection.execute(
        update(FolioCounter)
        .where(FolioCounter.scope == scope)
        .values(last_number=FolioCounter.last_number + 1)
        .returning(FolioCounter.last_number)
    ).scalar_one()


def takes_number_in_own_transaction() -> bool:
    return db.engine.dialect.name != "sqlite"


def next_folio_number(scope: str) -> int:
    if not takes_number_in_own_transaction():
        return _bump(db.session, scope)
    with db.engine.begin() as connection:
        return _bump(connection, scope)


def void_folio_number(scope: str, number: int, reason: str) -> None:
    """Record, in its own transaction, why a number that was taken was never issued."""
    if not takes_number_in_own_transaction():
        return  # the number was rolled back with the failed issuance
    with db.engine.begin() as connection:
        connection.execute(
            FolioVoid.__table__.insert().values(scope=scope, number=number, reason=reason[:500])
        )
