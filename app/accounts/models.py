import secrets
from datetime import date, datetime
from functools import cache

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.roles import Role
from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db


class Centre(db.Model):
    """An evaluation centre (e.g. one CONALEP campus): a tenant with its own people and schedule."""

    __tablename__ = "centres"
    __repr_attrs__ = ("code",)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120), default="")
    # A folder under certificates/; None means the deployment's default design.
    certificate_design: Mapped[str | None] = mapped_column(String(60))
    # The centre's logo printed on its certificates (PNG or JPEG, checked on upload).
    # Deferred: public pages ask only whether there is one (logo_mimetype is set with it).
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_mimetype: Mapped[str | None] = mapped_column(String(20))


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __repr_attrs__ = ("role", "centre_id")
    __table_args__ = (CheckConstraint(f"role IN ({sql_values(Role)})", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(StoredEnum(Role))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id every session cookie of this user carries (get_id): replacing it ends all
    # of them at once, on every device, even cookies copied elsewhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    centre: Mapped[Centre] = relationship()
    candidate: Mapped["Candidate | None"] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session; app.accounts.sessions checks both parts."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        self.session_token = new_session_token()

    def set_password(self, password: str) -> None:
        """Store the new password's hash; every session opened with the old one ends."""
        self.password_hash = generate_password_hash(password, method=_hash_method())
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def spend_a_password_check(password: str) -> None:
    """Do the work of User.check_password, for an e-mail that has no account.

    Checking a hash takes long on purpose (~100 ms with scrypt); answering at once for an
    unknown e-mail would let anyone time the login form to learn who has an account.
    """
    check_password_hash(_hash_of_nobody(_hash_method()), password)


def _hash_method() -> str:
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")


@cache
def _hash_of_nobody(method: str) -> str:
    # Made once per process and method, from a password nobody knows.
    return generate_password_hash(secrets.token_urlsafe(32), method=method)


class Candidate(db.Model):
    """The person being assessed, identified by CURP; their login is `user`."""

    __tablename__ = "candidates"
    __repr_attrs__ = ("centre_id",)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"))
    curp: Mapped[str] = mapped_column(String(18), unique=True)
    is_publicly_listed: Mapped[bool] = mapped_column(default=False)
    # When the candidate agreed to be listed publicly; None while they have not agreed (a
    # refusal is kept in the audit trail of the registration, not stamped here as consent).
    consent_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="candidate")
    centre: Mapped[Centre] = relationship()

    @property
    def full_name(self) -> str:
        return self.user.full_name


class Accreditation(db.Model):
    """An evaluator's cédula for one standard, valid over a period."""

    __tablename__ = "accreditations"
    __repr_attrs__ = ("evaluator_id", "standard_id", "valid_from", "valid_until")
    __table_args__ = (
        UniqueConstraint("evaluator_id", "standard_id", "valid_from", name="evaluator_period"),
        CheckConstraint("valid_until >= valid_from", name="period_ordered"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id"))
    number: Mapped[str] = mapped_column(String(40), default="")
    valid_from: Mapped[date]
    valid_until: Mapped[date]

    evaluator: Mapped[User] = relationship()
    standard: Mapped["Standard"] = relationship()  # noqa: F821 - resolved by the registry

    def covers(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until
