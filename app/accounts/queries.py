from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import (
    AccountToken,
    Accreditation,
    Candidate,
    Centre,
    Credential,
    Enrolment,
    TokenPurpose,
    User,
)
from app.accounts.roles import Role
from app.db_types import utcnow
from app.errors import NotFound
from app.extensions import db
from app.labels import LabelledEnum


def find_centre(centre_id: int) -> Centre | None:
    return db.session.get(Centre, centre_id)


def list_candidates(centre_id: int) -> list[Candidate]:
    return list(
        db.session.scalars(
            select(Candidate)
            .join(User)
            .join(Enrolment, Enrolment.candidate_id == Candidate.id)
            .where(Enrolment.centre_id == centre_id)
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


def list_accredited_evaluators(centre_id: int, standard_id: int | None, day) -> list[User]:
    """The centre's active evaluators holding an accreditation in force on `day`, for the
    standard `standard_id` (or for any standard, when None): the ones a booking may name."""
    query = (
        select(User)
        .join(Accreditation, Accreditation.evaluator_id == User.id)
        .where(
            User.centre_id == centre_id,
            User.role == Role.EVALUATOR,
            User.is_active_account,
            Accreditation.valid_from <= day,
            Accreditation.valid_until >= day,
            Accreditation.withdrawn_at.is_(None),
        )
    )
    if standard_id is not None:
        query = query.where(Accreditation.standard_id == standard_id)
    return list(db.session.scalars(query.distinct().order_by(User.full_name, User.id)))


def _evaluator_record(model, centre_id: int, record_id: int):
    """One of an evaluator's records (an accreditation or a certificate held), found only
    when the evaluator belongs to this centre: ids from URLs are never trusted."""
    record = db.session.scalar(
        select(model)
        .join(User, model.evaluator_id == User.id)
        .where(model.id == record_id, User.centre_id == centre_id)
    )
    if record is None:
        raise NotFound()
    return record


def get_accreditation(centre_id: int, accreditation_id: int) -> Accreditation:
    """An accreditation of an evaluator of this centre, or NotFound."""
    return _evaluator_record(Accreditation, centre_id, accreditation_id)


def list_credentials(centre_id: int) -> list[Credential]:
    """The certificates the centre's evaluators hold, by evaluator and standard."""
    return list(
        db.session.scalars(
            select(Credential)
            .join(User, Credential.evaluator_id == User.id)
            .where(User.centre_id == centre_id)
            .options(selectinload(Credential.evaluator))
            .order_by(User.full_name, Credential.standard_code, Credential.id)
        )
    )


def get_credential(centre_id: int, credential_id: int) -> Credential:
    """A certificate held by an evaluator of this centre, or NotFound."""
    return _evaluator_record(Credential, centre_id, credential_id)


def get_centre_member(centre_id: int, model, object_id: int):
    """A candidate enrolled in this centre or a user of it, or NotFound: ids from forms are
    never trusted."""
    obj = db.session.get(model, object_id)
    if obj is None:
        raise NotFound()
    if model is Candidate:
        if not is_enrolled(obj.id, centre_id):
            raise NotFound()
    elif obj.centre_id != centre_id:
        raise NotFound()
    return obj


def is_enrolled(candidate_id: int, centre_id: int | None) -> bool:
    return centre_id is not None and bool(
        db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.candidate_id == candidate_id, Enrolment.centre_id == centre_id
            )
        )
    )


class AccountStatus(LabelledEnum):
    ACTIVE = "active", _l("Active")
    INVITED = "invited", _l("Invited")
    NOT_INVITED = "not_invited", _l("Invitation withdrawn or expired")
    DEACTIVATED = "deactivated", _l("Deactivated")


def account_statuses(users: list[User]) -> dict[int, AccountStatus]:
    """Each user's account status, read with one query for the invitations still waiting."""
    waiting = set(
        db.session.scalars(
            select(AccountToken.user_id).where(
                AccountToken.user_id.in_([u.id for u in users]),
                AccountToken.purpose == TokenPurpose.INVITATION,
                AccountToken.used_at.is_(None),
                AccountToken.withdrawn_at.is_(None),
                AccountToken.expires_at > utcnow(),
            )
        )
    )
    statuses = {}
    for user in users:
        if not user.is_active_account:
            statuses[user.id] = AccountStatus.DEACTIVATED
        elif user.has_password:
            statuses[user.id] = AccountStatus.ACTIVE
        else:
            statuses[user.id] = (
                AccountStatus.INVITED if user.id in waiting else AccountStatus.NOT_INVITED
            )
    return statuses


def list_people(centre_id: int, roles: tuple[Role, ...]) -> list[User]:
    """The centre's people in these roles, deactivated and invited ones included."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.centre_id == centre_id, User.role.in_(roles))
            .order_by(User.full_name)
        )
    )


def list_centres() -> list[Centre]:
    return list(db.session.scalars(select(Centre).order_by(Centre.name)))


def get_centre(centre_id: int) -> Centre:
    centre = db.session.get(Centre, centre_id)
    if centre is None:
        raise NotFound()
    return centre


def get_user_in_scope(actor: User, user_id: int) -> User:
    """A user whose account `actor` administers: the body administrator sees centre
    administrators, a centre administrator the people of their centre. Anyone else is
    NotFound, so nothing tells whether the id exists in another centre."""
    user = db.session.get(User, user_id)
    if user is None or user.id == actor.id:
        raise NotFound()
    if actor.role == Role.BODY_ADMIN and user.role == Role.ADMIN:
        return user
    if actor.role == Role.ADMIN and user.centre_id == actor.centre_id:
        return user
    raise NotFound()
