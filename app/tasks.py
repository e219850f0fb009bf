"""Background work on Huey: SQLite storage on one machine, Redis when HUEY_REDIS_URL is set.

The queue is configured from the app's config by create_app (configure_queue), so importing
this module reads no environment and creates no file. The worker runs `huey_consumer
app.worker.huey`; tasks call the same services as the views, inside the app context the
worker keeps (app/worker.py), or the request's own when tests run tasks immediately.
"""

from pathlib import Path

from huey import Huey
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


@huey.task(retries=3, retry_delay=60)
def deliver_mail(to: str, template: str, language: str, context: dict) -> None:
    """Send one e-mail (app/mail/services.py); a mail server that is down is tried again."""
    from app.mail.sending import deliver

    deliver(to, template, language, context)
