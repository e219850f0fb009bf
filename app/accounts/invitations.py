"""Invitations and password resets: single-use links sent by e-mail.

Staff and candidates are invited, never given a password someone else typed: the body
administrator invites centre administrators, who invite evaluators, reviewers and candidates
(roles.INVITED_BY). Each link carries a random token of which only the SHA-256 is stored; it
works once, until it expires (INVITATION_DAYS, PASSWORD_RESET_HOURS) or is withdrawn, and a
new one (resend) withdraws the old. The same tokens serve password resets.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.accounts.models import AccountToken, Candidate, Centre, TokenPurpose, User
from app.accounts.roles import INVITED_BY, Role
from app.accounts.services import (
    _ensure_hard_to_guess,
    create_user,
    ensure_may_manage,
    find_user_by_email,
    register_candidate,
    withdraw_pending_tokens,
)
from app.audit.services import record_event
from app.db_types import utcnow
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.mail.services import public_url, send_mail

# Why a link cannot be used, as the page shows it.
LINK_PROBLEMS = {
    "unknown": _l("This link is not valid. Check that you opened the whole link from the e-mail."),
    "used": _l("This link has already been used. If you chose your password, log in with it."),
    "withdrawn": _l("This link was withdrawn. Ask your administrator for a new invitation."),
    "expired": _l("This link has expired. Ask for a new one."),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, actor: User | None, lifetime) -> str:
    """A new link for `user`; earlier unused links of the same purpose stop working."""
    withdraw_pending_tokens(user, purpose)
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user=user,
            purpose=purpose,
            token_hash=hash_token(token),
            created_by_id=actor.id if actor else None,
            expires_at=utcnow() + lifetime,
        )
    )
    db.session.flush()
    return token


def ensure_may_invite(actor: User, role: Role, centre: Centre | None) -> None:
    if INVITED_BY.get(role) != actor.role:
        raise PermissionDenied(_l("You cannot invite people to this role."))
    if actor.role != Role.BODY_ADMIN and (centre is None or centre.id != actor.centre_id):
        raise PermissionDenied(_l("You can only invite people to your own centre."))


def invite_user(
    actor: User, *, centre: Centre, email: str, full_name: str, role: Role, language: str
) -> User:
    """Create the account of a member of staff without a password and e-mail them a link to
    choose one (sent once the transaction commits). Raises PermissionDenied or
    ValidationFailed (e.g. the e-mail already has an account)."""
    ensure_may_invite(actor, role, centre)
    if role == Role.CANDIDATE:
        raise ValidationFailed(_l("Candidates are registered on the candidates page."))
    user = create_user(
        centre=centre,
        email=email,
        full_name=full_name,
        role=role,
        password=None,
        language=language,
    )
    record_event(actor, "user.invited", user, role=role.value)
    send_invitation(actor, user)
    return user


def invite_candidate(
    actor: User,
    *,
    email: str,
    full_name: str,
    curp: str,
    is_publicly_listed: bool,
    language: str,
    birth_date=None,
) -> Candidate:
    """Register a candidate (services.register_candidate) and e-mail them their invitation; a
    person the body already knows is enrolled in the centre and keeps the account they have."""
    ensure_may_invite(actor, Role.CANDIDATE, actor.centre)
    candidate = register_candidate(
        actor=actor,
        email=email,
        full_name=full_name,
        curp=curp,
        is_publicly_listed=is_publicly_listed,
        language=language,
        birth_date=birth_date,
    )
    if candidate.centre_id == actor.centre_id:  # new here, not enrolled from another centre
        send_invitation(actor, candidate.user)
    return candidate


def send_invitation(actor: User, user: User) -> None:
    days = current_app.config["INVITATION_DAYS"]
    token = issue_token(user, TokenPurpose.INVITATION, actor, timedelta(days=days))
    place = user.centre.name if user.centre else current_app.config["CERTIFYING_BODY_NAME"]
    send_mail(
        user.email,
        "invitation",
        user.language,
        {
            "full_name": user.full_name,
            "inviter_name": actor.full_name,
            "role": user.role.value,
            "place_name": place,
            "days": days,
            "link": public_url("accounts.accept_invitation", token=token),
        },
    )


def resend_invitation(actor: User, user: User) -> None:
    """A new invitation link (the old one stops working). Raises PermissionDenied, or
    ValidationFailed when the person already chose a password or the account is deactivated."""
    ensure_may_manage(actor, user)
    if user.has_password:
        raise ValidationFailed(_l("This person already accepted the invitation."))
    if not user.is_active_account:
        raise ValidationFailed(_l("Reactivate the account before inviting again."))
    send_invitation(actor, user)
    record_event(actor, "user.invitation_resent", user)


def withdraw_invitation(actor: User, user: User) -> None:
    """The invitation link stops working. Raises PermissionDenied, or ValidationFailed when
    there is no invitation waiting."""
    ensure_may_manage(actor, user)
    if not withdraw_pending_tokens(user, TokenPurpose.INVITATION):
        raise ValidationFailed(_l("There is no invitation waiting to be withdrawn."))
    db.session.flush()
    record_event(actor, "user.invitation_withdrawn", user)


def pending_invitation(user: User) -> AccountToken | None:
    return db.session.scalar(
        select(AccountToken).where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == TokenPurpose.INVITATION,
            AccountToken.used_at.is_(None),
            AccountToken.withdrawn_at.is_(None),
        )
    )


def link_problem(token: str, purpose: TokenPurpose) -> str | None:
    """Why this link cannot be used ("unknown", "used", "withdrawn", "expired"), or None."""
    row = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token))
    )
    if row is None or row.purpose != purpose:
        return "unknown"
    if row.used_at is not None:
        return "used"
    if row.withdrawn_at is not None or not row.user.is_active_account:
        return "withdrawn"
    if row.expires_at <= utcnow():
        return "expired"
    return None


def use_link(token: str, purpose: TokenPurpose, password: str) -> User:
    """Set the password of the link's account and spend the link.

    Raises ValidationFailed on "password" (too easy to guess) and Conflict when the link
    cannot be used (link_problem says why); spending is a compare-and-set on the row, so of
    two requests at once exactly one sets the password.
    """
    if link_problem(token, purpose):
        raise Conflict(LINK_PROBLEMS[link_problem(token, purpose)])
    row = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token))
    )
    user = row.user
    _ensure_hard_to_guess(password, "password", email=user.email, full_name=user.full_name)
    spent = db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.id == row.id,
            AccountToken.used_at.is_(None),
            AccountToken.withdrawn_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    if spent != 1:
        raise Conflict(LINK_PROBLEMS["used"])
    user.set_password(password)
    db.session.flush()
    record_event(None, f"user.{purpose.value}_used", user)
    return user


def request_password_reset(email: str) -> None:
    """E-mail a reset link to the active account with this e-mail, if there is one; the
    caller says the same thing either way, so nobody learns who has an account."""
    user = find_user_by_email(email)
    if user is None or not user.is_active_account or not user.has_password:
        return
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    token = issue_token(user, TokenPurpose.PASSWORD_RESET, None, timedelta(hours=hours))
    send_mail(
        user.email,
        "password_reset",
        user.language,
        {
            "full_name": user.full_name,
            "hours": hours,
            "link": public_url("accounts.reset_password", token=token),
        },
    )
