import secrets
from datetime import date, datetime
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.roles import Role
from app.db_types import StoredEnum, UTCDateTime, sql_values, utcnow
from app.extensions import db
from app.labels import LabelledEnum


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
    __table_args__ = (
        CheckConstraint(f"role IN ({sql_values(Role)})", name="role_known"),
        # Everyone belongs to a centre but the body's own administrators.
        CheckConstraint(
            f"centre_id IS NOT NULL OR role = '{Role.BODY_ADMIN.value}'", name="centre_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # None until the person sets a password through their invitation link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(StoredEnum(Role))
    centre_id: Mapped[int | None] = mapped_column(ForeignKey("centres.id"))
    # The language of the e-mails the person receives (one of config LANGUAGES).
    language: Mapped[str] = mapped_column(String(10), default="es_MX", server_default="es_MX")
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id every session cookie of this user carries (get_id): replacing it ends all
    # of them at once, on every device, even cookies copied elsewhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    centre: Mapped[Centre | None] = relationship()
    candidate: Mapped["Candidate | None"] = relationship(back_populates="user")

    @property
    def role_label(self) -> str:
        """The role's name people read (templates never compare roles, app/auth.py)."""
        return self.role.label

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

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
        if self.password_hash is None:  # invited, no password yet: the same work as a check
            spend_a_password_check(password)
            return False
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


class TokenPurpose(LabelledEnum):
    INVITATION = "invitation", _l("Invitation")
    PASSWORD_RESET = "password_reset", _l("Password reset")


class AccountToken(db.Model):
    """A single-use link sent by e-mail: an invitation or a password reset.

    Only the SHA-256 of the token is stored, so a copy of the database opens no account. A
    token is usable while not used, not withdrawn and not expired; using it is a
    compare-and-set on `used_at`, so two clicks at once set one password.
    """

    __tablename__ = "account_tokens"
    __repr_attrs__ = ("user_id", "purpose")
    __table_args__ = (
        CheckConstraint(f"purpose IN ({sql_values(TokenPurpose)})", name="purpose_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(StoredEnum(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
