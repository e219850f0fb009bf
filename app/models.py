"""Every model, imported once so that the metadata (and Alembic) sees the whole schema."""

from app.accounts.models import Accreditation, Candidate, Centre, User
from app.assessments.models import Assessment, ItemResult
from app.audit.models import AuditEvent
from app.certificates.models import Certificate, FolioCounter
from app.standards.models import Criterion, Element, Instrument, InstrumentItem, Standard

__all__ = [
    "Accreditation", "Assessment", "AuditEvent", "Candidate", "Centre", "Certificate",
    "Criterion", "Element", "FolioCounter", "Instrument", "InstrumentItem", "ItemResult",
    "Standard", "User",
]
