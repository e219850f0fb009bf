"""API tokens: a centre's key to the JSON API, kept only as a hash."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Centre, User
from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db
from app.labels import LabelledEnum


class TokenScope(LabelledEnum):
    READ = "read", _l("Read certificates and judgements")
    ISSUE = "issue", _l("Read, and start batch issuance")


class ApiToken(db.Model):
    """One centre's API token. Only the SHA-256 of the secret is stored: the secret is shown
    once, when the token is created, and cannot be read back."""

    __tablename__ = "api_tokens"
    __repr_attrs__ = ("centre_id", "scope", "prefix")
    __table_args__ = (CheckConstraint(f"scope IN ({sql_values(TokenScope)})", name="scope_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    scope: Mapped[TokenScope] = mapped_column(StoredEnum(TokenScope))
    # The first characters of the secret, so people can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    centre: Mapped[Centre] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
