"""Which standards a centre offers: the body owns the catalogue, each centre chooses from its
published standards those it assesses. Only offered standards can be scheduled at a centre and
its evaluators accredited for (app/assessments/services.py, app/accounts/accreditations.py).

An offer is once per centre and standard version (a unique index). A new version that
supersedes an old one takes over the old one's offers; assessments already scheduled keep the
version they were booked with, and withdrawing an offer changes no assessment either.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from app.accounts.roles import Role
from app.audit.services import record_event
from app.errors import NotFound, PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import violates
from app.standards.models import OfferedStandard, Standard, StandardStatus

NOT_OFFERED = _l(
    "This centre does not offer this standard. Its administrator adds it under "
    "“Standards the centre offers”."
)


def ensure_may_choose_offers(actor) -> None:
    """A centre administrator chooses what their own centre offers; nobody else does."""
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or actor.role != Role.ADMIN
        or actor.centre_id is None
    ):
        raise PermissionDenied(_l("Only the centre's administrator chooses its standards."))


def is_offered(centre_id: int | None, standard_id: int) -> bool:
    if centre_id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    OfferedStandard.centre_id == centre_id,
                    OfferedStandard.standard_id == standard_id,
                )
            )
        )
    )


def list_offers(centre_id: int) -> list[OfferedStandard]:
    """The centre's offers, whatever their standard's status (a cancelled one can be withdrawn)."""
    return list(
        db.session.scalars(
            select(OfferedStandard)
            .join(OfferedStandard.standard)
            .where(OfferedStandard.centre_id == centre_id)
            .order_by(Standard.code, Standard.version)
        )
    )


def list_offered_standards(centre_id: int | None) -> list[Standard]:
    """The published standards the centre offers: the choices of its schedule and
    accreditation forms."""
    if centre_id is None:
        return []
    return list(
        db.session.scalars(
            select(Standard)
            .join(OfferedStandard, OfferedStandard.standard_id == Standard.id)
            .where(
                OfferedStandard.centre_id == centre_id,
                Standard.status == StandardStatus.PUBLISHED,
            )
            .order_by(Standard.code, Standard.version)
        )
    )


def list_offerable_standards(centre_id: int) -> list[Standard]:
    """Published standards the centre does not offer yet."""
    offered = select(OfferedStandard.standard_id).where(OfferedStandard.centre_id == centre_id)
    return list(
        db.session.scalars(
            select(Standard)
            .where(Standard.status == StandardStatus.PUBLISHED, Standard.id.not_in(offered))
            .order_by(Standard.code, Standard.version)
        )
    )


def offer_standard(actor, standard: Standard) -> OfferedStandard:
    """Add a published standard to the actor's centre's offer. Raises PermissionDenied, or
    ValidationFailed on "standard" when it is not published or already offered (the unique
    index decides between two requests at once; nothing is written then)."""
    ensure_may_choose_offers(actor)
    if standard.status != StandardStatus.PUBLISHED:
        raise ValidationFailed.on("standard", _l("Only a published standard can be offered."))
    if is_offered(actor.centre_id, standard.id):
        raise ValidationFailed.on("standard", _l("The centre already offers this standard."))
    offer = OfferedStandard(centre_id=actor.centre_id, standard=standard, offered_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(offer)
            db.session.flush()
    except IntegrityError as error:
        if not violates(error, "centre_standard"):
            raise
        raise ValidationFailed.on(
            "standard", _l("The centre already offers this standard.")
        ) from None
    record_event(actor, "standard.offered", standard, centre_id=actor.centre_id)
    return offer


def withdraw_offer(actor, standard: Standard) -> None:
    """Stop offering `standard` at the actor's centre. Assessments already scheduled with it
    and accreditations for it stay as they are. Raises PermissionDenied, or NotFound when the
    centre does not offer it (another centre's offers are not the actor's to see)."""
    ensure_may_choose_offers(actor)
    removed = db.session.execute(
        delete(OfferedStandard).where(
            OfferedStandard.centre_id == actor.centre_id,
            OfferedStandard.standard_id == standard.id,
        )
    )
    if removed.rowcount != 1:
        raise NotFound()
    record_event(actor, "standard.offer_withdrawn", standard, centre_id=actor.centre_id)


def carry_offers(actor, previous: Standard, successor: Standard) -> list[int]:
    """Move every centre's offer of `previous` to `successor` (publishing it superseded the
    other): the centres keep offering the standard, now in its new version. The ids of the
    centres whose offer moved."""
    centre_ids = list(
        db.session.scalars(
            select(OfferedStandard.centre_id).where(OfferedStandard.standard_id == previous.id)
        )
    )
    db.session.execute(delete(OfferedStandard).where(OfferedStandard.standard_id == previous.id))
    for centre_id in centre_ids:
        db.session.add(
            OfferedStandard(centre_id=centre_id, standard=successor, offered_by_id=actor.id)
        )
        record_event(
            actor,
            "standard.offer_carried",
            successor,
            centre_id=centre_id,
            previous=previous.full_code,
        )
    db.session.flush()
    return centre_ids
