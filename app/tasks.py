"""Background work on Huey: SQLite storage on one machine, Redis when HUEY_REDIS_URL is set.

Run the worker with `huey_consumer app.tasks.huey`. Tasks call the same services as the views,
inside the current app (tests run tasks immediately) or the worker's own long-lived app.
"""

import os
from contextlib import nullcontext
from functools import cache

from flask import has_app_context
from huey import RedisHuey, SqliteHuey

from config import INSTANCE_DIR


def _make_huey():
    redis_url = os.environ.get("HUEY_REDIS_URL")
    if redis_url:
        return RedisHuey("avala", url=redis_url)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("avala", filename=str(INSTANCE_DIR / "huey.db"))


huey = _make_huey()


@cache
def worker_app():
    """One app per worker process, so fonts and stylesheets are prepared once and reused."""
    from app import create_app

    return create_app()


def _app_context():
    return nullcontext() if has_app_context() else worker_app().app_context()


@huey.task()
def run_issuance_batch(batch_id: int) -> dict:
    from app.certificates.batches import run_batch

    with _app_context():
        return run_batch(batch_id)
