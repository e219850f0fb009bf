from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import Candidate, User
from app.accounts.roles import Role
from app.assessments.models import Assessment
from app.audit.models import AuditEvent
from app.certificates.models import BatchItem, BatchItemStatus, Certificate, IssuanceBatch
from app.errors import NotFound
from app.extensions import db
from app.standards.models import Standard

# The audit action recorded each time a stored PDF fails its check (services.report_damaged_file).
DAMAGED_FILE_EVENT = "certificate.file_corrupted"


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


def list_damaged_files(centre_id: int) -> list[tuple[Certificate, datetime]]:
    """Certificates of the centre whose stored PDF failed its check, with the first time it
    did, read from the audit trail; a certificate drops off once reissued (superseded)."""
    first_seen = func.min(AuditEvent.occurred_at)
    rows = db.session.execute(
        select(Certificate, first_seen)
        .join(
            AuditEvent,
            and_(
                AuditEvent.object_type == Certificate.__tablename__,
                AuditEvent.object_id == Certificate.id,
                AuditEvent.action == DAMAGED_FILE_EVENT,
            ),
        )
        .where(Certificate.centre_id == centre_id, Certificate.is_live())
        .group_by(Certificate.id)
        .order_by(first_seen)
    )
    return [(certificate, seen) for certificate, seen in rows]


def find_public(public_id: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.public_id == public_id))


# What a certificate's public page shows beyond its own row (its centre's logo, its standard's
# elements), loaded with it: one round trip instead of four, and a lookup by folio costs the
# same whether it finds a certificate or not.
PUBLIC_PAGE_LOADS = (
    joinedload(Certificate.centre),
    joinedload(Certificate.assessment)
    .joinedload(Assessment.standard)
    .joinedload(Standard.elements),
)


def find_public_page(public_id: str) -> Certificate | None:
    """The certificate with everything its public page shows."""
    return (
        db.session.scalars(
            select(Certificate)
            .where(Certificate.public_id == public_id)
            .options(*PUBLIC_PAGE_LOADS)
        )
        .unique()
        .first()
    )


def find_by_folio(folio: str) -> Certificate | None:
    return db.session.scalar(select(Certificate).where(Certificate.folio == folio.strip().upper()))


def get_batch_for(user: User, batch_id: int) -> IssuanceBatch:
    """A batch of the user's centre with everything its page shows, loaded up front."""
    batch = db.session.scalar(
        select(IssuanceBatch)
        .where(IssuanceBatch.id == batch_id, IssuanceBatch.centre_id == user.centre_id)
        .options(
            selectinload(IssuanceBatch.items).options(
                selectinload(BatchItem.certificate),
                selectinload(BatchItem.assessment).options(
                    selectinload(Assessment.candidate).selectinload(Candidate.user),
                    selectinload(Assessment.standard),
                ),
            )
        )
    )
    if batch is None:
        raise NotFound()
    return batch


def get_batch_progress(user: User, batch_id: int) -> tuple[dict[str, int], bool]:
    """How many items of a batch are in each state, and whether its run has finished.

    Two small queries whatever the batch's size: the page polls this every few seconds.
    """
    batch = db.session.execute(
        select(IssuanceBatch.finished_at).where(
            IssuanceBatch.id == batch_id, IssuanceBatch.centre_id == user.centre_id
        )
    ).one_or_none()
    if batch is None:
        raise NotFound()
    return count_batch_items(batch_id), batch.finished_at is not None


def count_batch_items(batch_id: int) -> dict[str, int]:
    """Issued, failed and pending (still to do: waiting, or being issued right now)."""
    counts = {"pending": 0, "issued": 0, "failed": 0}
    rows = db.session.execute(
        select(BatchItem.status, func.count())
        .where(BatchItem.batch_id == batch_id)
        .group_by(BatchItem.status)
    )
    for status, number in rows:
        key = "pending" if status == BatchItemStatus.RUNNING else status.value
        counts[key] += number
    return counts
