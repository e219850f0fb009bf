"""Only once, on many machines: the database decides, never a check-then-write in Python.

A check that reads and then writes lets two workers (two web processes, two batch runs, a
double click) both pass the check before either writes. The services use these tools instead:

- a unique or partial unique index, or an exclusion constraint (models.py): the second write is
  refused, on every database and by every path; `violates(error, name)` tells which rule
  refused it, so the loser gets a DomainError instead of a 500;
- `lock_row(obj)`: SELECT … FOR NO KEY UPDATE (the lock an UPDATE takes). On PostgreSQL a
  second transaction locking the row waits until the first ends, then reads what the first
  committed; rows that merely refer to it can still be written. SQLite ignores the clause: it
  has one writer at a time, whose lock the first write of a transaction takes.
"""

from sqlalchemy.exc import IntegrityError

from app.extensions import db


def lock_row(obj) -> None:
    """Re-read `obj` and lock its row until the transaction ends (PostgreSQL; see above)."""
    db.session.flush()  # a refresh would drop changes not yet written
    db.session.refresh(obj, with_for_update={"key_share": True})


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
