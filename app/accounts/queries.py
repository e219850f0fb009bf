from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Accreditation, Candidate, Centre, User
from app.accounts.roles import Role
from app.errors import NotFound
from app.extensions import db


def find_centre(centre_id: int) -> Centre | None:
    return db.session.get(Centre, centre_id)


def list_candidates(centre_id: int) -> list[Candidate]:
    return list(
        db.session.scalars(
            select(Candidate)
            .join(User)
            .where(Candidate.centre_id == centre_id)
            .options(selectinload(Candidate.user))
            .order_by(User.full_name)
        )
    )


def list_staff(centre_id: int, role: Role) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.centre_id == centre_id, User.role == role, User.is_active_account)
            .order_by(User.full_name)
        )
    )


def list_accreditations(centre_id: int) -> list[Accreditation]:
    return list(
        db.session.scalars(
            select(Accreditation)
            .join(User, Accreditation.evaluator_id == User.id)
            .where(User.centre_id == centre_id)
            .options(selectinload(Accreditation.evaluator), selectinload(Accreditation.standard))
            .order_by(User.full_name, Accreditation.valid_from)
        )
    )


def get_centre_member(centre_id: int, model, object_id: int):
    """A candidate or user of this centre, or NotFound: ids from forms are never trusted."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.centre_id != centre_id:
        raise NotFound()
    return obj
