"""Reads of the public catalogue: only standards that left the draft stage are ever shown.

The search is one SQL query: filters on status, level and sector use the composite indexes on
`standards`; each word must be contained in `search_text` (folded: lower case, no accents),
which PostgreSQL answers from a trigram (GIN) index.
"""

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.standards import rules
from app.standards.models import Element, Standard, StandardStatus

PAGE_SIZE = 25
PUBLIC = (StandardStatus.PUBLISHED, StandardStatus.SUPERSEDED, StandardStatus.CANCELLED)


@dataclass(frozen=True)
class SearchPage:
    standards: list[Standard]
    page: int
    has_next: bool


def search_published(
    query: str = "", sector: str = "", level: int | None = None, page: int = 1
) -> SearchPage:
    """Published standards matching every word of `query` (code, title, English title,
    sector), in `sector` and at `level` when given, by code; one page of PAGE_SIZE."""
    statement = select(Standard).where(Standard.status == StandardStatus.PUBLISHED)
    if level is not None:
        statement = statement.where(Standard.level == level)
    if sector:
        statement = statement.where(Standard.sector == sector)
    for term in rules.search_terms(query):
        statement = statement.where(Standard.search_text.contains(term, autoescape=True))
    statement = (
        statement.order_by(Standard.code, Standard.version)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    found = list(db.session.scalars(statement))
    return SearchPage(found[:PAGE_SIZE], page, len(found) > PAGE_SIZE)


def list_public_sectors() -> list[str]:
    return list(
        db.session.scalars(
            select(Standard.sector)
            .where(Standard.status == StandardStatus.PUBLISHED)
            .group_by(Standard.sector)
            .order_by(Standard.sector)
        )
    )


def _with_body(statement):
    return statement.options(selectinload(Standard.elements).selectinload(Element.criteria))


def find_public(code: str, version: str | None = None) -> Standard | None:
    """The version asked for, or without one the latest published version of the code (the
    latest withdrawn one when none is published). Drafts are never found."""
    statement = select(Standard).where(Standard.code == code, Standard.status.in_(PUBLIC))
    if version is not None:
        statement = statement.where(Standard.version == version)
    published_first = case((Standard.status == StandardStatus.PUBLISHED, 0), else_=1)
    statement = statement.order_by(published_first, Standard.version.desc()).limit(1)
    return db.session.scalar(_with_body(statement))


def list_public_versions(code: str) -> list[Standard]:
    return list(
        db.session.scalars(
            select(Standard)
            .where(Standard.code == code, Standard.status.in_(PUBLIC))
            .order_by(Standard.version)
        )
    )


def count_published() -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Standard)
        .where(Standard.status == StandardStatus.PUBLISHED)
    )
