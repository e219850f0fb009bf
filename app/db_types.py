"""Column types shared by every area."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator

# Every id and number column is an INTEGER: 32-bit signed on PostgreSQL (SQLite holds 64 bits).
MAX_INTEGER = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """Stores naive UTC and always returns an aware UTC datetime, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def sql_values(enum) -> str:
    """The members of a string enum as an SQL list, for CHECK constraints: 'a', 'b'."""
    return ", ".join(f"'{member.value}'" for member in enum)


class StoredEnum(TypeDecorator):
    """A string column that gives back members of its enum, so each value brings its label.

    Stored as plain VARCHAR: the allowed values are a CHECK constraint on the table.
    """

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int = 20):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value, dialect):
        return None if value is None else self.enum(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum(value)
