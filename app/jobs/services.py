"""Once per period, however many workers: the claim every periodic task makes before it runs.

Each Huey consumer that runs a scheduler (the default; `huey_consumer -n` turns it off) queues
every periodic task when its time comes, so with three consumers a job is queued three times a
period. Before the job's body runs, its worker inserts the row (task, period start) in its own
committed transaction; the unique constraint lets exactly one insert through, on SQLite and
PostgreSQL alike, and the other copies return without doing anything. A body that fails, or
whose worker dies, is not run again in that period: the next period's run picks up its work,
so every job is written to catch up on whatever is left over.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite

from app.db_types import utcnow
from app.extensions import db
from app.jobs.models import PeriodicRun
from app.transactions import commit_request

log = logging.getLogger(__name__)

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

# Rows of past periods are kept this long, for whoever wants to see what ran when.
KEEP_RUNS = timedelta(days=7)


def period_start(moment: datetime, minutes: int) -> datetime:
    """The start of the period of `minutes` minutes (counted from midnight) holding `moment`."""
    of_day = moment.hour * 60 + moment.minute
    start = of_day - of_day % minutes
    return moment.replace(hour=start // 60, minute=start % 60, second=0, microsecond=0)


def claim_period(task: str, start: datetime) -> bool:
    """Record, committed at once, that this worker runs `task` for the period from `start`.

    True for exactly one caller per (task, period), however many call at the same instant.
    """
    insert = _INSERTS[db.engine.dialect.name]
    with db.engine.begin() as connection:
        inserted = connection.execute(
            insert(PeriodicRun)
            .values(task=task, period_start=start, started_at=utcnow(), outcome="")
            .on_conflict_do_nothing(index_elements=["task", "period_start"])
            .returning(PeriodicRun.id)
        ).scalar()
    return inserted is not None


def run_once(task: str, start: datetime, body: Callable[[], dict]) -> dict:
    """Run `body` if this worker wins the period's claim; say whether it ran and what it did."""
    db.session.commit()  # nothing of an earlier task's session holds SQLite's write lock
    if not claim_period(task, start):
        log.info("%s already ran for the period from %s", task, start.isoformat())
        return {"ran": False}
    outcome = body()
    db.session.execute(
        update(PeriodicRun)
        .where(PeriodicRun.task == task, PeriodicRun.period_start == start)
        .values(finished_at=utcnow(), outcome=json.dumps(outcome, sort_keys=True))
    )
    db.session.execute(delete(PeriodicRun).where(PeriodicRun.period_start < start - KEEP_RUNS))
    commit_request()  # and then queue the e-mails the body queued for after its commit
    return {"ran": True, **outcome}
