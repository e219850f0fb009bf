"""Scheduling that checks time: results only after the session started, the evaluator's own
declaration of no conflict of interest, and the booking's e-mails with a calendar file."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.roles import Role
from app.assessments import services
from app.assessments.models import AssessmentStatus
from app.audit.models import AuditEvent
from app.errors import Conflict, PermissionDenied, ValidationFailed
from app.extensions import db
from app.transactions import commit_request
from tests import factories


def all_items_met(world) -> dict:
    return {item.id: (True, "Observado") for item in world.standard.instrument.items}


def test_results_are_refused_before_the_session_starts(world):
    assessment = world.book(hours_from_now=2)
    services.declare_no_conflict(world.evaluator, assessment)
    with pytest.raises(ValidationFailed) as caught:
        services.record_item_results(world.evaluator, assessment, all_items_met(world))
    assert "una vez iniciada la sesión" in str(caught.value)
    assert assessment.results == [] and assessment.status == AssessmentStatus.SCHEDULED


def test_results_are_accepted_once_the_session_has_started(world):
    assessment = world.book(hours_from_now=2)
    services.declare_no_conflict(world.evaluator, assessment)
    with time_machine.travel(assessment.starts_at + timedelta(minutes=1), tick=True):
        assert services.record_item_results(world.evaluator, assessment, all_items_met(world))
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_results_are_refused_until_the_evaluator_declares_no_conflict(world):
    assessment = world.schedule(declared=False)
    with pytest.raises(ValidationFailed) as caught:
        services.record_item_results(world.evaluator, assessment, all_items_met(world))
    assert "no capacitó" in str(caught.value)
    with pytest.raises(ValidationFailed):
        services.sign_off_judgement(world.evaluator, assessment, "x" * 40)
    services.declare_no_conflict(world.evaluator, assessment)
    assert services.record_item_results(world.evaluator, assessment, all_items_met(world)) == 5


def test_only_the_assigned_evaluator_declares_and_only_once(world):
    assessment = world.book()
    colleague = factories.make_user(world.centre, Role.EVALUATOR)
    for somebody in (world.admin, colleague, world.reviewer):
        with pytest.raises(PermissionDenied):
            services.declare_no_conflict(somebody, assessment)
    services.declare_no_conflict(world.evaluator, assessment)
    declared_at = assessment.no_conflict_declared_at
    assert declared_at is not None
    with pytest.raises(ValidationFailed):
        services.declare_no_conflict(world.evaluator, assessment)
    assert assessment.no_conflict_declared_at == declared_at
    events = db.session.query(AuditEvent).filter_by(action="assessment.no_conflict_declared")
    assert [e.actor_id for e in events] == [world.evaluator.id]


def test_a_declaration_made_meanwhile_by_another_request_is_a_conflict(world):
    """Two clicks at once: the second request read the row before the first one wrote."""
    assessment = world.book()
    services.declare_no_conflict(world.evaluator, assessment)
    first = assessment.no_conflict_declared_at
    set_committed_value(assessment, "no_conflict_declared_at", None)  # what it had read
    with pytest.raises(Conflict):
        services.declare_no_conflict(world.evaluator, assessment)
    db.session.expire(assessment)
    assert assessment.no_conflict_declared_at == first


def test_the_booking_sends_the_candidate_and_the_evaluator_a_calendar_file(world, mailbox):
    assessment = world.book(hours_from_now=26, planned=False)
    commit_request()
    for person in (world.candidate.user, world.evaluator):
        message = mailbox.last_to(person.email)
        assert world.standard.full_code in message.subject
        assert "Taller 2" in message.text
        calendar_parts = [
            part
            for part in message.message.iter_attachments()
            if part.get_content_type() == "text/calendar"
        ]
        assert len(calendar_parts) == 1
        assert calendar_parts[0].get_filename() == "evaluacion.ics"
        calendar = Calendar.from_ical(calendar_parts[0].get_payload(decode=True))
        event = calendar.walk("VEVENT")[0]
        assert str(event["uid"]) == f"assessment-{assessment.id}@localhost"
        starts, ends = event.decoded("dtstart"), event.decoded("dtend")
        assert str(starts.tzinfo) == "America/Mexico_City"
        assert starts.astimezone(UTC) == assessment.starts_at.replace(tzinfo=UTC)
        assert ends.astimezone(UTC) == assessment.ends_at.replace(tzinfo=UTC)
        assert str(event["location"]) == "Taller 2"
        assert [str(t["tzid"]) for t in calendar.walk("VTIMEZONE")] == ["America/Mexico_City"]
    evaluator_mail = mailbox.last_to(world.evaluator.email)
    assert f"/assessments/{assessment.id}" in evaluator_mail.text


def test_the_calendar_uid_is_the_same_in_every_file_of_one_assessment(world, mailbox):
    from app.assessments.bookings import booking_calendar

    assessment = world.book(hours_from_now=26)
    first = Calendar.from_ical(booking_calendar(assessment)).walk("VEVENT")[0]
    later = Calendar.from_ical(booking_calendar(assessment)).walk("VEVENT")[0]
    other = Calendar.from_ical(booking_calendar(world.book(world.other_candidate, 30))).walk(
        "VEVENT"
    )[0]
    assert first["uid"] == later["uid"] != other["uid"]


def test_a_refused_booking_sends_no_mail(world, mailbox):
    starts_at, ends_at = factories.slot(-5)
    with pytest.raises(ValidationFailed):
        services.schedule_assessment(
            actor=world.admin,
            candidate=world.candidate,
            standard=world.standard,
            evaluator=world.evaluator,
            starts_at=starts_at,
            ends_at=ends_at,
            location="Taller 2",
        )
    commit_request()
    assert mailbox.messages == []


def test_the_mail_is_in_the_recipients_language(world, mailbox):
    world.evaluator.language = "en"
    world.book(hours_from_now=26, planned=False)
    commit_request()
    assert "Assessment scheduled" in mailbox.last_to(world.evaluator.email).subject
    assert "Evaluación programada" in mailbox.last_to(world.candidate.user.email).subject


def test_a_session_booked_then_held_goes_through_to_a_judgement(world):
    """Booked tomorrow, judged tomorrow: the clock moves, nothing else."""
    assessment = world.book(hours_from_now=20)
    services.declare_no_conflict(world.evaluator, assessment)
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=21), tick=True):
        world.judge(assessment)
    assert assessment.status == AssessmentStatus.JUDGED
