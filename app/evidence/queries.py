from collections import defaultdict

from sqlalchemy import select

from app.accounts.models import User
from app.assessments.models import Assessment
from app.assessments.queries import get_assessment_for
from app.errors import NotFound
from app.evidence.models import EvidenceFile
from app.extensions import db


def list_evidence(assessment: Assessment) -> list[EvidenceFile]:
    return list(
        db.session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.assessment_id == assessment.id)
            .order_by(EvidenceFile.item_id, EvidenceFile.id)
        )
    )


def evidence_by_item(assessment: Assessment) -> dict[int, list[EvidenceFile]]:
    grouped: dict[int, list[EvidenceFile]] = defaultdict(list)
    for evidence in list_evidence(assessment):
        grouped[evidence.item_id].append(evidence)
    return grouped


def get_evidence_for(user: User, assessment_id: int, evidence_id: int) -> EvidenceFile:
    """One file of an assessment the user may see (app/assessments/queries._visible_to: the
    centre's administrators and reviewers, the assigned evaluator, the candidate); NotFound
    otherwise, so nobody learns whether another centre's file exists."""
    assessment = get_assessment_for(user, assessment_id)
    evidence = db.session.get(EvidenceFile, evidence_id)
    if evidence is None or evidence.assessment_id != assessment.id:
        raise NotFound()
    return evidence
