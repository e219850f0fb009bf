"""Nobody is booked twice at the same time

On PostgreSQL, exclusion constraints refuse two booked assessments (scheduled or in progress)
of one evaluator, or of one candidate, whose times overlap, even from parallel transactions.
SQLite has no such constraint; there the service re-checks under SQLite's single write lock.

Revision ID: 7676e92ce2dd
Revises: dc59daf4fba2
Create Date: 2026-11-26 10:12:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7676e92ce2dd'
down_revision = 'dc59daf4fba2'
branch_labels = None
depends_on = None

BOOKED = "status IN ('scheduled', 'in_progress')"
PEOPLE = ("evaluator", "candidate")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    # btree_gist lets one GiST index compare the person's id (=) and the time range (&&). It
    # is a trusted extension (PostgreSQL 13+): the database owner may create it, no superuser.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for person in PEOPLE:
        _refuse_existing_double_bookings(person)
        # Times are naive UTC (timestamp without time zone), hence tsrange; its default
        # bounds '[)' let one session end at the minute the next one starts.
        op.execute(
            f"ALTER TABLE assessments ADD CONSTRAINT ex_assessments_{person}_overlap "
            f"EXCLUDE USING gist ({person}_id WITH =, tsrange(starts_at, ends_at) WITH &&) "
            f"WHERE ({BOOKED})"
        )


def _refuse_existing_double_bookings(person: str) -> None:
    """Name the bookings that already overlap, instead of failing on the constraint alone."""
    pairs = op.get_bind().execute(sa.text(
        f"SELECT a.id, b.id FROM assessments a JOIN assessments b "
        f"ON a.{person}_id = b.{person}_id AND a.id < b.id "
        f"AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
        f"WHERE a.{BOOKED} AND b.{BOOKED}"
    )).all()
    if pairs:
        raise RuntimeError(
            f"These assessments book the same {person} at overlapping times; cancel or move "
            f"one of each pair, then upgrade again: {[tuple(pair) for pair in pairs]}"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for person in PEOPLE:
        op.execute(f"ALTER TABLE assessments DROP CONSTRAINT ex_assessments_{person}_overlap")
