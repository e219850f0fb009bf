"""One person, one record, nationally: a candidate is identified by CURP across the body.

A centre registering a CURP the body already knows enrols that person in the centre (after
checking that the name it typed fits the CURP and is the person's, and that the birth date it
typed is the CURP's) and learns nothing else about them: no other centre's assessments, and not
the e-mail the other centre registered. The person's own consents (public listing, privacy
notice) are theirs: recorded with the version of the text and the time, changed only by them
(or by the registering centre on the day they register), and every change is in the audit
trail.
"""

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.curp import birth_date_of, name_fits_curp
from app.accounts.models import Candidate, Enrolment, User
from app.accounts.roles import Role
from app.accounts.rules import CONSENT_TEXT_VERSION, PRIVACY_NOTICE_VERSION
from app.audit.services import record_event
from app.db_types import utcnow
from app.errors import PermissionDenied, ValidationFailed
from app.extensions import db
from app.locks import violates
from app.mail.services import public_url, send_mail

ALREADY_HERE = _l("A candidate with this CURP is already registered in this centre.")


def _comparable(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def check_birth_date(curp: str, birth_date: date | None) -> None:
    """A birth date typed with a CURP must be the CURP's own."""
    if birth_date is not None and birth_date != birth_date_of(curp):
        raise ValidationFailed.on("birth_date", _l("The birth date does not match the CURP."))


def enrol(actor: User, candidate: Candidate) -> Enrolment:
    """Add `candidate` to the actor's centre, once (the unique index decides)."""
    enrolment = Enrolment(candidate=candidate, centre_id=actor.centre_id, enrolled_by_id=actor.id)
    db.session.add(enrolment)
    try:
        db.session.flush()
    except IntegrityError as error:  # a parallel registration of the same person won
        if violates(error, "candidate_centre"):
            raise ValidationFailed.on("curp", ALREADY_HERE) from error
        raise
    return enrolment


def enrol_existing_candidate(
    actor: User, candidate: Candidate, *, full_name: str, birth_date: date | None
) -> Candidate:
    """Enrol a person the body already knows in the actor's centre. The centre must type the
    person's name as registered (accents and capitals aside), fitting the CURP's initials, and
    the birth date the CURP carries. Raises ValidationFailed per field; nothing is written."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(_l("Only a centre administrator can register candidates."))
    if db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.candidate_id == candidate.id, Enrolment.centre_id == actor.centre_id
        )
    ):
        raise ValidationFailed.on("curp", ALREADY_HERE)
    problems: dict[str, list] = {}
    if birth_date is None:
        problems["birth_date"] = [
            _l(
                "This CURP is already registered in Avala: to enrol the person in this centre, "
                "enter their birth date."
            )
        ]
    elif birth_date != birth_date_of(candidate.curp):
        problems["birth_date"] = [_l("The birth date does not match the CURP.")]
    if not name_fits_curp(full_name, candidate.curp):
        problems["full_name"] = [_l("The name does not match the initials of the CURP.")]
    elif _comparable(full_name) != _comparable(candidate.full_name):
        problems["full_name"] = [
            _l("The name is not the one registered in Avala for this CURP; check its spelling.")
        ]
    if problems:
        raise ValidationFailed(next(iter(problems.values()))[0], problems)
    enrolment = enrol(actor, candidate)
    record_event(actor, "candidate.enrolled", candidate, centre_id=enrolment.centre_id)
    _tell_the_person(candidate, actor.centre.name)
    return candidate


def _tell_the_person(candidate: Candidate, centre_name: str) -> None:
    """The person learns which centre enrolled them, at the address they registered (never
    the one the new centre typed), so an enrolment they did not ask for does not go unseen."""
    user = candidate.user
    send_mail(
        user.email,
        "candidate_enrolled",
        user.language,
        {
            "full_name": candidate.full_name,
            "centre_name": centre_name,
            "link": public_url("accounts.privacy"),
        },
    )


# --- the person's consents ------------------------------------------------------------------


def initial_consent(candidate: Candidate, is_publicly_listed: bool) -> None:
    """The answer the person gave when registered, to the current text."""
    now = utcnow()
    candidate.is_publicly_listed = is_publicly_listed
    candidate.consent_recorded_at = now if is_publicly_listed else None
    candidate.consent_text_version = CONSENT_TEXT_VERSION


def change_consents(
    actor: User, candidate: Candidate, *, is_publicly_listed: bool, accepts_privacy_notice: bool
) -> bool:
    """The person themselves changes their consent to the public listing, or accepts the
    current privacy notice (an acceptance is not taken back here: withdrawing it is a request
    to the body, outside Avala). Each change is stamped with the time and the version of the
    text, and written to the audit trail with the old and new answer. Whether anything changed.
    """
    if candidate.user_id != actor.id:
        raise PermissionDenied(_l("Only the person themselves can change their consent."))
    now, changed = utcnow(), False
    if is_publicly_listed != candidate.is_publicly_listed:
        record_event(
            actor,
            "candidate.consent_changed",
            candidate,
            before=candidate.is_publicly_listed,
            after=is_publicly_listed,
            text_version=CONSENT_TEXT_VERSION,
        )
        candidate.is_publicly_listed = is_publicly_listed
        candidate.consent_recorded_at = now if is_publicly_listed else None
        candidate.consent_text_version = CONSENT_TEXT_VERSION
        changed = True
    if accepts_privacy_notice and candidate.privacy_notice_version != PRIVACY_NOTICE_VERSION:
        record_event(
            actor,
            "candidate.privacy_notice_accepted",
            candidate,
            before=candidate.privacy_notice_version,
            after=PRIVACY_NOTICE_VERSION,
        )
        candidate.privacy_notice_version = PRIVACY_NOTICE_VERSION
        candidate.privacy_notice_accepted_at = now
        changed = True
    db.session.flush()
    return changed
