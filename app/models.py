"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.accounts.models import (
    AccountToken,
    Accreditation,
    Candidate,
    Centre,
    Credential,
    Enrolment,
    User,
)
from app.api.models import ApiToken
from app.assessments.models import Assessment, ItemResult
from app.audit.models import AuditEvent
from app.certificates.models import (
    BatchItem,
    Certificate,
    FolioCounter,
    FolioReservation,
    FolioVoid,
    IssuanceBatch,
    SigningKey,
)
from app.evidence.models import EvidenceFile
from app.jobs.models import PeriodicRun
from app.standards.models import Criterion, Element, Instrument, InstrumentItem, Standard

__all__ = [
    "AccountToken",
    "Accreditation",
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "BatchItem",
    "Candidate",
    "Centre",
    "Credential",
    "Certificate",
    "Criterion",
    "Element",
    "Enrolment",
    "EvidenceFile",
    "FolioCounter",
    "FolioReservation",
    "FolioVoid",
    "Instrument",
    "InstrumentItem",
    "IssuanceBatch",
    "ItemResult",
    "PeriodicRun",
    "SigningKey",
    "Standard",
    "User",
]
