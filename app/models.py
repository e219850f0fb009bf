"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.accounts.models import Accreditation, Candidate, Centre, User
from app.assessments.models import Assessment, ItemResult
from app.audit.models import AuditEvent
from app.certificates.models import (
    BatchItem,
    Certificate,
    FolioCounter,
    FolioVoid,
    IssuanceBatch,
    SigningKey,
)
from app.standards.models import Criterion, Element, Instrument, InstrumentItem, Standard

__all__ = [
    "Accreditation",
    "Assessment",
    "AuditEvent",
    "BatchItem",
    "Candidate",
    "Centre",
    "Certificate",
    "Criterion",
    "Element",
    "FolioCounter",
    "FolioVoid",
    "Instrument",
    "InstrumentItem",
    "IssuanceBatch",
    "ItemResult",
    "SigningKey",
    "Standard",
    "User",
]
