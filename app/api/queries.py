"""Reads for the API: always within one centre, paginated in SQL."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Candidate
from app.api.models import ApiToken
from app.appeals.queries import held_by_appeal
from app.assessments.models import Assessment, AssessmentStatus
from app.assessments.rules import Judgement
from app.certificates.models import Certificate, IssuanceBatch
from app.certificates.queries import count_batch_items
from app.errors import NotFound
from app.extensions import db


def list_tokens(centre_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.centre_id == centre_id)
            .options(selectinload(ApiToken.created_by))
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )


def get_token(centre_id: int, token_id: int) -> ApiToken:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.centre_id == centre_id)
    )
    if token is None:
        raise NotFound()
    return token


def _page(query, order, page: int, per_page: int) -> tuple[list, int]:
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return list(items), total


def page_of_certificates(centre_id: int, page: int, per_page: int) -> tuple[list, int]:
    """The centre's certificates, newest first, and how many there are."""
    query = select(Certificate).where(Certificate.centre_id == centre_id)
    return _page(query, (Certificate.issued_at.desc(), Certificate.id.desc()), page, per_page)


def get_certificate_of_centre(centre_id: int, public_id: str) -> Certificate:
    """A certificate of the centre; any other centre's is NotFound, never 'forbidden'."""
    certificate = db.session.scalar(
        select(Certificate).where(
            Certificate.centre_id == centre_id, Certificate.public_id == public_id
        )
    )
    if certificate is None:
        raise NotFound()
    return certificate


def page_of_ready_judgements(centre_id: int, page: int, per_page: int) -> tuple[list, int]:
    """Approved Competente judgements of the centre with no certificate yet (as on Certificados)."""
    query = (
        select(Assessment)
        .where(
            Assessment.centre_id == centre_id,
            Assessment.status == AssessmentStatus.REVIEWED,
            Assessment.judgement == Judgement.COMPETENT,
            ~held_by_appeal(),
        )
        .options(
            selectinload(Assessment.candidate).selectinload(Candidate.user),
            selectinload(Assessment.standard),
        )
    )
    return _page(query, (Assessment.reviewed_at.desc(), Assessment.id.desc()), page, per_page)


def get_batch_progress(centre_id: int, batch_id: int) -> tuple[dict[str, int], bool]:
    """How many items of the centre's batch are in each state, and whether it has finished."""
    row = db.session.execute(
        select(IssuanceBatch.finished_at).where(
            IssuanceBatch.id == batch_id, IssuanceBatch.centre_id == centre_id
        )
    ).one_or_none()
    if row is None:
        raise NotFound()
    return count_batch_items(batch_id), row.finished_at is not None
