"""Folio numbers: unique per body and year, even when several workers issue at once.

Where it can, the number is taken in its own short transaction, so parallel issuers wait for
each other only for that UPDATE and not for a whole PDF render; a number whose issuance then
fails is written to `folio_voids` with the reason, so every gap in the sequence is explained.
Where it cannot (see `takes_number_in_own_transaction`), the number is taken in the caller's
transaction, and a failed issuance rolls it back with everything else (no gap at all).

A process can also stop between the two transactions (killed, out of memory, host failure):
its number is taken and nothing says why it was never issued. So a number taken in its own
transaction is also reserved there (`folio_reservations`, with the time it was taken); the
transaction that commits the certificate deletes the reservation, and so does voiding it. A
reservation older than FOLIO_RESERVATION_GRACE_SECONDS is an issuance that will never
commit: the convergence job voids it (`void_abandoned_numbers`). The deletion is the deciding
write: an issuance that finds its reservation already voided fails instead of committing, and
the job voids nothing whose deletion it loses, so a number is never both issued and voided.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.certificates.models import FolioCounter, FolioReservation, FolioVoid
from app.db_types import utcnow
from app.errors import Conflict
from app.extensions import db

# The reason recorded for a number whose issuance never committed nor failed visibly.
ABANDONED = "process stopped during issuance (the certificate was never committed)"

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

    A number taken in its own transaction is reserved there; when the block ends, the
    reservation is deleted in the caller's transaction, so it ends with the certificate's
    commit (a rollback leaves it for the convergence job to void). If the block raises, the
    number is voided at once with the reason. A number taken in the caller's transaction goes
    back with the caller's rollback.
    """
    # Write the caller's pending changes first: flushed later, halfway through the issuance, they
    # would take SQLite's write lock for the whole render, and voiding the number would then
    # wait for this session's own lock.
    db.session.flush()
    own_transaction = takes_number_in_own_transaction()
    number = next_folio_number(scope, own_transaction)
    try:
        yield number
        if own_transaction:
            _release(scope, number)
    except FolioNumberVoided:
        raise  # voided already, by the convergence job
    except Exception as error:
        if own_transaction:
            void_folio_number(scope, number, f"{type(error).__name__}: {error}")
        raise


def next_folio_number(scope: str, own_transaction: bool) -> int:
    if not own_transaction:
        return _bump(db.session, scope)
    with db.engine.begin() as connection:
        number = _bump(connection, scope)
        connection.execute(
            FolioReservation.__table__.insert().values(
                scope=scope, number=number, taken_at=utcnow()
            )
        )
        return number


class FolioNumberVoided(Conflict):
    """The issuance took so long that its number was voided as abandoned; issue it again."""

    def __init__(self):
        super().__init__(
            _l("Issuing took too long and was stopped; nothing was issued. Please try again.")
        )


def _release(scope: str, number: int) -> None:
    """Delete the reservation in the session's transaction, which commits the certificate.

    Its row stays locked until that commit (PostgreSQL; SQLite's single write lock likewise),
    so the convergence job cannot void it meanwhile; if the job voided it first, refuse.
    """
    released = db.session.execute(
        delete(FolioReservation)
        .where(FolioReservation.scope == scope, FolioReservation.number == number)
        .execution_options(synchronize_session=False)
    ).rowcount
    if released != 1:
        raise FolioNumberVoided()


def void_folio_number(scope: str, number: int, reason: str) -> bool:
    """Record, in its own transaction, why a number taken in its own transaction was not issued.

    The session must hold no write lock (on SQLite): `folio_number` flushes before it takes the
    number, and the issuance writes nothing more until its last flush. Voiding a number twice
    (the job and the failing issuance at once) keeps the first reason; returns whether this call
    recorded it.
    """
    insert = _INSERTS[db.engine.dialect.name]
    with db.engine.begin() as connection:
        connection.execute(
            delete(FolioReservation).where(
                FolioReservation.scope == scope, FolioReservation.number == number
            )
        )
        voided = connection.execute(
            insert(FolioVoid)
            .values(scope=scope, number=number, reason=reason[:500], voided_at=utcnow())
            .on_conflict_do_nothing(index_elements=["scope", "number"])
            .returning(FolioVoid.id)
        ).scalar()
        return voided is not None


def void_abandoned_numbers() -> int:
    """Void every number reserved longer ago than the grace period; return how many.

    Each in its own transaction, decided by deleting the reservation: a number whose issuance
    is committing right now holds its reservation's row (see `_release`), and once that commit
    is through there is nothing left to delete.
    """
    grace = timedelta(seconds=current_app.config["FOLIO_RESERVATION_GRACE_SECONDS"])
    db.session.commit()  # this session holds no lock the deletions below would wait for
    stale = db.session.execute(
        select(FolioReservation.id, FolioReservation.scope, FolioReservation.number).where(
            FolioReservation.taken_at < utcnow() - grace
        )
    ).all()
    db.session.commit()
    insert = _INSERTS[db.engine.dialect.name]
    voided = 0
    for reservation_id, scope, number in stale:
        with db.engine.begin() as connection:
            deleted = connection.execute(
                delete(FolioReservation).where(FolioReservation.id == reservation_id)
            ).rowcount
            if deleted == 1:
                connection.execute(
                    insert(FolioVoid)
                    .values(scope=scope, number=number, reason=ABANDONED, voided_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["scope", "number"])
                )
                voided += 1
    return voided
