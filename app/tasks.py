"""Background work on Huey: SQLite storage on one machine, Redis when HUEY_REDIS_URL is set.

Run the worker with `huey_consumer app.tasks.huey`. Tasks open their own app context and call
the same services as the views, then commit.
"""

import os
from functools import cache

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
