"""Accounts: staff and candidates (accreditations: app/accounts/accreditations.py)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.accounts import enrolments, lockout
from app.accounts.curp import InvalidCurp, normalize_curp
from app.accounts.models import (
    AccountToken,
    Candidate,
    Centre,
    TokenPurpose,
    User,
    spend_a_password_check,
)
from app.accounts.roles import Role
from app.accounts.rules import guessable_words, password_weaknesses
from app.audit.services import record_event
from app.db_types import utcnow
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.mail.services import public_url, send_mail
from app.uploads import check_image


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None without saying which part failed.

    Every attempt checks one password hash of the configured method, whether the e-mail has an
    account or not, whether it is active and whether it is locked, so the time taken tells
    nothing either. Failures are counted per e-mail address, known or not (app/accounts/
    lockout.py): after LOGIN_LOCK_AFTER_FAILURES of them the address cannot log in for
    LOGIN_LOCK_MINUTES, even with the right password.
    """
    locked = lockout.is_locked(email)
    user = find_user_by_email(email)
    if user is None:
        spend_a_password_check(password)
        correct = False
    else:
        correct = user.check_password(password) and user.is_active
    if locked:
        return None
    if not correct:
        lockout.note_failure(email)
        return None
    lockout.forget_failures(email)
    return user


def login_is_locked(email: str) -> bool:
    """Whether this e-mail address may not log in for now (known or not: it reveals nothing)."""
    return lockout.is_locked(email)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def set_language(user: User, language: str) -> None:
    """Remember the language the person reads, for the e-mails they will receive."""
    if user.language != language:
        user.language = language
        db.session.flush()


def may_manage(actor: User, user: User) -> bool:
    """Whether `actor` administers `user`'s account: the body administrator the centre
    administrators, a centre administrator everyone else of their own centre."""
    if actor.id == user.id:
        return False
    if actor.role == Role.BODY_ADMIN:
        return user.role == Role.ADMIN
    return (
        actor.role == Role.ADMIN
        and user.centre_id == actor.centre_id
        and user.role not in (Role.BODY_ADMIN, Role.ADMIN)
    )


def ensure_may_manage(actor: User, user: User) -> None:
    if not may_manage(actor, user):
        raise PermissionDenied(_l("Only this account's administrator can change it."))


def log_out(user: User) -> None:
    """End every session of `user`, on every device, copies of the session cookie included."""
    user.end_sessions()
    db.session.flush()
    record_event(user, "user.logged_out", user)


def change_password(user: User, *, current_password: str, password: str) -> None:
    """Replace the user's password after checking the current one; every session of the user
    ends (the caller logs the current one in again if it should stay open), and the user is
    told by e-mail, so that a change they did not make does not go unnoticed.

    Raises ValidationFailed on `current_password` or `password` (the new one, named as on the
    form that sets a password); nothing changes then.
    """
    if not user.check_password(current_password):
        raise ValidationFailed.on("current_password", _l("The current password is not correct."))
    _ensure_hard_to_guess(password, "password", email=user.email, full_name=user.full_name)
    user.set_password(password)
    db.session.flush()
    record_event(user, "user.password_changed", user)
    send_mail(
        user.email,
        "password_changed",
        user.language,
        {"full_name": user.full_name, "link": public_url("accounts.forgot_password")},
    )


def deactivate_user(actor: User, user: User) -> None:
    """Stop `user` from logging in and end every session they have open.

    Only the account's administrator may (may_manage), and never on their own account (the
    centre would lose its last way in). Links not yet used stop working; the history stays.
    Raises PermissionDenied or ValidationFailed.
    """
    if actor.id == user.id:
        raise ValidationFailed(_l("You cannot deactivate your own account."))
    ensure_may_manage(actor, user)
    user.is_active_account = False
    user.end_sessions()
    withdraw_pending_tokens(user)
    db.session.flush()
    record_event(actor, "user.deactivated", user)


def reactivate_user(actor: User, user: User) -> None:
    """Let a deactivated account log in again (with its old password). Raises PermissionDenied."""
    ensure_may_manage(actor, user)
    if user.is_active_account:
        return
    user.is_active_account = True
    db.session.flush()
    record_event(actor, "user.reactivated", user)


def withdraw_pending_tokens(user: User, purpose: TokenPurpose | None = None) -> int:
    """Make every unused link of `user` (of one purpose, or all) stop working; how many."""
    query = update(AccountToken).where(
        AccountToken.user_id == user.id,
        AccountToken.used_at.is_(None),
        AccountToken.withdrawn_at.is_(None),
    )
    if purpose is not None:
        query = query.where(AccountToken.purpose == purpose)
    return db.session.execute(query.values(withdrawn_at=utcnow())).rowcount


def _ensure_hard_to_guess(password: str, field: str, *, email: str, full_name: str) -> None:
    """Raise ValidationFailed on `field`, with every reason, for a password easy to guess."""
    reasons = password_weaknesses(password, guessable_words(email, full_name))
    if reasons:
        raise ValidationFailed(reasons[0], {field: reasons})


def create_user(
    *,
    centre: Centre | None,
    email: str,
    full_name: str,
    role: Role,
    password: str | None,
    language: str = "es_MX",
) -> User:
    """Create a login; without a password it cannot log in until the person chooses one
    through an invitation (app/accounts/invitations.py). Raises ValidationFailed when the email
    is taken or the password is easy to guess (too short, common, or made of the person's own
    name or e-mail)."""
    email = email.strip().lower()
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise ValidationFailed.on("email", _l("An account with this email already exists."))
    if (centre is None) != (role == Role.BODY_ADMIN):
        raise ValidationFailed(_l("Everyone but a body administrator belongs to a centre."))
    if password is not None:
        _ensure_hard_to_guess(password, "password", email=email, full_name=full_name)
    user = User(
        email=email, full_name=full_name.strip(), role=role, centre=centre, language=language
    )
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def register_candidate(
    *,
    actor: User,
    email: str,
    full_name: str,
    curp: str,
    is_publicly_listed: bool,
    password: str | None = None,
    language: str = "es_MX",
    birth_date: date | None = None,
) -> Candidate:
    """Register a candidate in the actor's centre with a validated CURP and their consent.

    A CURP the body already knows is one person: they are enrolled in this centre instead
    (app/accounts/enrolments.py), keeping their account, e-mail and consents. Without a
    password a new candidate chooses one through an invitation (app/accounts/invitations.py
    invite_candidate). Raises ValidationFailed (per field) and leaves the session unchanged
    when anything is wrong.
    """
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_l("Only a centre administrator can register candidates."))
    try:
        curp = normalize_curp(curp)
    except InvalidCurp as error:
        raise ValidationFailed.on("curp", error.message) from None
    known = db.session.scalar(select(Candidate).where(Candidate.curp == curp))
    if known is not None:
        return enrolments.enrol_existing_candidate(
            actor, known, full_name=full_name, birth_date=birth_date
        )
    enrolments.check_birth_date(curp, birth_date)
    user = create_user(
        centre=actor.centre,
        email=email,
        full_name=full_name,
        role=Role.CANDIDATE,
        password=password,
        language=language,
    )
    candidate = Candidate(user=user, centre_id=actor.centre_id, curp=curp)
    enrolments.initial_consent(candidate, is_publicly_listed)
    db.session.add(candidate)
    db.session.flush()
    enrolments.enrol(actor, candidate)
    record_event(actor, "candidate.registered", candidate, listed=is_publicly_listed)
    return candidate


def correct_candidate_name(actor: User, candidate: Candidate, full_name: str) -> None:
    """Fix a misspelt name; certificates already issued keep the old one until reissued."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationFailed.on("holder_name", _l("The name cannot be empty."))
    if candidate.centre_id != actor.centre_id or actor.role != Role.ADMIN:
        raise ValidationFailed(_l("Only an administrator of this centre can correct names."))
    previous = candidate.user.full_name
    if previous == full_name:
        return
    candidate.user.full_name = full_name
    db.session.flush()
    record_event(actor, "candidate.renamed", candidate, before=previous, after=full_name)


MAX_LOGO_BYTES = 512 * 1024


def update_centre_branding(
    actor: User,
    *,
    design: str,
    available_designs: list[str],
    logo: bytes | None,
    remove_logo: bool = False,
) -> Centre:
    """Choose the design and logo of the centre's future certificates; issued ones never change.

    The logo is kept as a re-encoded copy at most 1000 pixels on its long side (app/uploads.py);
    anything but a PNG or JPEG image of at most 512 KB and 16 megapixels is refused on "logo".
    """
    if actor.role != Role.ADMIN:
        raise ValidationFailed(_l("Only an administrator can change the centre's certificates."))
    if design not in available_designs:
        raise ValidationFailed.on("design", _l("Choose one of the available designs."))
    centre = actor.centre
    checked = None if logo is None else check_image(logo, field="logo", max_bytes=MAX_LOGO_BYTES)
    centre.certificate_design = design
    if checked:
        centre.logo, centre.logo_mimetype = checked.data, checked.mimetype
    elif remove_logo:
        centre.logo, centre.logo_mimetype = None, None
    db.session.flush()
    record_event(
        actor,
        "centre.branding_changed",
        centre,
        design=design,
        logo="new" if checked else ("removed" if remove_logo else "kept"),
    )
    return centre


def create_centre(actor: User, *, code: str, name: str, city: str) -> Centre:
    """Open a new evaluation centre. Only the body administrator may; the code is unique (the
    database's unique index decides, also between two requests at once).

    Raises PermissionDenied or ValidationFailed (per field).
    """
    if actor.role != Role.BODY_ADMIN:
        raise PermissionDenied(_l("Only the body administrator can open centres."))
    code = " ".join(code.split()).upper()
    name = " ".join(name.split())
    if not code:
        raise ValidationFailed.on("code", _l("This field is required."))
    if not name:
        raise ValidationFailed.on("name", _l("This field is required."))
    if db.session.scalar(select(Centre.id).where(func.upper(Centre.code) == code)):
        raise ValidationFailed.on("code", _l("A centre with this code already exists."))
    centre = Centre(code=code, name=name, city=" ".join(city.split()))
    db.session.add(centre)
    db.session.flush()
    record_event(actor, "centre.created", centre, code=code)
    return centre
