"""The reminder of a session the day before: the candidate and the evaluator each get the
date, time and place, once per assessment however often the job runs."""

from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from app.accounts.models import Candidate
from app.assessments.models import Assessment, AssessmentStatus, SessionReminder
from app.dates import local_zone, today
from app.extensions import db
from app.mail.services import public_url, send_mail

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _tomorrow_in_utc() -> tuple[datetime, datetime]:
    """Tomorrow at the centre (AVALA_TIMEZONE), from its first to its last instant, in UTC."""
    tomorrow = today() + timedelta(days=1)
    zone = local_zone()
    first = datetime.combine(tomorrow, time(), tzinfo=zone)
    last = datetime.combine(tomorrow + timedelta(days=1), time(), tzinfo=zone)
    return first.astimezone(UTC), last.astimezone(UTC)


def _record_reminder(assessment_id: int) -> bool:
    """Insert the assessment's reminder row; True only for the one caller that inserted it."""
    insert = _INSERTS[db.engine.dialect.name]
    inserted = db.session.execute(
        insert(SessionReminder)
        .values(assessment_id=assessment_id)
        .on_conflict_do_nothing(index_elements=["assessment_id"])
        .returning(SessionReminder.id)
    ).scalar()
    return inserted is not None


def send_session_reminders() -> int:
    """Queue the reminders of tomorrow's booked sessions not yet reminded; how many sessions.

    Only sessions still booked (scheduled); the e-mails leave once the caller commits.
    """
    first, last = _tomorrow_in_utc()
    assessments = db.session.scalars(
        select(Assessment)
        .where(
            Assessment.status == AssessmentStatus.SCHEDULED,
            Assessment.starts_at >= first,
            Assessment.starts_at < last,
        )
        .options(
            selectinload(Assessment.candidate).selectinload(Candidate.user),
            selectinload(Assessment.evaluator),
            selectinload(Assessment.standard),
            selectinload(Assessment.centre),
        )
    )
    sent = 0
    for assessment in assessments:
        if _record_reminder(assessment.id):
            _mail_people(assessment)
            sent += 1
    return sent


def _mail_people(assessment: Assessment) -> None:
    context = {
        "code": assessment.standard.full_code,
        "title": assessment.standard.title,
        "candidate_name": assessment.candidate.full_name,
        "evaluator_name": assessment.evaluator.full_name,
        "centre_name": assessment.centre.name,
        "location": assessment.location,
        "starts_at": assessment.starts_at.isoformat(),
        "ends_at": assessment.ends_at.isoformat(),
        "zone": current_app.config["BABEL_DEFAULT_TIMEZONE"],
        "link": public_url("assessments.show", assessment_id=assessment.id),
    }
    for person, is_evaluator in ((assessment.candidate.user, False), (assessment.evaluator, True)):
        send_mail(
            person.email,
            "session_tomorrow",
            person.language,
            {**context, "full_name": person.full_name, "is_evaluator": is_evaluator},
        )
