"""The day before a session, its candidate and evaluator are reminded by e-mail, once, with the
date, time and place; "tomorrow" is the centre's (AVALA_TIMEZONE)."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.assessments.models import SessionReminder
from app.assessments.reminders import send_session_reminders
from app.dates import local_zone, today
from app.extensions import db
from app.jobs.reminders import remind_sessions
from app.transactions import commit_request


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = today() + timedelta(days=day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone()).astimezone(UTC)


@pytest.fixture
def at_noon(app):
    """Noon at the centre today, the clock running."""
    noon = datetime.combine(today(), time(12), tzinfo=local_zone())
    with time_machine.travel(noon, tick=True):
        yield


def test_the_candidate_and_the_evaluator_are_reminded_once_the_day_before(at_noon, world, mailbox):
    assessment = world.book(starts_at=local(1, 10))
    commit_request()
    mailbox.clear()  # the booking's e-mails
    assert remind_sessions.call_local()["reminded"] == 1
    assert remind_sessions.call_local()["ran"] is False  # another worker, the same hour
    assert send_session_reminders() == 0  # the next hour's run
    commit_request()
    candidate = mailbox.last_to(world.candidate.user.email)
    evaluator = mailbox.last_to(world.evaluator.email)
    assert len(mailbox.messages) == 2
    assert candidate.subject.strip().startswith(
        f"Recordatorio: evaluación mañana, {world.standard.full_code}"
    )
    assert "Mañana es tu evaluación" in candidate.text
    assert f"Mañana evalúas a {world.candidate.full_name}" in evaluator.text
    for received in (candidate, evaluator):
        assert "Lugar: Taller 2" in received.text and "10:00" in received.text
        assert f"http://localhost/assessments/{assessment.id}" in received.links
        assert "Taller 2" in received.html
    assert db.session.scalar(select(func.count()).select_from(SessionReminder)) == 1


def test_only_sessions_of_the_centres_tomorrow_are_reminded(at_noon, world, mailbox):
    world.book(starts_at=local(1, 21, 30))  # tomorrow, late
    world.book(world.other_candidate, starts_at=local(2, 0))  # the day after, at midnight
    world.book(world.other_candidate, starts_at=local(0, 18))  # today
    commit_request()
    mailbox.clear()
    assert remind_sessions.call_local()["reminded"] == 1
    assert {m.recipients[0] for m in mailbox.messages} == {
        world.candidate.user.email,
        world.evaluator.email,
    }


def test_each_person_reads_the_reminder_in_their_language(at_noon, world, mailbox):
    world.evaluator.language = "en"
    world.book(starts_at=local(1, 10))
    commit_request()
    mailbox.clear()
    remind_sessions.call_local()
    received = mailbox.last_to(world.evaluator.email)
    assert received.subject.strip().startswith("Reminder: assessment tomorrow")
    assert "Place: Taller 2" in received.text
