"""Only once, on many machines: the database decides, never a check-then-write in Python.

A check that reads and then writes lets two workers (two web processes, two batch runs, a
double click) both pass the check before either writes. The services use three tools instead:

- a unique or partial unique index, or an exclusion constraint (models.py): the second write is
  refused, on every database and by every path; `violates(error, name)` tells which rule
  refused it, so the loser gets a DomainError instead of a 500;
- `lock_row(obj)`: SELECT … FOR NO KEY UPDATE (the lock an UPDATE takes). On PostgreSQL a
  second transaction locking the row waits until the first ends, then reads what the first
  committed; rows that merely refer to it can still be written. SQLite ignores the clause: it
  has one writer at a time, whose lock the first write of a transaction takes;
- `claim_row(obj, column, allowed)`: a compare-and-set, ``UPDATE … SET column = column
  WHERE id = :id AND column IN (:allowed)``. One statement that works the same on both
  databases: it takes the row's lock (PostgreSQL) or the database's write lock (SQLite) for
  the rest of the transaction, and matches no row when a parallel writer changed the column
  first, so the caller knows it lost.
"""

from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app.extensions import db


def lock_row(obj) -> None:
    """Re-read `obj` and lock its row until the transaction ends (PostgreSQL; see above)."""
    db.session.flush()  # a refresh would drop changes not yet written
    db.session.refresh(obj, with_for_update={"key_share": True})


def claim_row(obj, column, allowed: Iterable) -> bool:
    """Lock `obj`'s row for this transaction if `column` still holds one of `allowed`.

    False when it no longer does: someone else changed it since `obj` was read. Changes nothing
    by itself; the caller then makes its change, knowing nobody can make another meanwhile.
    """
    model = type(obj)
    claimed = db.session.execute(
        update(model)
        .where(model.id == obj.id, column.in_(list(allowed)))
        .values({column: column})
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def violates(error: IntegrityError, name: str) -> bool:
    """Whether the database refused a write because of the index or constraint `name`."""
    diagnostics = getattr(error.orig, "diag", None)
    if diagnostics is not None:  # psycopg: PostgreSQL names the constraint
        return diagnostics.constraint_name == name
    # SQLite names the columns of the unique index instead: "UNIQUE constraint failed: t.a".
    return str(error.orig) == f"UNIQUE constraint failed: {_columns_of(name)}"


def _columns_of(name: str) -> str:
    for table in db.metadata.tables.values():
        for rule in (*table.indexes, *table.constraints):
            if rule.name == name:
                return ", ".join(f"{table.name}.{column.name}" for column in rule.columns)
    raise LookupError(f"no index or constraint named {name}")
