"""Registering candidates: consent is recorded as given or refused, never assumed."""

from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories


def test_consent_is_stamped_only_when_the_candidate_gives_it(world):
    consenting = factories.make_candidate(world.admin, "Ana López Díaz", listed=True)
    refusing = factories.make_candidate(world.admin, "Luis Pérez Mora", listed=False)
    db.session.commit()
    db.session.expire_all()
    assert consenting.is_publicly_listed and consenting.consent_recorded_at is not None
    assert not refusing.is_publicly_listed and refusing.consent_recorded_at is None
    # The refusal itself is on record, with its time, in the audit trail.
    refusal = (
        db.session.query(AuditEvent)
        .filter_by(action="candidate.registered", object_id=refusing.id)
        .one()
    )
    assert refusal.details == {"listed": False} and refusal.occurred_at is not None
