"""The centre administrator cancels a booked session with a reason: the status changes, both
people's time is free again, the change is audited, and the candidate and the evaluator receive
the calendar's cancellation (same UID as the invitation, next SEQUENCE, METHOD:CANCEL) on a
real SMTP server on loopback."""

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.accounts.roles import Role
from app.assessments.cancellation import cancel_assessment
from app.assessments.models import AssessmentStatus
from app.audit.models import AuditEvent
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.transactions import commit_request
from tests import factories

REASON = "El taller 2 estará en mantenimiento."


def calendar_of(message):
    (part,) = [
        part
        for part in message.message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def test_the_administrator_cancels_a_booking_and_both_people_get_the_cancellation(
    world, client, login, mailbox
):
    assessment = world.book(hours_from_now=26, planned=False)
    commit_request()
    _part, invitation = calendar_of(mailbox.last_to(world.candidate.user.email))
    invited = invitation.walk("VEVENT")[0]
    mailbox.clear()
    login(world.admin)
    assert "Cancelar esta evaluación" in client.get(f"/assessments/{assessment.id}").get_data(
        as_text=True
    )

    response = client.post(f"/assessments/{assessment.id}/cancel", data={"reason": REASON})

    assert response.status_code == 302
    db.session.expire_all()
    assert assessment.status == AssessmentStatus.CANCELLED
    assert assessment.cancel_reason == REASON
    for person in (world.candidate.user, world.evaluator):
        message = mailbox.last_to(person.email)
        assert "Evaluación cancelada" in message.subject
        assert REASON in message.text
        part, calendar = calendar_of(message)
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "CANCEL"
        assert str(calendar["method"]) == "CANCEL"
        event = calendar.walk("VEVENT")[0]
        assert event["uid"] == invited["uid"]
        assert int(event["sequence"]) == int(invited["sequence"]) + 1
        assert str(event["status"]) == "CANCELLED"
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assessment.cancelled")
    ).all()
    assert [(e.actor_id, e.details["reason"]) for e in events] == [(world.admin.id, REASON)]


def test_a_cancelled_session_frees_the_evaluators_and_the_candidates_time(world):
    assessment = world.book(hours_from_now=26, planned=False)
    cancel_assessment(world.admin, assessment, REASON)
    again = world.book(starts_at=assessment.starts_at)
    assert again.status == AssessmentStatus.SCHEDULED
    assert (again.evaluator_id, again.candidate_id) == (
        assessment.evaluator_id,
        assessment.candidate_id,
    )
    db.session.commit()


def test_a_cancellation_without_a_reason_changes_nothing(world, client, login, mailbox):
    assessment = world.book(hours_from_now=26, planned=False)
    commit_request()
    mailbox.clear()
    login(world.admin)
    response = client.post(f"/assessments/{assessment.id}/cancel", data={"reason": "  "})
    assert response.status_code == 422
    db.session.expire_all()
    assert assessment.status == AssessmentStatus.SCHEDULED
    assert mailbox.messages == []


def test_only_the_centres_administrator_cancels_and_only_a_booked_session(world, client, login):
    assessment = world.book(hours_from_now=26, planned=False)
    other_admin = factories.make_user(factories.make_centre("CONALEP Tlalnepantla"), Role.ADMIN)
    for somebody in (world.evaluator, world.reviewer, other_admin):
        with pytest.raises(PermissionDenied):
            cancel_assessment(somebody, assessment, REASON)
    cancel_assessment(world.admin, assessment, REASON)
    with pytest.raises(ValidationFailed):
        cancel_assessment(world.admin, assessment, REASON)
    judged = world.approved(world.other_candidate)
    with pytest.raises(ValidationFailed):
        cancel_assessment(world.admin, judged, REASON)
    db.session.commit()
    login(other_admin)
    assert (
        client.post(f"/assessments/{assessment.id}/cancel", data={"reason": "x"}).status_code == 404
    )
