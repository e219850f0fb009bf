import secrets
from datetime import date, datetime
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import true as sa_true
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
    # A deactivated centre's staff cannot log in (User.is_active); its records, certificates
    # and public pages stay. The body administrator deactivates and reactivates it.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())


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
        """An active account, and for staff an active centre too. A candidate is one person
        across the body (enrolled perhaps elsewhere, with certificates of their own): a
        deactivated centre does not lock them out."""
        if not self.is_active_account:
            return False
        if self.role == Role.CANDIDATE or self.centre is None:
            return True
        return self.centre.is_active

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
    """The person being assessed, one record across the body, identified by CURP; their login
    is `user`. `centre` registered them first (their account belongs to it); every centre that
    registered them is in `enrolments`, and sees only its own assessments of them."""

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
    # The version of the consent text the last answer (yes or no) was given to.
    consent_text_version: Mapped[str | None] = mapped_column(String(20))
    # The privacy notice the person accepted, and when; None until they do.
    privacy_notice_version: Mapped[str | None] = mapped_column(String(20))
    privacy_notice_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="candidate")
    centre: Mapped[Centre] = relationship()

    @property
    def full_name(self) -> str:
        return self.user.full_name


class Enrolment(db.Model):
    """A candidate registered at a centre. Once per centre: the unique index decides, also
    between two registrations at the same moment."""

    __tablename__ = "enrolments"
    __repr_attrs__ = ("candidate_id", "centre_id")
    __table_args__ = (UniqueConstraint("candidate_id", "centre_id", name="candidate_centre"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    candidate: Mapped[Candidate] = relationship()


class Accreditation(db.Model):
    """An evaluator's cédula for one standard, valid over a period, until withdrawn.

    In force on a day when that day is in its period, it is not withdrawn, and the evaluator
    holds, on that day, a certificate of the evaluator standard (EVALUATOR_STANDARD_CODE,
    EC0076) and one of the standard itself (Credential): app/accounts/accreditations.py.
    """

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
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    evaluator: Mapped[User] = relationship()
    standard: Mapped["Standard"] = relationship()  # noqa: F821 - resolved by the registry

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def covers(self, day: date) -> bool:
        return not self.is_withdrawn and self.valid_from <= day <= self.valid_until


class Credential(db.Model):
    """A competency certificate an evaluator holds: of the evaluator standard (EC0076) or of a
    standard they assess. Issued in Avala (`certificate`) or elsewhere: then its folio and a
    copy of the file, kept in the store under `file_key` with its SHA-256."""

    __tablename__ = "evaluator_credentials"
    __repr_attrs__ = ("evaluator_id", "standard_code", "valid_until")
    __table_args__ = (
        UniqueConstraint("evaluator_id", "standard_code", "folio", name="evaluator_folio"),
        CheckConstraint(
            "certificate_id IS NOT NULL OR (file_key IS NOT NULL AND file_sha256 IS NOT NULL)",
            name="source_known",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The standard's code without its version (EC0076, EC0217): any version certifies it.
    standard_code: Mapped[str] = mapped_column(String(20))
    folio: Mapped[str] = mapped_column(String(80))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    file_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_mimetype: Mapped[str | None] = mapped_column(String(40))
    valid_until: Mapped[date | None]  # None: indefinite
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evaluator: Mapped[User] = relationship(foreign_keys=[evaluator_id])
    certificate: Mapped["Certificate | None"] = relationship()  # noqa: F821 - the registry's

    @property
    def is_issued_here(self) -> bool:
        return self.certificate_id is not None


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
