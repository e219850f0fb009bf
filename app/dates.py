"""Local dates and times: the centre's calendar is local, the database is UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(local: datetime) -> datetime:
    """A naive datetime typed in a form is local time at the centre."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=local_zone())
    return local.astimezone(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def today() -> date:
    return datetime.now(local_zone()).date()
