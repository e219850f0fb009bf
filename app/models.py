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
from app.appeals.models import Appeal, AppealFile
from app.assessments.models import Assessment, ItemResult, RecordAcknowledgement
from app.assessments.plan_models import AssessmentPlan, PlanAcceptance
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
from app.diagnostics.models import Diagnostic, DiagnosticAnswer
from app.evidence.models import EvidenceFile
from app.jobs.models import PeriodicRun
from app.standards.models import Criterion, Element, Instrument, InstrumentItem, Standard

__all__ = [
    "AccountToken",
    "Accreditation",
    "ApiToken",
    "Appeal",
    "AppealFile",
    "Assessment",
    "AssessmentPlan",
    "AuditEvent",
    "BatchItem",
    "Candidate",
    "Centre",
    "Credential",
    "Certificate",
    "Criterion",
    "Diagnostic",
    "DiagnosticAnswer",
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
    "PlanAcceptance",
    "RecordAcknowledgement",
    "SigningKey",
    "Standard",
    "User",
]
