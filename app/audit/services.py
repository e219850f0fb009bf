from app.audit.models import AuditEvent
from app.extensions import db


def record_event(actor, action: str, obj, **details) -> AuditEvent:
    """Append an event to the trail in the caller's transaction; it is never changed afterwards."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        details=details,
    )
    db.session.add(event)
    return event
