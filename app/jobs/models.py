from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class PeriodicRun(db.Model):
    """One period of one periodic task, claimed by the worker that runs it.

    Every consumer with a scheduler queues each periodic task once per period; the copy whose
    row is inserted first runs the job and the others find the row and stop (jobs/services.py).
    """

    __tablename__ = "periodic_runs"
    __repr_attrs__ = ("task", "period_start")
    __table_args__ = (
        UniqueConstraint("task", "period_start", name="uq_periodic_runs_task_period"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(100))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the job did, for whoever looks (JSON); empty while running or if its worker died.
    outcome: Mapped[str] = mapped_column(Text, default="")
