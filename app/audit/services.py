import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.accounts.roles import Role
from app.audit.models import AuditEvent
from app.errors import PermissionDenied
from app.extensions import db

log = logging.getLogger(__name__)


def _event(actor, action: str, obj, details: dict) -> AuditEvent:
    return AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=obj.__tablename__,
        object_id=obj.id,
        details=details,
    )


def record_event(actor, action: str, obj, **details) -> AuditEvent:
    """Append an event to the trail in the caller's transaction; it is never changed afterwards."""
    event = _event(actor, action, obj, details)
    db.session.add(event)
    return event


def record_alarm(actor, action: str, obj, **details) -> None:
    """Append an event in a transaction of its own, committed at once.

    For alarms that must outlive the caller's transaction: a request answered with an error
    page rolls back everything it wrote (app/transactions.py), yet the trail must keep that,
    say, a stored file failed its check. The one write that does not wait for the caller's
    commit. Should even it fail, the alarm goes to the log and the caller carries on.
    """
    try:
        with Session(db.engine) as session, session.begin():
            session.add(_event(actor, action, obj, details))
    except SQLAlchemyError:
        log.exception("could not record %s on %s %s", action, obj.__tablename__, obj.id)


def ensure_may_read_trail(actor) -> None:
    """The trail names staff and their changes: staff read it, candidates do not."""
    if actor.role == Role.CANDIDATE:
        raise PermissionDenied(_l("Only the centre's staff can read the audit trail."))
