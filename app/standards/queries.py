from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.errors import NotFound
from app.extensions import db
from app.standards.models import Element, Instrument, Standard, StandardStatus


def get_standard(standard_id: int) -> Standard:
    standard = db.session.scalar(
        select(Standard)
        .where(Standard.id == standard_id)
        .options(
            selectinload(Standard.elements).selectinload(Element.criteria),
            selectinload(Standard.instrument).selectinload(Instrument.items),
        )
    )
    if standard is None:
        raise NotFound()
    return standard


def list_standards(include_drafts: bool = False) -> list[Standard]:
    """The catalogue as staff see it: drafts only for whoever may edit it (services.may_see)."""
    query = select(Standard).order_by(Standard.code, Standard.version)
    if not include_drafts:
        query = query.where(Standard.status != StandardStatus.DRAFT)
    return list(db.session.scalars(query))


def list_published_standards() -> list[Standard]:
    return list(
        db.session.scalars(
            select(Standard)
            .where(Standard.status == StandardStatus.PUBLISHED)
            .order_by(Standard.code, Standard.version)
        )
    )


def list_versions(code: str, include_drafts: bool = True) -> list[Standard]:
    """Every version of a code, oldest first: the chain a standard's page shows."""
    query = select(Standard).where(Standard.code == code).order_by(Standard.version, Standard.id)
    if not include_drafts:
        query = query.where(Standard.status != StandardStatus.DRAFT)
    return list(db.session.scalars(query))
