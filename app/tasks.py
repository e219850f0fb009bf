"""Background work on Huey: SQLite storage on one machine, Redis when HUEY_REDIS_URL is set.

The queue is configured from the app's config by create_app (configure_queue), so importing
this module reads no environment and creates no file. The worker runs `huey_consumer
app.worker.huey`; tasks call the same services as the views, inside the app context the
worker keeps (app/worker.py), or the request's own when tests run tasks immediately.

Periodic tasks are declared with `once_per_period`: every consumer with a scheduler queues
them, and a row in `periodic_runs` lets exactly one copy per period run (app/jobs/services.py),
so one consumer or several are equally right.
"""

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

QUEUE_NAME = "avala"

# Tasks register on this object at import; configure_queue gives it the configured storage.
huey = Huey(QUEUE_NAME, storage_class=MemoryStorage)


def configure_queue(config) -> None:
    """Point the queue at the storage the configuration names.

    In immediate mode (the tests) Huey keeps using memory and runs each task at once.
    """
    if config.get("HUEY_REDIS_URL"):
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": config["HUEY_REDIS_URL"]}
    else:
        filename = str(Path(config["INSTANCE_DIR"]) / "huey.db")
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": filename}
    huey.storage = huey.create_storage()


@huey.task()
def run_issuance_batch(batch_id: int) -> dict:
    from app.certificates.batches import run_batch

    return run_batch(batch_id)


DAY = 24 * 60


def once_per_period(name: str, minutes: int = 1, hour: int | None = None) -> Callable:
    """Declare a periodic task run every `minutes` minutes, once per period in the cluster.

    `minutes` divides the hour, or is a whole number of hours dividing the day (DAY: daily, at
    midnight UTC).

    The body runs inside the worker's app context and returns a dict of what it did (stored
    with the period's row). Its task returns {"ran": False} from a copy that lost the claim.
    `task.for_period("2026-11-26T12:00:00+00:00")` queues one copy for a given period as an
    ordinary task, whose result can be read (Huey keeps no results of periodic tasks): an
    operator catching up, or a test. With `hour` (UTC) it runs once a day, at minute 0 of that
    hour (its period is that hour).
    """
    if hour is not None:
        minutes = 60
    if 60 % minutes and (minutes % 60 or DAY % minutes):
        raise ValueError("the period must divide the hour, or the day in whole hours")
    if hour is not None:
        schedule = crontab(minute="0", hour=str(hour))
    elif minutes < 60:
        schedule = crontab(minute=f"*/{minutes}")
    else:
        schedule = crontab(minute="0", hour=f"*/{minutes // 60}")

    def decorator(body: Callable[[], dict]):
        def run(period: str | None = None) -> dict:
            from app.db_types import utcnow
            from app.jobs.services import period_start, run_once

            moment = datetime.fromisoformat(period) if period else utcnow()
            outcome = run_once(name, period_start(moment, minutes), body)
            return {**outcome, "pid": os.getpid()}

        run.__name__ = run.__qualname__ = body.__name__
        run.__doc__ = body.__doc__
        task = huey.periodic_task(schedule, name=name)(run)
        task.for_period = huey.task(name=f"{name}.for_period")(run)
        return task

    return decorator


@once_per_period("converge", minutes=1)
def converge() -> dict:
    """Bring the system back to a consistent state after crashes, every minute.

    Batches whose worker died are queued again, and folio numbers taken by an issuance whose
    process stopped are voided with that reason (every gap in the sequence is explained).
    """
    from app.certificates.batches import stalled_batches
    from app.certificates.numbering import void_abandoned_numbers

    requeued = stalled_batches()
    for batch_id in requeued:
        run_issuance_batch(batch_id)
    return {"requeued_batches": requeued, "voided_numbers": void_abandoned_numbers()}


@huey.task(retries=3, retry_delay=60)
def deliver_mail(
    to: str, template: str, language: str, context: dict, attachments: list | None = None
) -> None:
    """Send one e-mail (app/mail/services.py); a mail server that is down is tried again."""
    from app.mail.sending import deliver

    deliver(to, template, language, context, attachments or ())


@once_per_period("evidence_purge", hour=3)
def purge_evidence() -> dict:
    """Every day: remove the evidence files past EVIDENCE_RETENTION_DAYS (each purge audited)."""
    from app.evidence.retention import purge_expired_evidence
    from app.extensions import db

    purged = purge_expired_evidence()
    db.session.commit()  # the files go once the purge is committed
    return {"purged_evidence": len(purged)}
