"""The calendar file (.ics, RFC 5545) sent with a booking: the only module that knows iCalendar.

Pure: plain values in, bytes out; no database, no request.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

PRODUCT_ID = "-//Avala//Evaluaciones//ES"


@dataclass(frozen=True)
class Session:
    uid: str  # stable per assessment: a rebooking or cancellation updates the same event
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    summary: str
    location: str
    description: str
    organizer_email: str
    attendees: tuple[str, ...]
    sequence: int = 0
    is_cancelled: bool = False  # METHOD:CANCEL, STATUS:CANCELLED: calendars remove the event


def session_ics(session: Session, zone: str, stamp: datetime) -> bytes:
    """One VEVENT in the centre's time zone (`zone`, e.g. America/Mexico_City), with that
    zone's VTIMEZONE so calendars elsewhere show the right hour; `stamp` is DTSTAMP."""
    local = ZoneInfo(zone)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if session.is_cancelled else "PUBLISH")
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(local))
    event.add("dtend", session.ends_at.astimezone(local))
    event.add("summary", session.summary)
    event.add("location", session.location)
    event.add("description", session.description)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("organizer", vCalAddress(f"mailto:{session.organizer_email}"))
    for address in session.attendees:
        event.add("attendee", vCalAddress(f"mailto:{address}"))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
