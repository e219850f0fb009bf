"""The e-mails of a booking: the candidate and the evaluator each get the session as a calendar
file (.ics) they can add to their calendar, in their own language."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app

from app.assessments.calendar import Session, session_ics
from app.assessments.models import Assessment, AssessmentStatus
from app.db_types import utcnow
from app.mail.rules import Attachment
from app.mail.services import public_url, send_mail

CALENDAR_FILENAME = "evaluacion.ics"
CALENDAR_MIMETYPE = "text/calendar; charset=utf-8; method=PUBLISH"
CANCELLATION_MIMETYPE = "text/calendar; charset=utf-8; method=CANCEL"


def assessment_uid(assessment: Assessment) -> str:
    """The calendar event's UID: the same for every file ever sent about this assessment."""
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "avala"
    return f"assessment-{assessment.id}@{host}"


def booking_calendar(assessment: Assessment) -> bytes:
    """The assessment as an iCalendar file in the centre's time zone: the invitation, or once
    cancelled the cancellation of the same event (same UID, the next SEQUENCE)."""
    standard = assessment.standard
    sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1] or "no-reply@localhost"
    session = Session(
        uid=assessment_uid(assessment),
        starts_at=assessment.starts_at,
        ends_at=assessment.ends_at,
        summary=f"Evaluación {standard.full_code} · {assessment.candidate.full_name}",
        location=assessment.location,
        description=f"{standard.full_code} {standard.title}\n"
        f"{public_url('assessments.show', assessment_id=assessment.id)}",
        organizer_email=sender,
        attendees=(assessment.candidate.user.email, assessment.evaluator.email),
        sequence=assessment.calendar_sequence,
        is_cancelled=assessment.status == AssessmentStatus.CANCELLED,
    )
    return session_ics(session, current_app.config["BABEL_DEFAULT_TIMEZONE"], utcnow())


def send_booking_notices(assessment: Assessment) -> None:
    """Queue, for after the commit, one e-mail to the candidate and one to the evaluator."""
    calendar = Attachment(CALENDAR_FILENAME, booking_calendar(assessment), CALENDAR_MIMETYPE)
    _send_to_both(assessment, "assessment_booked", calendar)


def send_cancellation_notices(assessment: Assessment) -> None:
    """Queue the cancellation to the candidate and the evaluator, with the calendar file that
    removes the session from the calendars that hold the invitation."""
    calendar = Attachment(CALENDAR_FILENAME, booking_calendar(assessment), CANCELLATION_MIMETYPE)
    _send_to_both(assessment, "assessment_cancelled", calendar)


def _send_to_both(assessment: Assessment, template: str, calendar: Attachment) -> None:
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    context = {
        "code": assessment.standard.full_code,
        "title": assessment.standard.title,
        "candidate_name": assessment.candidate.full_name,
        "evaluator_name": assessment.evaluator.full_name,
        "centre_name": assessment.centre.name if assessment.centre else "",
        "location": assessment.location,
        "starts_at": assessment.starts_at.isoformat(),
        "ends_at": assessment.ends_at.isoformat(),
        "zone": zone,
        "link": public_url("assessments.show", assessment_id=assessment.id),
        "reason": assessment.cancel_reason,
    }
    for person, is_evaluator in (
        (assessment.candidate.user, False),
        (assessment.evaluator, True),
    ):
        send_mail(
            person.email,
            template,
            person.language,
            {**context, "full_name": person.full_name, "is_evaluator": is_evaluator},
            attachments=(calendar,),
        )
