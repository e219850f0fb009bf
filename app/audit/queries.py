from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db


def list_events_for(obj) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == obj.id)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
        )
    )
