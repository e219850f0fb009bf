"""Folio numbers: unique per body and year, even when several workers issue at once.

Where it can, the number is taken in its own short transaction, so parallel issuers wait for
each other only for that UPDATE and not for a whole PDF render; a number whose issuance then
fails is written to `folio_voids` with the reason, so every gap in the sequence is explained.
Where it cannot (see `takes_number_in_own_transaction`), the number is taken in the caller's
transaction, and a failed issuance rolls it back with everything else (no gap at all).
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.certificates.models import FolioCounter, FolioVoid
from app.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _bump(connection, scope: str) -> int:
    insert = _INSERTS[db.engine.dialect.name]
    connection.execute(
        insert(FolioCounter)
        .values(scope=scope, last_number=0)
        .on_conflict_do_nothing(index_elements=["scope"])
    )
    return connection.execute(
        update(FolioCounter)
        .where(FolioCounter.scope == scope)
        .values(last_number=FolioCounter.last_number + 1)
        .returning(FolioCounter.last_number)
    ).scalar_one()


def takes_number_in_own_transaction() -> bool:
    """Whether a number taken now can be committed apart from the session's transaction.

    Always on PostgreSQL. SQLite has a single writer, and a second connection of this thread
    would wait for the session's own write lock until it timed out; so on SQLite only for a
    database file (an in-memory database has one connection) and only while the session has
    written nothing in its open transaction.
    """
    if db.engine.dialect.name != "sqlite":
        return True
    if db.engine.url.database in (None, "", ":memory:"):
        return False
    return not db.session.connection().connection.driver_connection.in_transaction


@contextmanager
def folio_number(scope: str) -> Iterator[int]:
    """The next number of `scope`, for the issuance inside the `with` block.

    If the block raises, a number taken in its own transaction is voided with the reason;
    otherwise it goes back with the caller's rollback.
    """
    # Write the caller's pending changes first: flushed later, halfway through the issuance, they
    # would take SQLite's write lock for the whole render, and voiding the number would then
    # wait for this session's own lock.
    db.session.flush()
    own_transaction = takes_number_in_own_transaction()
    number = next_folio_number(scope, own_transaction)
    try:
        yield number
    except Exception as error:
        if own_transaction:
            void_folio_number(scope, number, f"{type(error).__name__}: {error}")
        raise


def next_folio_number(scope: str, own_transaction: bool) -> int:
    if not own_transaction:
        return _bump(db.session, scope)
    with db.engine.begin() as connection:
        return _bump(connection, scope)


def void_folio_number(scope: str, number: int, reason: str) -> None:
    """Record, in its own transaction, why a number taken in its own transaction was not issued.

    The session must hold no write lock (on SQLite): `folio_number` flushes before it takes the
    number, and the issuance writes nothing more until its last flush.
    """
    with db.engine.begin() as connection:
        connection.execute(
            FolioVoid.__table__.insert().values(scope=scope, number=number, reason=reason[:500])
        )
