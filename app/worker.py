"""The Huey consumer's entry point: `huey_consumer app.worker.huey`.

Builds the app once per worker process (fonts and stylesheets are then prepared once and
reused), which also points the queue at the configured storage, and gives every worker thread
the app's context.
"""

from app import create_app
from app.extensions import db
from app.jobs import reminders as _reminder_jobs  # noqa: F401 - registers the reminder jobs
from app.tasks import huey

app = create_app()


@huey.on_startup()
def enter_app_context() -> None:
    app.app_context().push()


@huey.post_execute()
def end_session(task, task_value, exc) -> None:
    # Each task starts from a fresh session: nothing cached from the one before.
    db.session.remove()


__all__ = ["huey"]
