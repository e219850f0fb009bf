from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.audit.models import AuditEvent
from app.extensions import db


def _events(*conditions) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(or_(*conditions))
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )


def _about(obj):
    return and_(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)


def list_events_for(obj) -> list[AuditEvent]:
    return _events(_about(obj))


def list_assessment_events(assessment) -> list[AuditEvent]:
    """The assessment's own events and every recording or change of one of its results."""
    result_ids = [result.id for result in assessment.results]
    about_results = and_(
        AuditEvent.object_type == "item_results", AuditEvent.object_id.in_(result_ids)
    )
    return _events(_about(assessment), about_results)
