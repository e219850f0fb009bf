from sqlalchemy import select

from app.accounts.models import Candidate, User
from app.accounts.roles import Role
from app.certificates.models import Certificate
from app.errors import NotFound
from app.extensions import db


def _visible_to(user: User):
    query = select(Certificate)
    if user.role == Role.CANDIDATE:
        return query.join(Candidate).where(Candidate.user_id == user.id)
    if user.role in (Role.ADMIN, Role.REVIEWER):
        return query.where(Certificate.centre_id == user.centre_id)
    return query.where(Certificate.id.is_(None))  # evaluators hold no certificates


def list_certificates_for(user: User) -> list[Certificate]:
    return list(db.session.scalars(_visible_to(user).order_by(Certificate.issued_at.desc())))


def get_certificate_for(user: User, public_id: str) -> Certificate:
    """A certificate the user may download; anyone else's is NotFound, never 'forbidden'."""
    certificate = db.session.scalar(_visible_to(user).where(Certificate.public_id == public_id))
    if certificate is None:
        raise NotFound()
    return certificate


def find_public(public_id: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))


def find_by_folio(folio: str) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(Certificate.folio == folio.strip().upper())
    )
