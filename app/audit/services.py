from flask_babel import lazy_gettext as _l

from app.accounts.roles import Role
from app.audit.models import AuditEvent
from app.errors import PermissionDenied
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


def ensure_may_read_trail(actor) -> None:
    """The trail names staff and their changes: staff read it, candidates do not."""
    if actor.role == Role.CANDIDATE:
        raise PermissionDenied(_l("Only the centre's staff can read the audit trail."))
