"""Folio numbers: allocated by one atomic UPDATE … RETURNING so parallel workers never collide."""

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.certificates.models import FolioCounter
from app.extensions import db

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_folio_number(scope: str) -> int:
    """Take the next number in `scope` inside the caller's transaction.

    The row lock taken by the UPDATE serialises concurrent issuers until they commit; a rolled
    back issuance gives its number back, so numbers stay gap-free.
    """
    insert = _INSERTS[db.engine.dialect.name]
    db.session.execute(
        insert(FolioCounter).values(scope=scope, last_number=0).on_conflict_do_nothing(
            index_elements=["scope"]
        )
    )
    return db.session.execute(
        update(FolioCounter)
        .where(FolioCounter.scope == scope)
        .values(last_number=FolioCounter.last_number + 1)
        .returning(FolioCounter.last_number)
    ).scalar_one()
